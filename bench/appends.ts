/**
 * Append throughput, all on files with WAL and synchronous FULL, measured in one run:
 * - one writer: our store ÷ raw better-sqlite3 autocommit inserts of the same rows;
 * - 64 concurrent writers, each acknowledged after its commit: our store (group commit) ÷ that raw rate;
 * - our store ÷ Emmett's SQLite event store (one shared connection, its best setting), 64 writers and one.
 * Every contender runs a share of its appends in each round, rounds interleaved, so a noisy moment of the
 * machine (its disk above all) falls on all of them alike.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { v7 as timeOrderedUuid } from "uuid";
import { SQLiteConnectionPool, getSQLiteEventStore } from "@event-driven-io/emmett-sqlite";
import { openSqliteEventStore } from "../events/adapters/sqlite/sqlite-event-store";
import type { NewEvent } from "../events/envelope";
import { hashEvent } from "../events/hash-chain";
import { clock, perSecond, type BenchResult } from "./report";

export interface AppendSizes {
  readonly rounds: number;
  /** Single-writer appends (and raw inserts) per round. */
  readonly appends: number;
  readonly writers: number;
  /** Appends per round for our store's concurrent run. */
  readonly concurrentAppends: number;
  /** Appends per round for each of Emmett's runs (it is far slower). */
  readonly emmettAppends: number;
}

const remove = (path: string) => ["", "-wal", "-shm"].forEach((suffix) => rmSync(path + suffix, { force: true }));

/** What a partnership office appends: a milestone, as the command handler writes it. */
function event(n: number): NewEvent {
  return {
    type: "MilestoneRecorded",
    data: {
      partnershipId: `p-${n % 50}`,
      occurredOn: "2024-05",
      summary: `Container ${n} shipped to Yaoundé with decommissioned equipment`,
      planned: false,
      contextual: false,
      details: {},
      source: null,
    },
    metadata: { actor: "bench@chu", commandId: `bench-${n}`, businessDate: "2024-05" },
  };
}

/** The raw baseline: the same table, the same row for each event (id, data, metadata, hash), one INSERT each. */
function rawStore(path: string) {
  remove(path);
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE, stream_id TEXT NOT NULL,
    revision INTEGER NOT NULL, type TEXT NOT NULL, version INTEGER NOT NULL, recorded_at TEXT NOT NULL, data TEXT NOT NULL,
    metadata TEXT NOT NULL, hash TEXT NOT NULL, UNIQUE (stream_id, revision))`);
  const insert = db.prepare(
    `INSERT INTO events (event_id, stream_id, revision, type, version, recorded_at, data, metadata, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const revisions = new Map<string, number>();
  return {
    insert(n: number) {
      const e = event(n);
      const stream = `partnership-p-${n % 50}`;
      const revision = (revisions.get(stream) ?? -1) + 1;
      revisions.set(stream, revision);
      const metadata = {
        actor: e.metadata.actor,
        commandId: e.metadata.commandId,
        correlationId: e.metadata.commandId,
        causationId: null,
        businessDate: "2024-05",
      };
      insert.run(
        timeOrderedUuid(), // as our store makes them
        stream,
        revision,
        e.type,
        1,
        new Date().toISOString(),
        JSON.stringify(e.data),
        JSON.stringify(metadata),
        "0".repeat(64),
      );
    },
    close: () => db.close(),
  };
}

async function concurrently(
  writers: number,
  total: number,
  append: (writer: number, n: number) => Promise<unknown>,
): Promise<bigint> {
  let issued = 0;
  const elapsed = clock();
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      while (issued < total) await append(writer, issued++);
    }),
  );
  return elapsed();
}

