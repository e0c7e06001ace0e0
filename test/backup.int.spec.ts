/**
 * Backups, piece by piece: the online copy of a database another process keeps writing, the checks a backup
 * must pass (a rewritten log refused even when its checksums were redone; an auditor's kept head proved, or shown
 * newer), and a restore that re-applies erasures recorded since the backup and refuses to guess.
 * The whole drill, with real services under load and kill -9, is test/reliability/restore.reliability.ts.
 */
import { spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import Database from "better-sqlite3";
import { backupSqlite } from "../events/adapters/sqlite/online-backup";
import { openSqliteEventStore } from "../events/adapters/sqlite/sqlite-event-store";
import { openSqlitePersonalDataVault } from "../events/adapters/sqlite/sqlite-personal-data-vault";
import { comparePositions } from "../events/envelope";
import { openEventStore } from "../events/open-event-store";
import type { EventStore } from "../events/port";
import { CompactRange, leafHash, leafInput } from "../events/transparency/merkle";
import { signTreeHead, type SignedTreeHead } from "../events/transparency/tree-head";
import { institutionDecider } from "../domain/partnerships/institution.decider";
import { personDecider } from "../domain/people/person.decider";
import { TreeHeadLog } from "../projections/tree-heads";
import { handleCommand } from "../services/common/command-handler";
import { storageConfig } from "../services/common/config";
import { BackupRefused, sha256Of, type BackupManifest } from "../scripts/backup/manifest";
import { restoreBackup } from "../scripts/backup/restore";
import { takeBackup } from "../scripts/backup/take";
import { checkBackup } from "../scripts/backup/verify";
import { describeWithEventStoreDb } from "./support/eventstoredb";
import { tempDir } from "./support/temp";

const CHILD = join(__dirname, "support", "sqlite-writer.child.ts");
const NOW = "2026-12-01T12:00:00.000Z";
const { privateKey } = generateKeyPairSync("ed25519");

async function rootAt(store: EventStore, size: number): Promise<string> {
  const range = new CompactRange();
  for await (const event of store.readAll({ maxCount: size })) range.append(leafHash(leafInput(event)));
  return range.root().toString("hex");
}

async function headAt(store: EventStore, size: number, timestamp: number): Promise<SignedTreeHead> {
  return signTreeHead(privateKey, { treeSize: size, timestamp, rootHash: await rootAt(store, size) });
}

/** A data directory as the services leave it: a log with people in it, signed heads, a vault, the key. */
async function dataDirectory(dir: string) {
  mkdirSync(dir, { recursive: true });
  const storage = storageConfig({ PASSERELLE_DATA_DIR: dir });
  const env = { PASSERELLE_DATA_DIR: dir };
  writeFileSync(join(dir, "ledger-key.pem"), privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
  const store = openSqliteEventStore({ path: storage.sqlitePath });
  const vault = openSqlitePersonalDataVault({
    vault: join(dir, "personal.db"),
    erasureRegister: join(dir, "erasures.db"),
  });
  const record = async (personId: string) =>
    handleCommand(store, personDecider, {
      type: "RecordPerson",
      data: {
        personId,
        institutionId: "chu-test",
        identity: await vault.seal(personId, { name: `Name of ${personId}` }),
      },
      metadata: { commandId: `record-${personId}`, actor: "editor", now: NOW },
    });
  await handleCommand(store, institutionDecider, {
    type: "RegisterInstitution",
    data: { institutionId: "chu-test", name: "CHU Test", kind: "hospital", country: "FR" },
    metadata: { commandId: "register-chu-test", actor: "editor", now: NOW },
  });
  for (const personId of ["ada", "bob", "cyd"]) await record(personId);
  for (let i = 0; i < 19; i++) {
    await store.appendToStream(`note-${i % 3}`, [
      { type: "NoteWritten", data: { i }, metadata: { actor: "t", commandId: `n${i}` } },
    ]);
  }
  const heads = new TreeHeadLog(join(dir, "tree-heads.db"));
  heads.add(await headAt(store, 10, 1_000));
  heads.add(await headAt(store, 23, 2_000));
  heads.close();
  return { storage, env, store, vault, record };
}

describe("backups", () => {
  const dir = tempDir("passerelle-backup-");
  afterAll(() => dir.remove());

  it("copies a database another process keeps writing as one snapshot, never restarting", async () => {
    const path = join(dir.path, "busy.db");
    const store = openSqliteEventStore({ path });
    const padding = "x".repeat(800);
    for (let batch = 0; batch < 150; batch++) {
      await store.appendToStream(
        `seed-${batch}`,
        Array.from({ length: 200 }, (_, i) => ({
          type: "Seeded",
          data: { i, padding },
          metadata: { actor: "t", commandId: `seed-${batch}-${i}` },
        })),
      );
    }
    await store.close();
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", CHILD, path, "busy", "0", "4"], {
      stdio: ["ignore", "pipe", "ignore"],
    });
    const acks: number[] = [];
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      const position = /^ack \S+ \d+ (\d+)$/.exec(line)?.[1];
      if (position) acks.push(Number(position));
    });
    try {
      while (acks.length < 20) await new Promise((resolve) => setTimeout(resolve, 20));
      const remaining: number[] = [];
      const copy = join(dir.path, "busy-copy.db");
      const snapshot = await backupSqlite(
        path,
        copy,
        (db) => db.prepare<[], { p: number; n: number }>("SELECT max(position) AS p, count(*) AS n FROM events").get()!,
        (progress) => remaining.push(progress.remainingPages),
      );
      const ackedDuring = acks.filter((position) => position > snapshot.p).length;
      // Several steps, the writer committing between them, and the copy never starting over.
      expect(remaining.length).toBeGreaterThan(3);
      expect(remaining.every((pages, i) => i === 0 || pages <= remaining[i - 1]!)).toBe(true);
      expect(ackedDuring).toBeGreaterThan(0);
      const copied = new Database(copy, { readonly: true });
      expect(copied.prepare("SELECT max(position) AS p, count(*) AS n FROM events").get()).toEqual(snapshot);
      expect(copied.pragma("journal_mode", { simple: true })).toBe("delete");
      expect(copied.pragma("integrity_check", { simple: true })).toBe("ok");
      copied.close();
    } finally {
      child.kill("SIGKILL");
    }
  }, 120_000);

  it("a backup verifies; a log rewritten with its checksums redone is refused; a kept head is proved or newer", async () => {
    const data = await dataDirectory(join(dir.path, "a"));
    const out = join(dir.path, "a-backup");
    const manifest = await takeBackup({ out, storage: data.storage, env: data.env });
    expect(manifest.log).toEqual({
      backend: "sqlite",
      position: "23",
      events: 23,
      rootHash: await rootAt(data.store, 23),
    });
    expect(manifest.treeHead?.treeSize).toBe(23);
    expect(manifest.files.map((file) => file.name).sort()).toEqual([
      "erasures.db",
      "events.db",
      "ledger-key.pem",
      "personal.db",
      "tree-heads.db",
    ]);
    expect(await checkBackup(out)).toMatchObject({
      ok: true,
      eventsChecked: 23,
      headsChecked: 2,
      signaturesChecked: 2,
    });

    // An auditor's head over the first 17 events is proved; one over more than the backup holds is newer.
    expect((await checkBackup(out, { keptHead: await headAt(data.store, 17, 1_500) })).keptHead).toBe("consistent");
    await data.store.appendToStream("note-x", [
      { type: "NoteWritten", data: {}, metadata: { actor: "t", commandId: "late" } },
    ]);
    expect((await checkBackup(out, { keptHead: await headAt(data.store, 24, 3_000) })).keptHead).toBe(
      "newer-than-backup",
    );
    // A head over another history of the same length is refused.
    const other = signTreeHead(privateKey, { treeSize: 17, timestamp: 1_500, rootHash: "ab".repeat(32) });
    expect(await checkBackup(out, { keptHead: other })).toMatchObject({ ok: false });
    const unsigned = { ...(await headAt(data.store, 17, 1_500)), signature: Buffer.alloc(64).toString("base64") };
    expect((await checkBackup(out, { keptHead: unsigned })).problems).toEqual([
      "the kept head does not carry the ledger key's signature",
    ]);

    // Someone rewrites an event in the backup and redoes the manifest's checksum: the hash chain still says no.
    const events = join(out, "events.db");
    const db = new Database(events);
    db.prepare("UPDATE events SET data = json_set(data, '$.i', 99) WHERE position = 12").run();
    db.close();
    const path = join(out, "manifest.json");
    const edited = JSON.parse(readFileSync(path, "utf8")) as BackupManifest;
    const file = edited.files.find((f) => f.name === "events.db")!;
    Object.assign(file, { sha256: await sha256Of(events), bytes: readFileSync(events).length });
    writeFileSync(path, JSON.stringify(edited));
    const check = await checkBackup(out);
    expect(check.ok).toBe(false);
    expect(check.problems[0]).toMatch(/^the log does not verify at position 12/);
    await data.store.close();
    await data.vault.close();
  });

  it("a restore re-applies every erasure since the backup, and asks when it does not know them", async () => {
    const data = await dataDirectory(join(dir.path, "b"));
    const out = join(dir.path, "b-backup");
    await takeBackup({ out, storage: data.storage, env: data.env });
    // After the backup: ada is erased; dan is recorded and erased (the backup never knew him).
    await data.vault.forget({ personId: "ada", at: "2026-12-02T00:00:00.000Z", basis: "request" });
    await data.record("dan");
    await data.vault.forget({ personId: "dan", at: "2026-12-03T00:00:00.000Z", basis: "retention" });
    await data.vault.close();
    await data.store.close();
    const to = join(dir.path, "b-restored");
    const restore = (erasureRegisters: string[], target = to) =>
      restoreBackup({ from: out, to: target, storage: data.storage, erasureRegisters, now: () => NOW });

    await expect(restore([])).rejects.toThrow(/who was erased since this backup\?/);
    expect(existsSync(to)).toBe(false);
    const busy = join(dir.path, "b-busy");
    mkdirSync(busy);
    writeFileSync(join(busy, "something"), "");
    await expect(restore([join(dir.path, "b", "erasures.db")], busy)).rejects.toBeInstanceOf(BackupRefused);

    const report = await restore([join(dir.path, "b", "erasures.db")]);
    expect(report).toMatchObject({ erasures: 2, erasuresAppended: 1, keyRestored: true });
    const store = openSqliteEventStore({ path: join(to, "events.db") });
    const forgotten = [];
    for await (const event of store.readAll({ after: "23" }))
      forgotten.push([event.type, event.data, event.metadata.actor]);
    expect(forgotten).toEqual([["PersonForgotten", { personId: "ada", basis: "request" }, "restore"]]);
    await store.close();
    const vault = openSqlitePersonalDataVault({
      vault: join(to, "personal.db"),
      erasureRegister: join(to, "erasures.db"),
    });
    const sealed = async (personId: string) => {
      const raw = new Database(join(to, "events.db"), { readonly: true });
      const row = raw
        .prepare<[string], { data: string }>("SELECT data FROM events WHERE stream_id = ? AND type = 'PersonRecorded'")
        .get(`person-${personId}`);
      raw.close();
      return (JSON.parse(row!.data) as { identity: `sealed:v1:${string}` }).identity;
    };
    expect(await vault.open(await sealed("ada"))).toEqual({ erased: true });
    expect(await vault.open(await sealed("bob"))).toEqual({ erased: false, value: { name: "Name of bob" } });
    // Dan is in no restored event, but his id stays closed.
    expect(await vault.forgottenAt("dan")).toBe("2026-12-03T00:00:00.000Z");
    await expect(vault.seal("dan", { name: "again" })).rejects.toThrow(/forgotten/);
    await vault.close();
  });

  it("a restore puts configured stores where they are configured, and checks a signing key already in place", async () => {
    const data = await dataDirectory(join(dir.path, "c"));
    const out = join(dir.path, "c-backup");
    await takeBackup({ out, storage: data.storage, env: data.env });
    await data.vault.close();
    await data.store.close();
    const volumes = join(dir.path, "c-volumes");
    const env = {
      PASSERELLE_PERSONAL_DATA_FILE: join(volumes, "personal", "personal.db"),
      PASSERELLE_TREE_HEADS_FILE: join(volumes, "ledger", "tree-heads.db"),
      PASSERELLE_ERASURE_REGISTER_FILE: join(volumes, "erasures", "erasures.db"),
      PASSERELLE_LEDGER_KEY_FILE: join(volumes, "secrets", "ledger-key.pem"),
    };
    mkdirSync(join(volumes, "secrets"), { recursive: true });
    const other = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" });
    writeFileSync(env.PASSERELLE_LEDGER_KEY_FILE, other);
    const to = join(dir.path, "c-restored");
    const restore = () =>
      restoreBackup({ from: out, to, storage: data.storage, erasureRegisters: [], onlyErasuresInBackup: true, env });
    await expect(restore()).rejects.toThrow(/the backup's heads are signed with/);
    expect(existsSync(to) || existsSync(env.PASSERELLE_PERSONAL_DATA_FILE)).toBe(false);

    writeFileSync(env.PASSERELLE_LEDGER_KEY_FILE, privateKey.export({ type: "pkcs8", format: "pem" }));
    expect(await restore()).toMatchObject({ keyRestored: false });
    expect(readdirSync(to).sort()).toEqual(["events.db"]);
    for (const path of [
      env.PASSERELLE_PERSONAL_DATA_FILE,
      env.PASSERELLE_TREE_HEADS_FILE,
      env.PASSERELLE_ERASURE_REGISTER_FILE,
    ]) {
      expect(existsSync(path)).toBe(true);
    }
    expect(new TreeHeadLog(env.PASSERELLE_TREE_HEADS_FILE).latest()?.treeSize).toBe(23);
  });

  it("a vault copied before an erasure forgets the person as soon as it opens beside the register", async () => {
    const register = join(dir.path, "register.db");
    const vault = openSqlitePersonalDataVault({ vault: join(dir.path, "v.db"), erasureRegister: register });
    const sealed = await vault.seal("eve", { name: "Eve" });
    await vault.close();
    writeFileSync(join(dir.path, "v-old.db"), readFileSync(join(dir.path, "v.db")));
    const live = openSqlitePersonalDataVault({ vault: join(dir.path, "v.db"), erasureRegister: register });
    await live.forget({ personId: "eve", at: NOW, basis: "request" });
    await live.close();
    const old = openSqlitePersonalDataVault({ vault: join(dir.path, "v-old.db"), erasureRegister: register });
    expect(await old.open(sealed)).toEqual({ erased: true });
    await old.close();
    expect(readFileSync(join(dir.path, "v-old.db")).includes(Buffer.from("eve"))).toBe(false);
  });
});

