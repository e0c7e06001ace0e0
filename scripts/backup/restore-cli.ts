/**
 * `npm run restore -- --from <backup> [--to <data dir>] [--erasures <register>]… [--only-erasures-in-backup]`:
 * restores a backup into an empty data directory (scripts/backup/restore.ts); then start the services on it.
 */
import { resolve } from "node:path";
import { parseCommandLine, runCommandLine } from "../../services/common/command-line";
import { ConfigError, storageConfig } from "../../services/common/config";
import { BackupRefused } from "./manifest";
import { restoreBackup } from "./restore";

const USAGE = `usage: restore --from <backup dir> [--to <data dir>] [--erasures <erasure register>]... [--only-erasures-in-backup]
  --to          an empty or new directory; default PASSERELLE_DATA_DIR (./data)
  --erasures    an erasure register kept since the backup (the live erasures.db, or a newer backup's);
                PASSERELLE_ERASURE_REGISTER_FILE is read too. One of them, or --only-erasures-in-backup, is required`;

async function main(): Promise<number> {
  const { values, positionals } = parseCommandLine(
    {
      from: { type: "string" },
      to: { type: "string" },
      erasures: { type: "string", multiple: true },
      "only-erasures-in-backup": { type: "boolean", default: false },
    },
    USAGE,
  );
  if (positionals.length > 0 || !values.from) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const storage = storageConfig();
  const to = resolve(values.to ?? storage.dataDir);
  process.umask(0o077);
  const report = await restoreBackup({
    from: values.from,
    to,
    storage,
    erasureRegisters: (values.erasures ?? []).map((path) => resolve(path)),
    onlyErasuresInBackup: values["only-erasures-in-backup"],
    say: (line) => process.stderr.write(`${line}\n`),
  });
  const { log } = report.manifest;
  process.stdout.write(
    `restored into ${report.to}: the log up to position ${log.position}${log.events === null ? " (EventStoreDB's own restore)" : ` (${log.events} events)`}; ${report.erasures} erasures applied again, ${report.erasuresAppended} of them recorded in the log now\n` +
      `${report.keyRestored ? "the ledger key is restored" : `give the audit service the ledger key ${report.manifest.ledgerKeyId ?? ""} (PASSERELLE_LEDGER_KEY_FILE)`}; the services rebuild their read models when they start\n`,
  );
  return 0;
}

runCommandLine(main, (error) => error instanceof BackupRefused || error instanceof ConfigError);
