import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import Database from "better-sqlite3";
import { openSqliteEventStore, SqliteBackend } from "../events/adapters/sqlite/sqlite-event-store";
import type { RecordedEvent } from "../events/envelope";
import { findChainBreak } from "../events/hash-chain";
import type { EventStore } from "../events/port";
import { eventStoreContract } from "./event-store.contract";
import { collect, take } from "./support/async";
import { tempDir } from "./support/temp";

const CHILD = join(__dirname, "support", "sqlite-writer.child.ts");

function insertRaw(db: Database.Database, event: Omit<RecordedEvent, "position">): void {
  const { hash, ...metadata } = event.metadata;
  db.prepare(
    `INSERT INTO events (event_id, stream_id, revision, type, version, recorded_at, data, metadata, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    event.id,
    event.streamId,
    event.revision,
    event.type,
    event.version,
    event.recordedAt,
    JSON.stringify(event.data),
    JSON.stringify(metadata),
    hash,
  );
}

describe("SQLite event store: contract (file, WAL, synchronous FULL)", () => {
  eventStoreContract(async () => {
    const dir = tempDir();
    const path = join(dir.path, "events.db");
    const store = openSqliteEventStore({ path, pollIntervalMs: 20 });
    const raw = new Database(path);
    return {
      store,
      forge: async (event) => insertRaw(raw, event),
      dispose: async () => {
        raw.close();
        await store.close();
        dir.remove();
      },
    };
  });
});

describe("SQLite event store: specifics", () => {
  const event = (type: string, data: unknown, commandId = "cmd") => ({
    type,
    data,
    metadata: { actor: "test", commandId },
  });
  let dir: ReturnType<typeof tempDir>;
  let path: string;
  beforeEach(() => {
    dir = tempDir();
    path = join(dir.path, "events.db");
  });
  afterEach(() => dir.remove());

  it("works in memory for fast tests", async () => {
    const store = openSqliteEventStore({ path: ":memory:" });
    await store.appendToStream("partnership-1", [event("PartnershipProposed", { titre: "Hanoï" })]);
    const subscription = store.subscribeToAll();
    const [first] = await take(subscription[Symbol.asyncIterator](), 1);
    expect(first!.data).toEqual({ titre: "Hanoï" });
    await subscription.close();
    await store.close();
  });

  it("defaults to WAL with synchronous FULL, and takes the durability setting", () => {
    const safe = new SqliteBackend({ path });
    expect(safe.settings()).toEqual({ journalMode: "wal", synchronous: "full" });
    const fast = new SqliteBackend({ path: join(dir.path, "fast.db"), durability: "normal" });
    expect(fast.settings()).toEqual({ journalMode: "wal", synchronous: "normal" });
    return Promise.all([safe.close(), fast.close()]);
  });

  it("keeps its events across a reopen", async () => {
    const first = openSqliteEventStore({ path });
    await first.appendToStream("partnership-1", [event("PartnershipProposed", {})]);
    await first.close();
    const second = openSqliteEventStore({ path });
    expect(await collect(second.readStream("partnership-1"))).toHaveLength(1);
    expect(await second.headPosition()).toBe("1");
    await second.close();
  });

  describe("tampering with any stored field breaks the chain", () => {
    const columns: Array<[string, string]> = [
      ["event_id", "'00000000-0000-4000-8000-000000000000'"],
      ["stream_id", "'partnership-2'"],
      ["type", "'MoUAmended'"],
      ["version", "2"],
      ["recorded_at", "'2020-01-01T00:00:00.000Z'"],
      ["data", `'{"signedOn":"2018"}'`],
      ["metadata", `json_set(metadata, '$.actor', 'mallory')`],
      ["metadata", `json_set(metadata, '$.businessDate', '2017')`],
      ["metadata", `json_set(metadata, '$.commandId', 'other')`],
      ["metadata", `json_set(metadata, '$.correlationId', 'other')`],
      ["metadata", `json_set(metadata, '$.causationId', 'other')`],
      ["hash", `'${"f".repeat(64)}'`],
    ];
    it.each(columns)("%s := %s", async (column, value) => {
      const store = openSqliteEventStore({ path });
      await store.appendToStream("partnership-1", [
        event("PartnershipProposed", { parties: 2 }),
        event("MoUSigned", { signedOn: "2019" }),
        event("MoURenewed", {}),
      ]);
      expect(await findChainBreak(store.readStream("partnership-1"))).toBeNull();
      const raw = new Database(path);
      raw.prepare(`UPDATE events SET ${column} = ${value} WHERE revision = 1`).run();
      raw.close();
      // A changed stream id moves the event out of its stream: the gap shows where it was.
      const broken = await findChainBreak(store.readStream("partnership-1"));
      expect(broken).not.toBeNull();
      expect(broken!.event.revision).toBe(column === "stream_id" ? 2 : 1);
      await store.close();
    });

    it("deleting an event in the middle", async () => {
      const store = openSqliteEventStore({ path });
      await store.appendToStream("partnership-1", [event("A", {}), event("B", {}), event("C", {})]);
      const raw = new Database(path);
      raw.prepare("DELETE FROM events WHERE revision = 1").run();
      raw.close();
      expect(await findChainBreak(store.readStream("partnership-1"))).toMatchObject({
        kind: "revision",
        expectedRevision: 1,
      });
      await store.close();
    });
  });

  describe("group commit", () => {
    it("commits appends that arrive together in arrival order, each with its own revision check", async () => {
      const store = openSqliteEventStore({ path });
      for (let s = 0; s < 64; s++) await store.appendToStream(`partnership-${s}`, [event("Proposed", { s })]);
      // Issued in one tick: they share a transaction. Every 8th expects a revision the stream does not have.
      const attempts = await Promise.allSettled(
        Array.from({ length: 64 }, (_, s) =>
          store.appendToStream(`partnership-${s}`, [event("Signed", { s })], { expectedRevision: s % 8 === 0 ? 5 : 0 }),
        ),
      );
      attempts.forEach((attempt, s) => {
        if (s % 8 === 0)
          expect(attempt).toMatchObject({
            status: "rejected",
            reason: { code: "WRONG_EXPECTED_REVISION", actualRevision: 0 },
          });
        else expect(attempt.status).toBe("fulfilled");
      });
      const positions = attempts.flatMap((a) => (a.status === "fulfilled" ? [Number(a.value.position)] : []));
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      const signed = (await collect(store.readAll({ filter: { eventTypePrefixes: ["Signed"] } }))).map(
        (e) => (e.data as { s: number }).s,
      );
      expect(signed).toEqual(Array.from({ length: 64 }, (_, s) => s).filter((s) => s % 8 !== 0));
      await store.close();
    });

    it("two appends to one stream in one batch: the second sees the first and conflicts", async () => {
      const store = openSqliteEventStore({ path });
      const [first, second] = await Promise.allSettled([
        store.appendToStream("partnership-1", [event("A", {})], { expectedRevision: "no_stream" }),
        store.appendToStream("partnership-1", [event("B", {})], { expectedRevision: "no_stream" }),
      ]);
      expect(first).toMatchObject({ status: "fulfilled", value: { nextExpectedRevision: 0 } });
      expect(second).toMatchObject({ status: "rejected", reason: { actualRevision: 0 } });
      await store.close();
    });

    it("an append that fails in a batch leaves nothing behind, whether of one event or several", async () => {
      // Given an event whose id is taken
      const store = openSqliteEventStore({ path });
      await store.appendToStream("mission-0", [{ ...event("Taken", {}), id: "taken-id" }]);
      // When four appends share one commit, two of them reusing that id (alone, and as the second of two)
      const outcomes = await Promise.allSettled([
        store.appendToStream("mission-1", [event("A", {})]),
        store.appendToStream("mission-2", [{ ...event("B", {}), id: "taken-id" }]),
        store.appendToStream("mission-3", [event("C1", {}), { ...event("C2", {}), id: "taken-id" }]),
        store.appendToStream("mission-1", [event("D", {})]),
      ]);
      // Then those two fail, the others commit in order, and no event of a failed append was stored
      expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "rejected", "fulfilled"]);
      const all = await collect(store.readAll());
      expect(all.map((e) => `${e.streamId}:${e.type}`)).toEqual(["mission-0:Taken", "mission-1:A", "mission-1:D"]);
      // And the failed streams start from nothing next time
      await expect(
        store.appendToStream("mission-3", [event("E", {})], { expectedRevision: "no_stream" }),
      ).resolves.toMatchObject({ nextExpectedRevision: 0 });
      await store.close();
    });

    it("an append after another connection wrote the same stream sees that write (no stale stream head)", async () => {
      // Given this store wrote partnership-1 (and so knows its head), and another connection then appended to it
      const here = openSqliteEventStore({ path });
      const elsewhere = openSqliteEventStore({ path });
      await here.appendToStream("partnership-1", [event("A", {})]);
      await elsewhere.appendToStream("partnership-1", [event("B", {})], { expectedRevision: 0 });
      // When this store appends expecting the head it last wrote, then appends whatever the head
      const stale = here.appendToStream("partnership-1", [event("C", {})], { expectedRevision: 0 });
      // Then the first is a typed conflict naming the revision the other connection made, and the second
      // chains onto that revision and hash
      await expect(stale).rejects.toMatchObject({ code: "WRONG_EXPECTED_REVISION", actualRevision: 1 });
      await expect(here.appendToStream("partnership-1", [event("D", {})])).resolves.toMatchObject({
        nextExpectedRevision: 2,
      });
      const stream = await collect(here.readStream("partnership-1"));
      expect(stream.map((e) => e.type)).toEqual(["A", "B", "D"]);
      expect(await findChainBreak(stream)).toBeNull();
      await elsewhere.close();
      await here.close();
    });

    it("every acknowledged append survives a kill -9 of the writing process", async () => {
      const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", CHILD, path, "k", "0", "16"], {
        stdio: ["ignore", "pipe", "inherit"],
      });
      const acked = await readAcks(child, 300);
      child.kill("SIGKILL");
      await new Promise((resolve) => child.once("exit", resolve));
      const store = openSqliteEventStore({ path });
      for (const { streamId, revision, position } of acked) {
        const [stored] = await collect(store.readStream(streamId, { fromRevision: revision, maxCount: 1 }));
        expect(stored?.position).toBe(position);
      }
      await store.close();
    }, 60_000);
  });

  it("several processes on one file: a live subscription here sees another process's appends", async () => {
    const store: EventStore = openSqliteEventStore({ path, pollIntervalMs: 20 });
    await store.appendToStream("partnership-1", [event("Here", {})]);
    const subscription = store.subscribeToAll();
    const iterator = subscription[Symbol.asyncIterator]();
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", CHILD, path, "other", "40", "4"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    const writing = store.appendToStream("partnership-2", [event("AlsoHere", {})]);
    const received = await take(iterator, 42);
    await writing;
    await exited;
    expect(received.filter((e) => e.type === "ChildWrote")).toHaveLength(40);
    expect(received.map((e) => Number(e.position))).toEqual(Array.from({ length: 42 }, (_, n) => n + 1));
    await subscription.close();
    await store.close();
  }, 60_000);
});

async function readAcks(
  child: ChildProcess,
  wanted: number,
): Promise<Array<{ streamId: string; revision: number; position: string }>> {
  const acks: Array<{ streamId: string; revision: number; position: string }> = [];
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    const [word, streamId, revision, position] = line.split(" ");
    if (word !== "ack") continue;
    acks.push({ streamId: streamId!, revision: Number(revision), position: position! });
    if (acks.length >= wanted) break;
  }
  return acks;
}

describe("filters are bounded", () => {
  it("refuses more than 20 prefixes of a kind, or a prefix over 200 characters, before preparing anything", async () => {
    const store = openSqliteEventStore({ path: ":memory:" });
    const many = Array.from({ length: 21 }, (_, n) => `partnership-${n}`);
    await expect(collect(store.readAll({ filter: { streamPrefixes: many } }))).rejects.toMatchObject({
      code: "INVALID_FILTER",
    });
    expect(() => store.subscribeToAll({ filter: { eventTypePrefixes: many } })).toThrow(/at most 20/);
    await expect(collect(store.readAll({ filter: { streamPrefixes: ["x".repeat(251)] } }))).rejects.toThrow(
      /at most 250 characters/,
    );
    await expect(collect(store.readAll({ filter: { streamPrefixes: many.slice(0, 20) } }))).resolves.toEqual([]);
    await store.close();
  });
});
