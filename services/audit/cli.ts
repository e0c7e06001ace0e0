/**
 * The auditors' command line (`npm run replay -- …`, `npm run integrity -- …`):
 *
 *   timeline <partnershipId> [--as-of YYYY[-MM[-DD]]] [--recorded-at ISO-INSTANT]
 *   export [--format jsonl|csv] [--out FILE] [--type PREFIX]… [--stream PREFIX]… [--partnership ID] [--after POSITION]
 *   verify [--partnership ID]
 *   subject-access <personId> [--out FILE]
 *   tree-head [--tree-size N]
 *   prove-inclusion --position POSITION --tree-size N
 *   prove-consistency --from N --to N
 *
 * It reads the event store the services use (PASSERELLE_DATA_DIR or EVENTSTORE_CONNECTION_STRING) and, for
 * `verify`, the audit service's event index as the witness when it exists.
 */
import { createWriteStream, existsSync, writeFileSync } from "node:fs";
import { SingleBar } from "cli-progress";
import { openEventStore } from "../../events/open-event-store";
import { tablesOf } from "../../projections/projection";
import { ReadModelDatabase } from "../../projections/read-model-db";
import { eventIndex, streamsOf } from "../../projections/read-models/event-index";
import { countEvents } from "../../projections/rebuild";
import { CommandLineExit, parseCommandLine } from "../common/command-line";
import {
  ConfigError,
  personalDataFiles,
  readModelPath,
  storageConfig,
  treeHeadsPath,
  type StorageConfig,
} from "../common/config";
import { openSqlitePersonalDataVault } from "../../events/adapters/sqlite/sqlite-personal-data-vault";
import { treeWitnessOf, verifyIntegrity, witnessOf } from "./integrity";
import { ledgerTree, type TreeTables } from "../../projections/read-models/ledger-tree";
import { TreeHeadLog } from "../../projections/tree-heads";
import { DomainError } from "../../domain/decider";
import { proveConsistency, proveInclusion } from "./transparency";
import { subjectAccess } from "./subject-access";
import { exportEvents, printTimeline, type ExportFormat } from "./replay";

