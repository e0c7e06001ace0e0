/**
 * Takes a backup while everything serves. The order is what keeps the copies consistent with one another:
 *   1. the signed tree heads, so no head in the backup covers more events than its log holds;
 *   2. the log (or, with EventStoreDB, the server's own backup, run by the command given);
 *   3. the personal-data vault, after the log: every person the log names has their key in the copy (a key is
 *      made before the event that uses it);
 *   4. the erasure register, last: whoever the vault copy lacks because they were forgotten meanwhile is in it.
 * Each SQLite store is copied with the online backup API as one snapshot. The copy is written beside the target
 * and renamed into place once its manifest is written, then checked like any backup: a backup is never left
 * looking finished when it is not.
 */
import { execSync } from "node:child_process";
import { createPrivateKey } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { backupSqlite, type BackupProgress } from "../../events/adapters/sqlite/online-backup";
import { openEventStore } from "../../events/open-event-store";
import { keyIdOf } from "../../events/transparency/tree-head";
import { ledgerKeyPath, personalDataFiles, treeHeadsPath, type StorageConfig } from "../../services/common/config";
import {
  BACKUP_FILES,
  BACKUP_FORMAT,
  BackupRefused,
  describeFile,
  EVENTSTOREDB_FOLDER,
  fsyncPath,
  MANIFEST,
  writtenBy,
  type BackupManifest,
  type StoreName,
} from "./manifest";
import { inspectLog, readHeads } from "./verify";

export interface TakeOptions {
  readonly out: string;
  readonly storage: StorageConfig;
  readonly env?: NodeJS.ProcessEnv;
  /** Leave the signing key out (it is kept in a secrets store, and backed up there). */
  readonly withoutKey?: boolean;
  /** With EventStoreDB: the shell command that takes the server's own backup (README, Backups). */
  readonly eventStoreDbBackup?: string;
  /** Progress lines for the operator (stderr). */
  readonly say?: (line: string) => void;
}

/** Every n percent of a copy, once. */
function pagesReporter(name: string, say: (line: string) => void): (progress: BackupProgress) => void {
  let shown = -1;
  return ({ totalPages, remainingPages }) => {
    const percent = Math.floor(((totalPages - remainingPages) / Math.max(1, totalPages)) * 10) * 10;
    if (percent > shown && totalPages > 25_000) say(`  ${name}: ${percent}% of ${totalPages} pages`);
    shown = Math.max(shown, percent);
  };
}

export async function takeBackup(options: TakeOptions): Promise<BackupManifest> {
  const env = options.env ?? process.env;
  const say = options.say ?? (() => undefined);
  const { out, storage } = options;
  if (existsSync(out) && readdirSync(out).length > 0) throw new BackupRefused(`${out} exists and is not empty`);
  const stage = `${out}.partial`;
  if (existsSync(stage)) {
    throw new BackupRefused(`${stage} is left from a backup that did not finish: remove it, then back up again`);
  }
  const esdb = Boolean(storage.eventStoreConnectionString);
  if (esdb && !options.eventStoreDbBackup) {
    throw new BackupRefused(
      "the log is in EventStoreDB: give the command that backs the server up with --eventstoredb-backup, so it runs between the tree heads and the vault (README, Backups)",
    );
  }
  mkdirSync(dirname(out), { recursive: true });
  mkdirSync(stage, { mode: 0o700 });
  try {
    const stores: StoreName[] = [];
    const copy = async <T>(store: StoreName, source: string, inSnapshot: Parameters<typeof backupSqlite<T>>[2]) => {
      say(`copying ${source}`);
      const seen = await backupSqlite(source, join(stage, BACKUP_FILES[store]), inSnapshot, pagesReporter(store, say));
      stores.push(store);
      return seen;
    };
    const headsFile = treeHeadsPath(storage, env);
    if (existsSync(headsFile)) await copy("treeHeads", headsFile, () => undefined);

    let position: string;
    if (esdb) {
      // The position before the server's backup starts: its backup holds at least this, and every head above.
      const store = openEventStore(storage);
      position = await store.headPosition().finally(() => store.close());
      say(`EventStoreDB at position ${position}; running: ${options.eventStoreDbBackup}`);
      // The command writes the server's files under $PASSERELLE_BACKUP_DIR/eventstoredb: they are checksummed too.
      execSync(options.eventStoreDbBackup!, {
        stdio: ["ignore", "inherit", "inherit"],
        env: { ...env, PASSERELLE_BACKUP_DIR: stage },
      });
    } else {
      if (!existsSync(storage.sqlitePath)) throw new BackupRefused(`no event store at ${storage.sqlitePath}`);
      position = await copy("eventStore", storage.sqlitePath, (db) =>
        String(db.prepare<[], { p: number | null }>("SELECT max(position) AS p FROM events").get()?.p ?? 0),
      );
    }

    const personal = personalDataFiles(storage, env);
    if (existsSync(personal.vault)) await copy("vault", personal.vault, () => undefined);
    if (existsSync(personal.erasureRegister)) await copy("erasureRegister", personal.erasureRegister, () => undefined);

    const keyFile = ledgerKeyPath(storage, env);
    const keyId = existsSync(keyFile) ? keyIdOf(createPrivateKey(readFileSync(keyFile))) : null;
    if (keyId && !options.withoutKey) {
      copyFileSync(keyFile, join(stage, BACKUP_FILES.ledgerKey));
      stores.push("ledgerKey");
    }

    const heads = readHeads(join(stage, BACKUP_FILES.treeHeads));
    let log: { events: number | null; rootHash: string | null } = { events: null, rootHash: null };
    if (!esdb) {
      say("checking the copied log: hash chains, signed heads, Merkle root");
      const inspected = await inspectLog(join(stage, BACKUP_FILES.eventStore), heads, (n) =>
        say(`  ${n} events checked`),
      );
      if (!inspected.ok) {
        const broken = inspected.firstBreak!;
        throw new BackupRefused(
          `the log does not verify at position ${broken.position} (${broken.streamId}): ${broken.detail}; investigate with \`npm run integrity\` before backing it up`,
        );
      }
      log = { events: inspected.eventsChecked, rootHash: inspected.rootHash };
    }

    const files = [];
    for (const store of stores) {
      fsyncPath(join(stage, BACKUP_FILES[store]));
      files.push(await describeFile(stage, store));
    }
    if (existsSync(join(stage, EVENTSTOREDB_FOLDER))) {
      const names = readdirSync(join(stage, EVENTSTOREDB_FOLDER), { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => relative(stage, join(entry.parentPath, entry.name)))
        .sort();
      for (const name of names) files.push(await describeFile(stage, "eventStoreDb", name));
    }
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      takenAt: new Date().toISOString(),
      writtenBy: writtenBy(),
      log: { backend: esdb ? "eventstoredb" : "sqlite", position, ...log },
      treeHead: heads.at(-1) ?? null,
      ledgerKeyId: keyId ?? heads.at(-1)?.keyId ?? null,
      files,
    };
    writeFileSync(join(stage, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
    fsyncPath(join(stage, MANIFEST));
    if (existsSync(out)) rmSync(out, { recursive: true });
    renameSync(stage, out);
    fsyncPath(dirname(out));
    return manifest;
  } catch (error) {
    rmSync(stage, { recursive: true, force: true });
    throw error;
  }
}
