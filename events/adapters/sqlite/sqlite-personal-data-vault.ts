/**
 * The embedded vault: a SQLite file of its own, apart from the event store's (`data/personal.db`). Deletion is
 * real: `secure_delete` zeroes what a DELETE frees, and the WAL is checkpointed and truncated after each erasure,
 * so no copy of a key or a contact stays in the file or its journal.
 *
 * Beside it, the erasure register (`data/erasures.db`, best on other storage): who was forgotten, when, why.
 * An erasure is registered before the key goes, and every opening of the vault forgets again whoever the
 * register names — so a vault restored from a backup older than an erasure loses that person's key at once.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import {
  newKey,
  openWith,
  PersonForgottenError,
  sealedFor,
  sealWith,
  type Erasure,
  type Opened,
  type PersonalDataVault,
  type PersonContact,
  type Sealed,
} from "../../personal-data/vault";

function openDatabase(path: string): Database.Database {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const db = new Database(path);
  db.pragma("busy_timeout = 5000");
  if (path !== ":memory:") db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  return db;
}

/** Every erasure a register holds, oldest first. */
function erasuresIn(register: Database.Database): Erasure[] {
  return register
    .prepare<[], { person_id: string; erased_at: string; basis: string }>(
      "SELECT person_id, erased_at, basis FROM erasures ORDER BY erased_at, person_id",
    )
    .all()
    .map((row) => ({ personId: row.person_id, at: row.erased_at, basis: row.basis }));
}

/** The erasures of a register file, read without writing to it (a backup's, or the live one during a restore). */
export function readErasureRegister(path: string): Erasure[] {
  const register = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return erasuresIn(register);
  } finally {
    register.close();
  }
}

/** The vault's file and the erasure register's (`:memory:` for tests). */
export interface VaultFiles {
  readonly vault: string;
  readonly erasureRegister: string;
}

export function openSqlitePersonalDataVault(files: VaultFiles): PersonalDataVault {
  const path = files.vault;
  const register = openDatabase(files.erasureRegister);
  register.exec(
    "CREATE TABLE IF NOT EXISTS erasures (person_id TEXT PRIMARY KEY, erased_at TEXT NOT NULL, basis TEXT NOT NULL)",
  );
  const db = openDatabase(path);
  db.pragma("secure_delete = ON");
  db.exec(`
    CREATE TABLE IF NOT EXISTS person_keys (person_id TEXT PRIMARY KEY, key BLOB NOT NULL);
    CREATE TABLE IF NOT EXISTS person_contacts (person_id TEXT PRIMARY KEY, email TEXT);`);
  const registered = register.prepare<[string], { erased_at: string }>(
    "SELECT erased_at FROM erasures WHERE person_id = ?",
  );
  const registerErasure = register.prepare<[string, string, string]>(
    "INSERT OR IGNORE INTO erasures (person_id, erased_at, basis) VALUES (?, ?, ?)",
  );
  const keyOf = db.prepare<[string], { key: Buffer }>("SELECT key FROM person_keys WHERE person_id = ?");
  const deleteKey = db.prepare<[string]>("DELETE FROM person_keys WHERE person_id = ?");
  const deleteContact = db.prepare<[string]>("DELETE FROM person_contacts WHERE person_id = ?");
  const refuseForgotten = (personId: string) => {
    if (registered.get(personId)) throw new PersonForgottenError(personId);
  };
  const makeKey = db.transaction((personId: string): Buffer => {
    refuseForgotten(personId);
    const existing = keyOf.get(personId);
    if (existing) return existing.key;
    const key = newKey();
    db.prepare("INSERT INTO person_keys (person_id, key) VALUES (?, ?)").run(personId, key);
    return key;
  });
  /** Destroys what the vault holds of these people; true when it held anything. */
  const destroy = db.transaction((personIds: readonly string[]): boolean => {
    let changes = 0;
    for (const personId of personIds) changes += deleteKey.run(personId).changes + deleteContact.run(personId).changes;
    return changes > 0;
  });
  // What the DELETE freed is zeroed (secure_delete); the WAL still holds the pages as they were: fold it into
  // the file and truncate it.
  const scrub = () => {
    if (path !== ":memory:") db.pragma("wal_checkpoint(TRUNCATE)");
  };
  if (destroy(erasuresIn(register).map((erasure) => erasure.personId))) scrub();
  return {
    async seal(personId, value) {
      return sealWith(makeKey(personId), personId, value);
    },
    async open<T>(sealed: Sealed): Promise<Opened<T>> {
      const row = keyOf.get(sealedFor(sealed));
      return row ? { erased: false, value: openWith<T>(row.key, sealed) } : { erased: true };
    },
    async saveContact(personId, contact: PersonContact) {
      refuseForgotten(personId);
      db.prepare("INSERT OR REPLACE INTO person_contacts (person_id, email) VALUES (?, ?)").run(
        personId,
        contact.email,
      );
    },
    async contact(personId) {
      const row = db
        .prepare<[string], { email: string | null }>("SELECT email FROM person_contacts WHERE person_id = ?")
        .get(personId);
      return row ? { email: row.email } : null;
    },
    async forget({ personId, at, basis }) {
      // Registered first: a crash before the key goes leaves an erasure the next opening finishes.
      registerErasure.run(personId, at, basis);
      destroy([personId]);
      scrub();
    },
    async forgottenAt(personId) {
      return registered.get(personId)?.erased_at ?? null;
    },
    async erasures() {
      return erasuresIn(register);
    },
    async close() {
      db.close();
      register.close();
    },
  };
}
