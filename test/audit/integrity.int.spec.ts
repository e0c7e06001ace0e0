/** Every kind of tampering with the stored log — data, metadata, order, deletion, insertion, a rewritten chain — is detected. */
import { join } from "node:path";
import Database from "better-sqlite3";
import { openSqliteEventStore } from "../../events/adapters/sqlite/sqlite-event-store";
import { GENESIS_HASH, hashEvent } from "../../events/hash-chain";
import type { EventStore } from "../../events/port";
import type { RecordedEvent } from "../../events/envelope";
import { tablesOf } from "../../projections/projection";
import { ReadModelDatabase } from "../../projections/read-model-db";
import { eventIndex } from "../../projections/read-models/event-index";
import { rebuildProjection } from "../../projections/rebuild";
import { verifyIntegrity, witnessOf, type IntegrityReport } from "../../services/audit/integrity";
import { collect } from "../support/async";
import { writeHistory } from "../support/history";
import { tempDir } from "../support/temp";

let dir: ReturnType<typeof tempDir>;
let store: EventStore;
let rm: ReadModelDatabase;
let raw: Database.Database;
let events: RecordedEvent[];

const verify = (streams?: string[]): Promise<IntegrityReport> =>
  verifyIntegrity(store, {
    witness: witnessOf(rm, tablesOf(eventIndex.name, eventIndex.version, eventIndex.tables)),
    ...(streams ? { streams } : {}),
  });
const positionOf = (stream: string, revision: number) =>
  events.find((e) => e.streamId === stream && e.revision === revision)!.position;

beforeEach(async () => {
  dir = tempDir();
  const path = join(dir.path, "events.db");
  store = openSqliteEventStore({ path });
  await writeHistory(store);
  events = await collect(store.readAll());
  rm = new ReadModelDatabase(join(dir.path, "audit.db"));
  await rebuildProjection(store, rm, eventIndex);
  raw = new Database(path);
});

afterEach(async () => {
  raw.close();
  rm.close();
  await store.close();
  dir.remove();
});