const USAGE = `usage:
  timeline <partnershipId> [--as-of YYYY[-MM[-DD]]] [--recorded-at ISO-INSTANT]
  export [--format jsonl|csv] [--out FILE] [--type PREFIX]... [--stream PREFIX]... [--partnership ID] [--after POSITION]
  verify [--partnership ID]
  subject-access <personId> [--out FILE]            everything the ledger holds about one person, as JSON
  tree-head [--tree-size N]                         the latest signed tree head (or that of N events), as JSON
  prove-inclusion --position POSITION --tree-size N  RFC 9162 inclusion proof, as JSON
  prove-consistency --from N --to N                  RFC 9162 consistency proof, as JSON`;

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
      position: { type: "string" },
      "tree-size": { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
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
        // The people named in the timeline, read through the vault: erased ones as such.
        const files = personalDataFiles(config);
        const vault = existsSync(files.vault) ? openSqlitePersonalDataVault(files) : undefined;
        await printTimeline(store, argument, process.stdout, {
          businessDate: values["as-of"] ?? null,
          recordedAt: values["recorded-at"] ?? null,
          ...(vault ? { vault } : {}),
        });
        await vault?.close();
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
      case "subject-access": {
        if (!argument) break;
        const files = personalDataFiles(config);
        if (!existsSync(files.vault)) {
          process.stderr.write(`no personal-data vault at ${files.vault}: nobody has been recorded here\n`);
          return 1;
        }
        const vault = openSqlitePersonalDataVault(files);
        try {
          const report = await subjectAccess(store, vault, argument);
          const text = `${JSON.stringify(report, null, 2)}\n`;
          if (values.out) {
            // Owner-only: the file holds the person's data in clear.
            writeFileSync(values.out, text, { mode: 0o600 });
            process.stderr.write(`${report.facts.length} events name ${argument}; written to ${values.out}\n`);
          } else process.stdout.write(text);
          return report.recorded || report.facts.length > 0 ? 0 : 1;
        } finally {
          await vault.close();
        }
      }
      case "tree-head": {
        const heads = existsSync(treeHeadsPath(config)) ? new TreeHeadLog(treeHeadsPath(config)) : undefined;
        const size = values["tree-size"] === undefined ? undefined : wholeNumber("--tree-size", values["tree-size"]);
        const head = size === undefined ? heads?.latest() : heads?.ofSize(size);
        heads?.close();
        if (!head) {
          process.stderr.write(`no tree head${size === undefined ? "" : ` for ${size} events`} has been signed\n`);
          return 1;
        }
        process.stdout.write(
          `${JSON.stringify({ ...head, signedAt: new Date(head.timestamp).toISOString() }, null, 2)}\n`,
        );
        return 0;
      }
      case "prove-inclusion":
      case "prove-consistency": {
        const tree = openTree(config);
        if (!tree) {
          process.stderr.write(
            "no ledger tree here yet: start the audit service, or run `npm run projections -- rebuild ledger_tree`\n",
          );
          return 1;
        }
        try {
          const proof =
            command === "prove-inclusion"
              ? proveInclusion(
                  tree.rm,
                  tree.tables,
                  values.position ?? "",
                  wholeNumber("--tree-size", values["tree-size"]),
                )
              : proveConsistency(
                  tree.rm,
                  tree.tables,
                  wholeNumber("--from", values.from),
                  wholeNumber("--to", values.to),
                );
          process.stdout.write(`${JSON.stringify(proof, null, 2)}\n`);
          return 0;
        } catch (error) {
          if (error instanceof DomainError) {
            process.stderr.write(`${error.message}\n`);
            return 1;
          }
          throw error;
        } finally {
          tree.rm.close();
        }
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
        const tree = openTree(config);
        const heads = existsSync(treeHeadsPath(config)) ? new TreeHeadLog(treeHeadsPath(config)) : undefined;
        if (!streams && !heads) process.stderr.write("no signed tree heads found: the log is checked without them\n");
        const report = await verifyIntegrity(store, {
          ...(witness ? { witness } : {}),
          ...(streams ? { streams: [...new Set(streams)] } : {}),
          ...(tree || heads ? { tree: treeWitnessOf(tree && { sql: tree.rm, tables: tree.tables }, heads) } : {}),
        });
        rm?.close();
        tree?.rm.close();
        heads?.close();
        const scope = values.partnership ? `partnership ${values.partnership}` : "the whole log";
        if (report.ok) {
          process.stdout.write(
            `OK: ${scope}: ${report.eventsChecked} events in ${report.streamsChecked} streams verified, ${report.eventsWitnessed} against the witness` +
              (streams
                ? ""
                : `, ${report.leavesChecked} against the ledger tree, ${report.headsChecked} signed tree heads recomputed`) +
              "\n",
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

function wholeNumber(option: string, text: string | undefined): number {
  const value = Number(text);
  if (text === undefined || !/^\d+$/.test(text) || !Number.isSafeInteger(value)) {
    process.stderr.write(`${option} takes a whole number (got ${JSON.stringify(text ?? null)})\n${USAGE}\n`);
    throw new CommandLineExit(2);
  }
  return value;
}

/** The audit service's ledger tree file, when it has one with the tree built. */
function openTree(config: StorageConfig): { rm: ReadModelDatabase; tables: TreeTables } | undefined {
  const path = readModelPath(config, ledgerTree.file!);
  if (!existsSync(path)) return undefined;
  const rm = new ReadModelDatabase(path);
  const version = rm.servingVersion(ledgerTree.name);
  if (version === undefined) {
    rm.close();
    return undefined;
  }
  return { rm, tables: tablesOf(ledgerTree.name, version, ledgerTree.tables) };
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
