/**
 * Restores a backup into an empty data directory. The backup is checked first (manifest, checksums, hash chains,
 * heads); the stores are laid out in a directory beside the target and renamed into place only once complete,
 * so a refused or failed restore leaves nothing behind. Read models are not restored: the services rebuild them
 * from the restored log when they start.
 *
 * Erasures survive: every erasure in the backup's register and in the registers given (the live one, kept on
 * other storage) is applied again — the person's key and contact destroyed in the restored vault, and a
 * `PersonForgotten` appended (actor `restore`) for whoever the restored log still has recorded.
 */
import { createPrivateKey } from "node:crypto";
import { chmodSync, copyFileSync, existsSync, mkdirSync } from "node:fs";
import { readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { openSqliteEventStore } from "../../events/adapters/sqlite/sqlite-event-store";
import {
  openSqlitePersonalDataVault,
  readErasureRegister,
} from "../../events/adapters/sqlite/sqlite-personal-data-vault";
import { ERASURE_BASES, type ErasureBasis } from "../../events/catalogue/person";
import { openEventStore } from "../../events/open-event-store";
import type { Erasure } from "../../events/personal-data/vault";
import type { EventStore } from "../../events/port";
import { NotFound, RuleViolation } from "../../domain/decider";
import { personDecider } from "../../domain/people/person.decider";
import { handleCommand } from "../../services/common/command-handler";
import { keyIdOf } from "../../events/transparency/tree-head";
import {
  ledgerKeyPath,
  personalDataFiles,
  storageConfig,
  treeHeadsPath,
  type StorageConfig,
} from "../../services/common/config";
import { BACKUP_FILES, BackupRefused, fsyncPath, type BackupManifest, type StoreName } from "./manifest";
import { checkBackup } from "./verify";

export interface RestoreOptions {
  readonly from: string;
  /** The data directory to create; it must not exist or be empty. */
  readonly to: string;
  readonly storage: StorageConfig;
  /**
   * Erasure registers recorded since the backup (the live `erasures.db`, or a newer backup's): each erasure in
   * them is applied to the restored stores. The register PASSERELLE_ERASURE_REGISTER_FILE names is read too.
   */
  readonly erasureRegisters: readonly string[];
  /** Restore with only the erasures the backup itself knows (the operator knows there were none since). */
  readonly onlyErasuresInBackup?: boolean;
  /** Where the configured stores live (PASSERELLE_PERSONAL_DATA_FILE and the like); default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  readonly now?: () => string;
  readonly say?: (line: string) => void;
}

export interface RestoreReport {
  readonly manifest: BackupManifest;
  readonly to: string;
  /** Erasures known, from the backup and the registers given. */
  readonly erasures: number;
  /** PersonForgotten events appended for people the restored log still had recorded. */
  readonly erasuresAppended: number;
  readonly keyRestored: boolean;
}

/** The erasures of a register file, read without writing to it. */
export function readErasures(path: string): Erasure[] {
  if (!existsSync(path)) throw new BackupRefused(`no erasure register at ${path}`);
  try {
    return readErasureRegister(path);
  } catch (error) {
    throw new BackupRefused(`${path} is not a readable erasure register: ${(error as Error).message}`);
  }
}

/** The earliest erasure of each person, over every register. */
function union(lists: readonly Erasure[][]): Erasure[] {
  const byPerson = new Map<string, Erasure>();
  for (const erasure of lists.flat()) {
    const known = byPerson.get(erasure.personId);
    if (!known || erasure.at < known.at) byPerson.set(erasure.personId, erasure);
  }
  return [...byPerson.values()].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

const basisOf = (basis: string): ErasureBasis =>
  (ERASURE_BASES as readonly string[]).includes(basis) ? (basis as ErasureBasis) : "request";

/** ForgetPerson for each erased person the log still has recorded; the command id makes a retry append once. */
async function forgetInLog(store: EventStore, erasures: readonly Erasure[], now: string): Promise<number> {
  let appended = 0;
  for (const erasure of erasures) {
    try {
      const result = await handleCommand(store, personDecider, {
        type: "ForgetPerson",
        data: { personId: erasure.personId, basis: basisOf(erasure.basis) },
        metadata: { commandId: `restore:${erasure.personId}`, actor: "restore", now },
      });
      if (!result.replayed) appended += 1;
    } catch (error) {
      // Not in the restored log (recorded after the backup), or already forgotten in it: nothing to append.
      if (error instanceof NotFound) continue;
      if (error instanceof RuleViolation && error.rule === "PERSON_FORGOTTEN") continue;
      throw error;
    }
  }
  return appended;
}

/** Where each restored store goes: the configured file, or its place in the new data directory. */
function placesOf(to: string, env: NodeJS.ProcessEnv): Record<StoreName, string> {
  const storage = storageConfig({ ...env, PASSERELLE_DATA_DIR: to });
  const personal = personalDataFiles(storage, env);
  return {
    eventStore: storage.sqlitePath,
    treeHeads: treeHeadsPath(storage, env),
    vault: personal.vault,
    erasureRegister: personal.erasureRegister,
    ledgerKey: ledgerKeyPath(storage, env),
  };
}

/** Moves a file into place; across file systems (another volume) by copy, sync and unlink. */
function place(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true, mode: 0o700 });
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
    copyFileSync(from, to);
    fsyncPath(to);
    rmSync(from);
  }
}