describe("integrity verification", () => {
  it("an untouched log verifies, every event against the witness", async () => {
    const report = await verify();
    expect(report).toEqual({
      ok: true,
      eventsChecked: events.length,
      leavesChecked: 0,
      headsChecked: 0,
      rootHash: null,
      streamsChecked: new Set(events.map((e) => e.streamId)).size,
      eventsWitnessed: events.length,
      firstBreak: null,
    });
  });

  it("altered data: names the event", async () => {
    raw
      .prepare(
        `UPDATE events SET data = json_set(data, '$.signedOn', '2017') WHERE stream_id = 'partnership-tours-hogip' AND revision = 1`,
      )
      .run();
    expect((await verify()).firstBreak).toMatchObject({
      kind: "hash",
      streamId: "partnership-tours-hogip",
      revision: 1,
      type: "MoUSigned",
      position: positionOf("partnership-tours-hogip", 1),
    });
  });

  it("altered metadata (the actor, the business date)", async () => {
    raw
      .prepare(
        `UPDATE events SET metadata = json_set(metadata, '$.actor', 'mallory') WHERE stream_id = 'mission-nimes-1' AND revision = 2`,
      )
      .run();
    expect((await verify()).firstBreak).toMatchObject({ kind: "hash", streamId: "mission-nimes-1", revision: 2 });
  });

  it("changed order: two events of a stream swapped in the log", async () => {
    const [a, b] = [positionOf("mission-nimes-1", 0), positionOf("mission-nimes-1", 1)];
    raw.exec(
      `UPDATE events SET position = -1 WHERE position = ${a}; UPDATE events SET position = ${a} WHERE position = ${b}; UPDATE events SET position = ${b} WHERE position = -1;`,
    );
    expect((await verify()).firstBreak).toMatchObject({ kind: "revision", streamId: "mission-nimes-1", position: a });
  });

  it("changed order across streams: the witness sees another event where it saw this one", async () => {
    const [a, b] = [positionOf("institution-afd", 0), positionOf("partnership-tours-hogip", 0)];
    raw.exec(
      `UPDATE events SET position = -1 WHERE position = ${a}; UPDATE events SET position = ${a} WHERE position = ${b}; UPDATE events SET position = ${b} WHERE position = -1;`,
    );
    expect((await verify()).firstBreak).toMatchObject({ kind: "witness", position: a });
  });

  it("a deleted event in the middle of a stream", async () => {
    raw.prepare(`DELETE FROM events WHERE stream_id = 'partnership-tours-hogip' AND revision = 1`).run();
    expect((await verify()).firstBreak).toMatchObject({
      kind: "missing",
      streamId: "partnership-tours-hogip",
      revision: 1,
      position: positionOf("partnership-tours-hogip", 1),
    });
  });

  it("a deleted stream tail, which no chain can show: the witness does", async () => {
    const last = events.filter((e) => e.streamId === "partnership-nimes-taiyuan").pop()!;
    raw.prepare(`DELETE FROM events WHERE position = ?`).run(Number(last.position));
    expect((await verify()).firstBreak).toMatchObject({
      kind: "missing",
      streamId: "partnership-nimes-taiyuan",
      revision: last.revision,
      position: last.position,
    });
  });

  it("the log's last event deleted", async () => {
    const last = events[events.length - 1]!;
    raw.prepare(`DELETE FROM events WHERE position = ?`).run(Number(last.position));
    expect((await verify()).firstBreak).toMatchObject({ kind: "missing", position: last.position });
  });

  it("a chain rewritten from scratch with valid hashes: the witness still has the old ones", async () => {
    const stream = "partnership-withdrawn";
    let previous = GENESIS_HASH;
    for (const event of events.filter((e) => e.streamId === stream)) {
      const forged = {
        ...event,
        data: event.revision === 1 ? { ...(event.data as object), reason: "Never proposed" } : event.data,
      };
      const hash = hashEvent(previous, forged);
      raw
        .prepare(`UPDATE events SET data = ?, hash = ? WHERE position = ?`)
        .run(JSON.stringify(forged.data), hash, Number(event.position));
      previous = hash;
    }
    const chainsOnly = await verifyIntegrity(store);
    expect(chainsOnly.ok).toBe(true);
    expect((await verify()).firstBreak).toMatchObject({ kind: "witness", streamId: stream, revision: 1 });
  });

  it("an event inserted with a valid chain where the witness saw another", async () => {
    const model = events.find((e) => e.streamId === "partnership-withdrawn")!;
    const forged = {
      ...model,
      id: "00000000-0000-4000-8000-0000000000ff",
      streamId: "partnership-forged",
      revision: 0,
      position: "",
    };
    const hash = hashEvent(GENESIS_HASH, forged);
    const { hash: _hash, ...metadata } = forged.metadata;
    // SQLite positions only grow: a forger reuses one by deleting what stood there.
    const victim = positionOf("institution-dgos", 0);
    raw.prepare(`DELETE FROM events WHERE position = ?`).run(Number(victim));
    raw
      .prepare(
        `INSERT INTO events (position, event_id, stream_id, revision, type, version, recorded_at, data, metadata, hash) VALUES (?, ?, ?, 0, ?, 1, ?, ?, ?, ?)`,
      )
      .run(
        Number(victim),
        forged.id,
        forged.streamId,
        forged.type,
        forged.recordedAt,
        JSON.stringify(forged.data),
        JSON.stringify(metadata),
        hash,
      );
    expect((await verifyIntegrity(store)).ok).toBe(true);
    expect((await verify()).firstBreak).toMatchObject({
      kind: "witness",
      position: victim,
      streamId: "partnership-forged",
    });
  });

  it("a partnership's own verification covers its activity streams and names the first break", async () => {
    const streams = [
      "partnership-nimes-taiyuan",
      "mission-nimes-1",
      "delegation-nimes-d1",
      "funding-nimes-f1",
      "funding-nimes-f2",
    ];
    expect(await verify(streams)).toMatchObject({ ok: true, streamsChecked: 5 });
    raw
      .prepare(`UPDATE events SET data = json_set(data, '$.place', 'Lyon') WHERE stream_id = 'delegation-nimes-d1'`)
      .run();
    expect((await verify(streams)).firstBreak).toMatchObject({
      kind: "hash",
      streamId: "delegation-nimes-d1",
      revision: 0,
    });
    expect((await verify(["partnership-tours-hogip"])).ok).toBe(true);
  });
});
