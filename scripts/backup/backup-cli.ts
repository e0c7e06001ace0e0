/**
 * `npm run backup -- --out <dir>`: a consistent backup while the services run (scripts/backup/take.ts).
 * `npm run backup -- verify <dir> [--head FILE] [--key FILE]`: checks a backup without restoring it; exit 1 when
 * it is damaged or its log does not verify, 3 when the kept head is newer than the backup (nothing to compare).
 */
import { createPublicKey, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { SignedTreeHead } from "../../events/transparency/tree-head";
import { parseCommandLine, runCommandLine } from "../../services/common/command-line";
import { ConfigError, storageConfig } from "../../services/common/config";
import { BackupRefused } from "./manifest";
import { takeBackup } from "./take";
import { checkBackup } from "./verify";

const USAGE = `usage: backup --out <dir> [--without-key] [--eventstoredb-backup <command>]
       backup verify <dir> [--head <kept head JSON>] [--key <ledger public key PEM>]
  --without-key          leave the ledger's signing key out (it is backed up with your secrets)
  --eventstoredb-backup  with EventStoreDB: the command taking the server's own backup (README, Backups)
  --head                 a head an auditor kept (\`npm run audit\`'s --state file, or a bare head)
  --key                  the ledger's public key; default the key in the backup`;

const say = (line: string) => process.stderr.write(`${line}\n`);

function keptHead(path: string): SignedTreeHead {
  const parsed = JSON.parse(readFileSync(path, "utf8")) as { head?: SignedTreeHead } & SignedTreeHead;
  return parsed.head ?? parsed;
}

async function main(): Promise<number> {
  const { values, positionals } = parseCommandLine(
    {
      out: { type: "string" },
      "without-key": { type: "boolean", default: false },
      "eventstoredb-backup": { type: "string" },
      head: { type: "string" },
      key: { type: "string" },
    },
    USAGE,
  );
  if (positionals[0] === "verify" && positionals.length === 2) {
    const dir = resolve(positionals[1]!);
    const key: KeyObject | undefined = values.key ? createPublicKey(readFileSync(values.key)) : undefined;
    const check = await checkBackup(dir, {
      ...(values.head ? { keptHead: keptHead(values.head) } : {}),
      ...(key ? { key } : {}),
      onProgress: (n) => say(`  ${n} events checked`),
    });
    if (!check.ok) {
      process.stdout.write(`BROKEN: ${dir}\n${check.problems.map((p) => `  - ${p}`).join("\n")}\n`);
      return 1;
    }
    const { log } = check.manifest!;
    process.stdout.write(
      `OK: ${dir}: files match their checksums; ${log.backend === "sqlite" ? `${check.eventsChecked} events up to position ${log.position}, hash chains and Merkle root ${log.rootHash} verified` : `the log is EventStoreDB's own backup (position ${log.position} or later)`}; ${check.headsChecked} signed heads recomputed, ${check.signaturesChecked} signatures checked\n`,
    );
    if (check.keptHead === "consistent")
      process.stdout.write("OK: the backup holds the log the kept head was signed over\n");
    if (check.keptHead === "newer-than-backup") {
      process.stdout.write(
        "NOT CHECKED: the kept head covers more events than the backup holds: check it against a newer backup or the live ledger\n",
      );
      return 3;
    }
    return 0;
  }
  if (positionals.length > 0 || !values.out) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const storage = storageConfig();
  const out = resolve(values.out);
  // Owner-only: a backup holds the vault's keys.
  process.umask(0o077);
  const manifest = await takeBackup({
    out,
    storage,
    withoutKey: values["without-key"],
    ...(values["eventstoredb-backup"] ? { eventStoreDbBackup: values["eventstoredb-backup"] } : {}),
    say,
  });
  process.stdout.write(
    `backup in ${out}: ${manifest.log.events ?? "EventStoreDB's"} events up to position ${manifest.log.position}, newest signed head ${manifest.treeHead ? `${manifest.treeHead.treeSize} events` : "none"}; ${manifest.files.map((f) => f.name).join(", ")}\n`,
  );
  if (!manifest.files.some((file) => file.store === "ledgerKey")) {
    process.stdout.write(
      `the ledger key (${manifest.ledgerKeyId ?? "none"}) is not in this backup: keep it with your secrets\n`,
    );
  }
  return 0;
}

runCommandLine(main, (error) => error instanceof BackupRefused || error instanceof ConfigError);