export async function restoreBackup(options: RestoreOptions): Promise<RestoreReport> {
  const say = options.say ?? (() => undefined);
  const now = options.now ?? (() => new Date().toISOString());
  const env = options.env ?? process.env;
  const from = resolve(options.from);
  const to = resolve(options.to);
  if (existsSync(to) && readdirSync(to).length > 0) {
    throw new BackupRefused(`${to} is not empty: a restore goes into an empty data directory`);
  }
  const stage = join(dirname(to), `.${basename(to)}.restoring`);
  if (existsSync(stage)) throw new BackupRefused(`${stage} is left from a restore that did not finish: remove it`);
  const places = placesOf(to, env);
  const outside = (store: StoreName) => !places[store].startsWith(`${to}/`);
  // The live register (configured on other storage) is read, and learns what only the backup knew.
  const live = outside("erasureRegister") ? places.erasureRegister : undefined;
  const registers = [...options.erasureRegisters, ...(live && existsSync(live) ? [live] : [])];
  if (registers.length === 0 && !options.onlyErasuresInBackup) {
    throw new BackupRefused(
      "who was erased since this backup? Give the current erasure register with --erasures <file> " +
        "(PASSERELLE_ERASURE_REGISTER_FILE, default data/erasures.db, or a newer backup's erasures.db), " +
        "or --only-erasures-in-backup if you know there were none",
    );
  }
  for (const store of ["treeHeads", "vault"] as const) {
    if (outside(store) && existsSync(places[store])) {
      throw new BackupRefused(`${places[store]} exists: a restore does not overwrite a store; move it away first`);
    }
  }
  say(`checking ${from}: checksums, hash chains, signed heads`);
  const check = await checkBackup(from, { onProgress: (n) => say(`  ${n} events checked`) });
  if (!check.ok) throw new BackupRefused(`${from} cannot be restored:\n  - ${check.problems.join("\n  - ")}`);
  const manifest = check.manifest!;
  const listed = new Set(manifest.files.map((file) => file.store));
  if (manifest.log.backend === "sqlite" && options.storage.eventStoreConnectionString) {
    throw new BackupRefused("the backup's log is embedded, but EVENTSTORE_CONNECTION_STRING is set");
  }
  // A signing key already in place (a deployment's secret) must be the one the backup's heads are signed with.
  const keyInPlace = outside("ledgerKey") && existsSync(places.ledgerKey);
  if (keyInPlace && manifest.ledgerKeyId) {
    const id = keyIdOf(createPrivateKey(readFileSync(places.ledgerKey)));
    if (id !== manifest.ledgerKeyId) {
      throw new BackupRefused(
        `the ledger key at ${places.ledgerKey} is ${id}; the backup's heads are signed with ${manifest.ledgerKeyId}`,
      );
    }
  }
  const erasures = union([
    listed.has("erasureRegister") ? readErasures(join(from, BACKUP_FILES.erasureRegister)) : [],
    ...registers.map(readErasures),
  ]);

  mkdirSync(dirname(to), { recursive: true });
  mkdirSync(stage, { mode: 0o700 });
  try {
    for (const file of manifest.files) {
      // EventStoreDB's files go back by the server's own procedure (README, Backups), before this restore.
      if (file.store === "eventStoreDb" || (file.store === "ledgerKey" && keyInPlace)) continue;
      mkdirSync(dirname(join(stage, file.name)), { recursive: true, mode: 0o700 });
      copyFileSync(join(from, file.name), join(stage, file.name));
      chmodSync(join(stage, file.name), 0o600);
    }
    // The vault forgets again whoever any register names; its own register learns every erasure.
    const vault = openSqlitePersonalDataVault({
      vault: join(stage, BACKUP_FILES.vault),
      erasureRegister: join(stage, BACKUP_FILES.erasureRegister),
    });
    try {
      for (const erasure of erasures) await vault.forget(erasure);
    } finally {
      await vault.close();
    }
    const store =
      manifest.log.backend === "sqlite"
        ? openSqliteEventStore({ path: join(stage, BACKUP_FILES.eventStore) })
        : openEventStore(options.storage);
    let erasuresAppended: number;
    try {
      erasuresAppended = await forgetInLog(store, erasures, now());
    } finally {
      await store.close();
    }
    // Everything checked and written: the stores go into place, the configured ones outside the directory first.
    if (live) {
      mkdirSync(dirname(live), { recursive: true, mode: 0o700 });
      const register = openSqlitePersonalDataVault({ vault: ":memory:", erasureRegister: live });
      for (const erasure of erasures) await register.forget(erasure);
      await register.close();
      rmSync(join(stage, BACKUP_FILES.erasureRegister));
    }
    for (const storeName of ["treeHeads", "vault", "ledgerKey"] as const) {
      const staged = join(stage, BACKUP_FILES[storeName]);
      if (outside(storeName) && existsSync(staged)) place(staged, places[storeName]);
    }
    for (const entry of readdirSync(stage, { withFileTypes: true })) {
      if (entry.isFile()) chmodSync(join(stage, entry.name), 0o600);
    }
    if (existsSync(to)) rmSync(to, { recursive: true });
    renameSync(stage, to);
    say(`restored ${manifest.log.events ?? "?"} events up to position ${manifest.log.position} into ${to}`);
    return {
      manifest,
      to,
      erasures: erasures.length,
      erasuresAppended,
      keyRestored: listed.has("ledgerKey") && !keyInPlace,
    };
  } catch (error) {
    rmSync(stage, { recursive: true, force: true });
    throw error;
  }
}
