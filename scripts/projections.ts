/**
 * `npm run projections -- <command>`: operate the read models from the shell.
 *
 *   rebuild <projection>|--all   drop and rebuild from zero, with a progress bar
 *   status                       checkpoint, head and lag of every projection
 *
 * Stop the service that owns a read model before rebuilding it: two writers on one read-model file would
 * fight over the checkpoint (the runner detects it and stops).
 */
import { dirname } from "node:path";
import { SingleBar } from "cli-progress";
import { openEventStore } from "../events/open-event-store";
import { CommandLineExit, parseCommandLine } from "../services/common/command-line";
import { readModelPath, storageConfig } from "../services/common/config";
import type { ProjectionDefinition } from "../projections/projection";
import { ReadModelDatabase } from "../projections/read-model-db";
import { countEvents, rebuildProjection } from "../projections/rebuild";
import { SERVICE_NAMES, SERVICE_PROJECTIONS } from "../projections/registry";
import { ownerOnly } from "../services/common/paths";

const USAGE = "usage: projections rebuild <projection>|--all | projections status";

async function main(): Promise<number> {
  const { positionals, values } = parseCommandLine({ all: { type: "boolean", default: false } }, USAGE);
  const [command, name] = positionals;
  const config = storageConfig();
  const store = openEventStore(config);
  try {
    if (command === "status") return await status(store, config);
    if (command !== "rebuild" || (!name && !values.all)) {
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    const targets = SERVICE_NAMES.flatMap((service) =>
      SERVICE_PROJECTIONS[service]
        .filter((p) => values.all || p.name === name)
        .map((p) => ({ service, projection: p as ProjectionDefinition })),
    );
    if (targets.length === 0) {
      const known = SERVICE_NAMES.flatMap((s) => SERVICE_PROJECTIONS[s].map((p) => p.name)).join(", ");
      process.stderr.write(`no projection named ${JSON.stringify(name)}; known: ${known}\n`);
      return 2;
    }
    for (const { service, projection } of targets) {
      await rebuild(store, openReadModels(config, projection.file ?? service), projection);
    }
    return 0;
  } finally {
    await store.close();
  }
}

/** A read-model file: a service's own, or a projection's own (ProjectionDefinition.file). */
function openReadModels(config: ReturnType<typeof storageConfig>, file: string): ReadModelDatabase {
  const path = readModelPath(config, file);
  ownerOnly(dirname(path));
  return new ReadModelDatabase(path);
}

async function rebuild(
  store: ReturnType<typeof openEventStore>,
  rm: ReadModelDatabase,
  projection: ProjectionDefinition,
): Promise<void> {
  const bar = new SingleBar({
    format: `${projection.name} v${projection.version} [{bar}] {value}/{total} events | {rate} ev/s | {duration_formatted} elapsed | ETA {eta_formatted}`,
    noTTYOutput: true,
    notTTYSchedule: 1000,
    etaBuffer: 50,
  });
  const started = Date.now();
  bar.start(1, 0, { rate: 0 });
  const result = await rebuildProjection(store, rm, projection, {
    onProgress: (done, total) => {
      bar.setTotal(total);
      bar.update(done, { rate: Math.round(done / Math.max((Date.now() - started) / 1000, 0.001)) });
    },
  });
  bar.stop();
  process.stdout.write(
    `${projection.name} v${projection.version}: rebuilt from ${result.events} events, checkpoint ${result.checkpoint}\n`,
  );
  rm.close();
}

async function status(
  store: ReturnType<typeof openEventStore>,
  config: ReturnType<typeof storageConfig>,
): Promise<number> {
  const head = await store.headPosition();
  const total = await countEvents(store, head);
  process.stdout.write(`event store: ${store.backend}, head ${head} (${total} events)\n`);
  for (const service of SERVICE_NAMES) {
    for (const projection of SERVICE_PROJECTIONS[service] as readonly ProjectionDefinition[]) {
      const rm = openReadModels(config, projection.file ?? service);
      const serving = rm.servingVersion(projection.name);
      for (const record of rm.projections(projection.name)) {
        const lag = store.backend === "sqlite" ? Number(BigInt(head) - BigInt(record.checkpoint)) : undefined;
        process.stdout.write(
          `${service}/${record.name} v${record.version}${record.version === serving ? " (serving)" : ""}: ${record.status}, checkpoint ${record.checkpoint}` +
            `${lag === undefined ? "" : `, ${lag} events behind`}${record.error ? `, error: ${record.error}` : ""}\n`,
        );
      }
      rm.close();
    }
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof CommandLineExit) process.exit(error.exitCode);
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
