/**
 * The embedded vault: a SQLite file of its own, apart from the event store's (`data/personal.db`). Deletion is
 * real: `secure_delete` zeroes what a DELETE frees, and the WAL is checkpointed and truncated after each erasure,
 * so no copy of a key or a contact stays in the file or its journal.
 */
import Database from "better-sqlite3";
import {
  newKey,
  openWith,
  PersonForgottenError,
  sealedFor,
  sealWith,
  type Opened,
  type PersonalDataVault,
  type PersonContact,
  type Sealed,
} from "../../personal-data/vault";

export function openSqlitePersonalDataVault(path: string): PersonalDataVault {
  const db = new Database(path);
  db.pragma("busy_timeout = 5000");
  if (path !== ":memory:") db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("secure_delete = ON");
  db.exec(`
    CREATE TABLE IF NOT EXISTS person_keys (person_id TEXT PRIMARY KEY, key BLOB NOT NULL);
    CREATE TABLE IF NOT EXISTS person_contacts (person_id TEXT PRIMARY KEY, email TEXT);
    CREATE TABLE IF NOT EXISTS forgotten_persons (person_id TEXT PRIMARY KEY, forgotten_at TEXT NOT NULL);`);
  const keyOf = db.prepare<[string], { key: Buffer }>("SELECT key FROM person_keys WHERE person_id = ?");
  const forgotten = db.prepare<[string], { forgotten_at: string }>(
    "SELECT forgotten_at FROM forgotten_persons WHERE person_id = ?",
  );
  const makeKey = db.transaction((personId: string): Buffer => {
    if (forgotten.get(personId)) throw new PersonForgottenError(personId);
    const existing = keyOf.get(personId);
    if (existing) return existing.key;
    const key = newKey();
    db.prepare("INSERT INTO person_keys (person_id, key) VALUES (?, ?)").run(personId, key);
    return key;
  });
  const forget = db.transaction((personId: string, at: string) => {
    db.prepare("DELETE FROM person_keys WHERE person_id = ?").run(personId);
    db.prepare("DELETE FROM person_contacts WHERE person_id = ?").run(personId);
    db.prepare("INSERT OR IGNORE INTO forgotten_persons (person_id, forgotten_at) VALUES (?, ?)").run(personId, at);
  });
  return {
    async seal(personId, value) {
      return sealWith(makeKey(personId), personId, value);
    },
    async open<T>(sealed: Sealed): Promise<Opened<T>> {
      const row = keyOf.get(sealedFor(sealed));
      return row ? { erased: false, value: openWith<T>(row.key, sealed) } : { erased: true };
    },
    async saveContact(personId, contact: PersonContact) {
      if (forgotten.get(personId)) throw new PersonForgottenError(personId);
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
    async forget(personId, at) {
      forget(personId, at);
      // What the DELETE freed is zeroed (secure_delete); the WAL still holds the pages as they were: fold it
      // into the file and truncate it.
      if (path !== ":memory:") db.pragma("wal_checkpoint(TRUNCATE)");
    },
    async forgottenAt(personId) {
      return forgotten.get(personId)?.forgotten_at ?? null;
    },
    async close() {
      db.close();
    },
  };
}
