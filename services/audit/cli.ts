/**
 * The auditors' command line (`npm run replay -- …`, `npm run integrity -- …`):
 *
 *   timeline <partnershipId> [--as-of YYYY[-MM[-DD]]] [--recorded-at ISO-INSTANT]
 *   export [--format jsonl|csv] [--out FILE] [--type PREFIX]… [--stream PREFIX]… [--partnership ID] [--after POSITION]
 *   verify [--partnership ID]
 *
 * It reads the event store the services use (PASSERELLE_DATA_DIR or EVENTSTORE_CONNECTION_STRING) and, for
 * `verify`, the audit service's event index as the witness when it exists.
 */
import { createWriteStream, existsSync } from "node:fs";
import { SingleBar } from "cli-progress";
import { openEventStore } from "../../events/open-event-store";
import { tablesOf } from "../../projections/projection";
import { ReadModelDatabase } from "../../projections/read-model-db";
import { eventIndex, streamsOf } from "../../projections/read-models/event-index";
import { countEvents } from "../../projections/rebuild";
import { CommandLineExit, parseCommandLine } from "../common/command-line";
import { ConfigError, readModelPath, storageConfig } from "../common/config";
import { verifyIntegrity, witnessOf } from "./integrity";
import { exportEvents, printTimeline, type ExportFormat } from "./replay";

const USAGE = `usage:
  timeline <partnershipId> [--as-of YYYY[-MM[-DD]]] [--recorded-at ISO-INSTANT]
  export [--format jsonl|csv] [--out FILE] [--type PREFIX]... [--stream PREFIX]... [--partnership ID] [--after POSITION]
  verify [--partnership ID]`;

async function main(): Promise<number> {
  const { positionals, values } = parseCommandLine(
    {
      "as-of": { type: "string" },
      "recorded-at": { type: "string" },
      format: { type: "string", default: "jsonl" },
      out: { type: "string" },
      type: { type: "string", multiple: true },
      stream: { type: "string", multiple: true },
      partnership: { type: "string" },
      after: { type: "string" },
    },
    USAGE,
  );
  const [command, argument] = positionals;
  const config = storageConfig();
  const store = openEventStore(config);
  try {
    switch (command) {
      case "timeline": {
        if (!argument) break;
        await printTimeline(store, argument, process.stdout, {
          businessDate: values["as-of"] ?? null,
          recordedAt: values["recorded-at"] ?? null,
        });
        return 0;
      }
      case "export": {
        const format = values.format as ExportFormat;
        if (format !== "jsonl" && format !== "csv") break;
        const out = values.out ? createWriteStream(values.out) : process.stdout;
        const total = await countEvents(store, await store.headPosition());
        const bar =
          total >= 1000
            ? new SingleBar({
                format: "export [{bar}] {value}/{total} events | {duration_formatted} elapsed | ETA {eta_formatted}",
                noTTYOutput: true,
                notTTYSchedule: 2000,
              })
            : undefined;
        bar?.start(total, 0);
        const exported = await exportEvents(store, out, {
          format,
          ...(values.after ? { after: values.after } : {}),
          ...(values.partnership ? { partnershipId: values.partnership } : {}),
          filter: {
            ...(values.type ? { eventTypePrefixes: values.type } : {}),
            ...(values.stream ? { streamPrefixes: values.stream } : {}),
          },
          onProgress: (done) => bar?.update(Math.min(done, total)),
        });
        bar?.stop();
        if (out !== process.stdout)
          await new Promise<void>((resolve, reject) =>
            out.end((error?: Error | null) => (error ? reject(error) : resolve())),
          );
        process.stderr.write(`exported ${exported} events as ${format}${values.out ? ` to ${values.out}` : ""}\n`);
        return 0;
      }
      case "verify": {
        const path = readModelPath(config, "audit");
        const rm = existsSync(path) ? new ReadModelDatabase(path) : undefined;
        const tables = tablesOf(eventIndex.name, eventIndex.version, eventIndex.tables);
        const witness = rm?.projection(eventIndex.name, eventIndex.version) ? witnessOf(rm, tables) : undefined;
        if (!witness)
          process.stderr.write(
            "no audit event index found: checking hash chains only (a deleted stream tail would not show)\n",
          );
        const streams = values.partnership
          ? [`partnership-${values.partnership}`, ...(rm && witness ? streamsOf(rm, tables, values.partnership) : [])]
          : undefined;
        const report = await verifyIntegrity(store, {
          ...(witness ? { witness } : {}),
          ...(streams ? { streams: [...new Set(streams)] } : {}),
        });
        rm?.close();
        const scope = values.partnership ? `partnership ${values.partnership}` : "the whole log";
        if (report.ok) {
          process.stdout.write(
            `OK: ${scope}: ${report.eventsChecked} events in ${report.streamsChecked} streams verified, ${report.eventsWitnessed} against the witness\n`,
          );
          return 0;
        }
        const b = report.firstBreak!;
        process.stdout.write(
          `BROKEN: ${scope}: first broken event at position ${b.position}: ${b.streamId}@${b.revision}${b.type ? ` (${b.type})` : ""}: ${b.kind}: ${b.detail}\n`,
        );
        return 1;
      }
    }
    process.stderr.write(`${USAGE}\n`);
    return 2;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof CommandLineExit) {
      process.exitCode = error.exitCode;
      return;
    }
    process.stderr.write(`${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