describeWithEventStoreDb("backups with EventStoreDB", (connectionString) => {
  const dir = tempDir("passerelle-backup-esdb-");
  afterAll(() => dir.remove());

  it("runs the server's backup between the heads and the vault, records the position, checksums its files", async () => {
    const env = {
      PASSERELLE_DATA_DIR: dir.path,
      EVENTSTORE_CONNECTION_STRING: connectionString,
      PASSERELLE_EVENTSTORE_INSECURE: process.env.PASSERELLE_EVENTSTORE_INSECURE ?? "",
    };
    const storage = storageConfig(env);
    const store = openEventStore(storage);
    await store.appendToStream(`backup-esdb-${Date.now()}`, [
      { type: "NoteWritten", data: {}, metadata: { actor: "t", commandId: `esdb-${Date.now()}` } },
    ]);
    const head = await store.headPosition();
    await store.close();
    const out = join(dir.path, "backup");
    const manifest = await takeBackup({
      out,
      storage,
      env,
      // Stands for scripts/eventstoredb/backup.sh, which needs the node's files (not reachable from here).
      eventStoreDbBackup:
        'mkdir -p "$PASSERELLE_BACKUP_DIR/eventstoredb" && echo 1 > "$PASSERELLE_BACKUP_DIR/eventstoredb/writer.chk"',
    });
    expect(manifest.log).toMatchObject({ backend: "eventstoredb", events: null, rootHash: null });
    expect(comparePositions(manifest.log.position, head)).toBeGreaterThanOrEqual(0);
    expect(manifest.files.map((file) => file.name)).toContain("eventstoredb/writer.chk");
    expect(await checkBackup(out)).toMatchObject({ ok: true });
  });
});