export async function appendBenchmarks(directory: string, sizes: AppendSizes): Promise<BenchResult[]> {
  const raw = rawStore(join(directory, "raw.db"));
  remove(join(directory, "ours.db"));
  const ours = openSqliteEventStore({ path: join(directory, "ours.db") });
  remove(join(directory, "emmett.db"));
  const pool = SQLiteConnectionPool({ fileName: join(directory, "emmett.db"), connectionOptions: { singleton: true } });
  const emmett = getSQLiteEventStore({ fileName: join(directory, "emmett.db"), pool });
  const toEmmett = (n: number) => {
    const e = event(n);
    return { type: e.type, data: e.data as Record<string, unknown>, metadata: { ...e.metadata } };
  };
  // One shared connection cannot hold concurrent transactions (concurrent appends fail with SQLITE_BUSY), so
  // its writers take turns: what an application using it that way has to do.
  let turn: Promise<unknown> = Promise.resolve();
  const serialized = <T>(work: () => Promise<T>): Promise<T> => {
    const next = turn.then(work);
    turn = next.catch(() => undefined);
    return next;
  };

  const time = { raw: 0n, ours: 0n, oursConcurrent: 0n, emmett: 0n, emmettConcurrent: 0n };
  let n = 0;
  for (let round = 0; round < sizes.rounds; round++) {
    let elapsed = clock();
    for (let i = 0; i < sizes.appends; i++) raw.insert(n + i);
    time.raw += elapsed();
    elapsed = clock();
    for (let i = 0; i < sizes.appends; i++) await ours.appendToStream(`partnership-p-${(n + i) % 50}`, [event(n + i)]);
    time.ours += elapsed();
    n += sizes.appends;
    time.oursConcurrent += await concurrently(sizes.writers, sizes.concurrentAppends, (writer, i) =>
      ours.appendToStream(`mission-w${writer}`, [event(n + i)]),
    );
    n += sizes.concurrentAppends;
    elapsed = clock();
    for (let i = 0; i < sizes.emmettAppends; i++)
      await emmett.appendToStream(`partnership-p-${(n + i) % 50}`, [toEmmett(n + i)]);
    time.emmett += elapsed();
    n += sizes.emmettAppends;
    time.emmettConcurrent += await concurrently(sizes.writers, sizes.emmettAppends, (writer, i) =>
      serialized(() => emmett.appendToStream(`mission-w${writer}`, [toEmmett(n + i)])),
    );
    n += sizes.emmettAppends;
  }
  raw.close();
  await ours.close();
  await pool.close();

  const rate = (perRound: number, nanoseconds: bigint) => perSecond(perRound * sizes.rounds, nanoseconds);
  const rawRate = rate(sizes.appends, time.raw);
  const oursRate = rate(sizes.appends, time.ours);
  const oursConcurrent = rate(sizes.concurrentAppends, time.oursConcurrent);
  const emmettRate = rate(sizes.emmettAppends, time.emmett);
  const emmettConcurrent = rate(sizes.emmettAppends, time.emmettConcurrent);
  const elapsed = clock();
  // The chain layer's own cost per event, for reading the figures: hashing is on the hot path.
  for (let i = 0; i < 1000; i++)
    hashEvent("0".repeat(64), {
      id: "x",
      type: "T",
      version: 1,
      streamId: "s",
      revision: i,
      recordedAt: "2026",
      data: event(i).data,
      metadata: { actor: "a", commandId: "c", correlationId: "c", causationId: null, businessDate: null },
    });
  const hashMicros = Number(elapsed()) / 1e3 / 1000;

  return [
    {
      name: "append, one writer",
      ratioOf: "our store ÷ raw autocommit insert",
      ratio: oursRate / rawRate,
      goal: { op: ">=", value: 0.9 },
      figures: {
        "ours_appends/s": oursRate,
        "raw_inserts/s": rawRate,
        appends: sizes.appends * sizes.rounds,
        "hash_µs/event": hashMicros,
      },
    },
    {
      name: `append, ${sizes.writers} writers`,
      ratioOf: "our store (group commit) ÷ raw autocommit insert",
      ratio: oursConcurrent / rawRate,
      goal: { op: ">=", value: 5 },
      figures: {
        "ours_appends/s": oursConcurrent,
        "raw_inserts/s": rawRate,
        appends: sizes.concurrentAppends * sizes.rounds,
      },
    },
    {
      name: `vs Emmett, ${sizes.writers} writers`,
      ratioOf: "our store ÷ @event-driven-io/emmett-sqlite (one shared connection)",
      ratio: oursConcurrent / emmettConcurrent,
      goal: { op: ">=", value: 2.5 },
      figures: {
        "ours_appends/s": oursConcurrent,
        "emmett_appends/s": emmettConcurrent,
        "one_writer_ours/s": oursRate,
        "one_writer_emmett/s": emmettRate,
      },
    },
  ];
}
