/**
 * Append throughput, all on files with WAL and synchronous FULL, measured in one run:
 * - one writer: our store ÷ raw better-sqlite3 autocommit inserts of the same rows;
 * - 64 concurrent writers, each acknowledged after its commit: our store (group commit) ÷ that raw rate;
 * - our store ÷ Emmett's SQLite event store at its best (one shared connection, writers taking turns), one
 *   writer against one writer and 64 against 64; Emmett with a connection per operation is measured beside it to
 *   show that the shared connection is its best.
 * Every contender runs a share of its appends in each round, rounds interleaved, so a noisy moment of the
 * machine (its disk above all) falls on all of them alike.
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import { v7 as timeOrderedUuid } from "uuid";
import { InProcessLock, asyncRetry } from "@event-driven-io/emmett";
import { SQLiteConnectionPool, getSQLiteEventStore, sqliteConnection } from "@event-driven-io/emmett-sqlite";
import { openSqliteEventStore } from "../events/adapters/sqlite/sqlite-event-store";
import type { NewEvent } from "../events/envelope";
import { hashEvent } from "../events/hash-chain";
import type { ProjectionDefinition } from "../projections/projection";
import { ReadModelDatabase } from "../projections/read-model-db";
import { ledgerTree } from "../projections/read-models/ledger-tree";
import { rebuildProjection } from "../projections/rebuild";
import { clock, perSecond, removeDatabase as remove, type BenchResult } from "./report";

export interface AppendSizes {
  readonly rounds: number;
  /** Single-writer appends (and raw inserts) per round. */
  readonly appends: number;
  readonly writers: number;
  /** Appends per round for our store's concurrent run. */
  readonly concurrentAppends: number;
  /** Appends per round for each of Emmett's three runs (shared one writer, shared concurrent, per operation). */
  readonly emmettAppends: number;
}

/** What a partnership office appends: a milestone, as the command handler writes it. */
export function event(n: number): NewEvent {
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

/**
 * The raw baseline: the same table, the same row for each event (id, data, metadata, hash), one INSERT each.
 * `guarded`: the least an append with our store's guarantees costs, written by hand: in one BEGIN IMMEDIATE …
 * COMMIT, the stream's head read (its revision and hash), the event hashed onto it, the row inserted. Nothing
 * else: no group commit, no promise, no validation — the bound under our store's one-writer ratio.
 */
export function rawStore(path: string, options: { guarded?: boolean } = {}) {
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
  const head = db.prepare<[string], { revision: number; hash: string }>(
    "SELECT revision, hash FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1",
  );
  const [begin, commit] = [db.prepare("BEGIN IMMEDIATE"), db.prepare("COMMIT")];
  const revisions = new Map<string, number>();
  const row = (n: number, stream: string, current: { revision: number; hash: string } | undefined) => {
    const e = event(n);
    const metadata = {
      actor: e.metadata.actor,
      commandId: e.metadata.commandId,
      correlationId: e.metadata.commandId,
      causationId: null,
      businessDate: "2024-05",
    };
    const fields = {
      id: timeOrderedUuid(), // as our store makes them
      type: e.type,
      version: 1,
      streamId: stream,
      revision: current ? current.revision + 1 : 0,
      recordedAt: new Date().toISOString(),
      data: e.data,
      metadata,
    };
    const hash = options.guarded ? hashEvent(current?.hash ?? "0".repeat(64), fields) : "0".repeat(64);
    return [
      fields.id,
      stream,
      fields.revision,
      e.type,
      1,
      fields.recordedAt,
      JSON.stringify(e.data),
      JSON.stringify(metadata),
      hash,
    ];
  };
  return {
    insert(n: number) {
      const stream = `partnership-p-${n % 50}`;
      if (options.guarded) {
        begin.run();
        insert.run(...row(n, stream, head.get(stream)));
        commit.run();
        return;
      }
      const revision = revisions.get(stream) ?? -1;
      revisions.set(stream, revision + 1);
      insert.run(...row(n, stream, revision < 0 ? undefined : { revision, hash: "" }));
    },
    close: () => db.close(),
  };
}

const EMMETT_RETRIES = 10;
const isBusy = (error: unknown) => error instanceof Error && "code" in error && error.code === "SQLITE_BUSY";

/**
 * Emmett's SQLite event store (sqlite3 driver) on its own file. `shared`: one connection for every operation,
 * the only way its pool keeps one for a file (given without `connection`, `singleton: true` still opens and
 * closes a connection per operation). Its transactions belong to the connection (BEGIN IMMEDIATE … COMMIT, with
 * a nesting counter), so concurrent appends on one connection would join each other's transaction, be
 * acknowledged before it commits, and could fail with "SQLITE_BUSY: cannot commit transaction - SQL statements in
 * progress"; its docs give SQLite one writer at a time. Every append therefore takes Emmett's own
 * `InProcessLock`, and an SQLITE_BUSY that still happens is retried with Emmett's `asyncRetry` and counted.
 */
async function emmettStore(fileName: string, shared: boolean) {
  remove(fileName);
  // WAL is a property of the file, kept across connections: set it before Emmett opens any. Each connection
  // Emmett opens sends `journal_mode = WAL` without awaiting it, and on a file not yet in WAL mode a transaction
  // that begins first makes it fail ("cannot change into wal mode from within a transaction") and the run die;
  // on a WAL file the pragma changes nothing and cannot fail.
  const init = new Database(fileName);
  init.pragma("journal_mode = WAL");
  init.close();
  const connection = shared ? sqliteConnection({ fileName }) : null;
  const pool = SQLiteConnectionPool(
    connection ? { fileName, connectionOptions: { singleton: true, connection } } : { fileName },
  );
  const store = getSQLiteEventStore({ fileName, pool });
  // sqliteConnection's own `journal_mode = WAL` is sent without being awaited: a migration's transaction
  // begun before it lands makes the driver emit an error nobody listens to (the run dies). Wait for it first.
  if (shared) {
    for (let tries = 0; tries < 200; tries++) {
      const mode = await pool.withConnection((db) => db.querySingle<{ journal_mode: string }>("PRAGMA journal_mode"));
      if (mode?.journal_mode === "wal") break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  await store.schema.migrate();
  // sqliteConnection sets WAL without waiting for it, and synchronous is SQLite's default (FULL): set both and
  // read them back on a shared connection; a connection per operation can only be checked.
  const settings = await pool.withConnection(async (db) => {
    if (shared) {
      await db.command("PRAGMA journal_mode = WAL");
      await db.command("PRAGMA synchronous = FULL");
    }
    const journal = await db.querySingle<{ journal_mode: string }>("PRAGMA journal_mode");
    const synchronous = await db.querySingle<{ synchronous: number }>("PRAGMA synchronous");
    return { journal: journal?.journal_mode, synchronous: synchronous?.synchronous };
  });
  if (settings.journal !== "wal" || settings.synchronous !== 2)
    throw new Error(`Emmett's connection runs ${JSON.stringify(settings)}, not WAL with synchronous FULL`);
  const lock = InProcessLock();
  /** SQLITE_BUSY errors met (each retried, up to EMMETT_RETRIES times per append); appends given up. */
  const counts = { busy: 0, failed: 0 };
  return {
    counts,
    /** Resolves false, never rejects, when an append still fails after its retries: the run goes on. */
    append: (stream: string, e: NewEvent): Promise<boolean> =>
      lock.withAcquire(
        () =>
          asyncRetry(
            () =>
              store.appendToStream(stream, [
                { type: e.type, data: e.data as Record<string, unknown>, metadata: { ...e.metadata } },
              ]),
            {
              retries: EMMETT_RETRIES,
              minTimeout: 5,
              maxTimeout: 200,
              shouldRetryError: (error) => isBusy(error) && ++counts.busy > 0,
            },
          ).then(
            () => true,
            () => {
              counts.failed++;
              return false;
            },
          ),
        { lockId: fileName },
      ),
    close: async () => {
      await pool.close();
      connection?.close();
    },
  };
}

export async function concurrently(
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
  const guarded = rawStore(join(directory, "guarded.db"), { guarded: true });
  remove(join(directory, "ours.db"));
  const ours = openSqliteEventStore({ path: join(directory, "ours.db") });
  // The same store without fsync: what group commit reaches when the disk costs nothing, its CPU alone.
  remove(join(directory, "ours-no-fsync.db"));
  const oursNoFsync = openSqliteEventStore({ path: join(directory, "ours-no-fsync.db"), durability: "off" });
  const emmett = await emmettStore(join(directory, "emmett.db"), true);
  const emmettPerOperation = await emmettStore(join(directory, "emmett-per-operation.db"), false);

  const time = {
    raw: 0n,
    guarded: 0n,
    ours: 0n,
    oursConcurrent: 0n,
    oursNoFsync: 0n,
    emmett: 0n,
    emmettConcurrent: 0n,
    emmettPerOperation: 0n,
  };
  const done = { emmett: 0, emmettConcurrent: 0, emmettPerOperation: 0 };
  let n = 0;
  for (let round = 0; round < sizes.rounds; round++) {
    let elapsed = clock();
    for (let i = 0; i < sizes.appends; i++) raw.insert(n + i);
    time.raw += elapsed();
    elapsed = clock();
    for (let i = 0; i < sizes.appends; i++) guarded.insert(n + i);
    time.guarded += elapsed();
    elapsed = clock();
    for (let i = 0; i < sizes.appends; i++) await ours.appendToStream(`partnership-p-${(n + i) % 50}`, [event(n + i)]);
    time.ours += elapsed();
    n += sizes.appends;
    time.oursConcurrent += await concurrently(sizes.writers, sizes.concurrentAppends, (writer, i) =>
      ours.appendToStream(`mission-w${writer}`, [event(n + i)]),
    );
    n += sizes.concurrentAppends;
    time.oursNoFsync += await concurrently(sizes.writers, sizes.concurrentAppends, (writer, i) =>
      oursNoFsync.appendToStream(`mission-w${writer}`, [event(n + i)]),
    );
    n += sizes.concurrentAppends;
    for (const [store, key] of [
      [emmett, "emmett"],
      [emmettPerOperation, "emmettPerOperation"],
    ] as const) {
      elapsed = clock();
      for (let i = 0; i < sizes.emmettAppends; i++)
        if (await store.append(`partnership-p-${(n + i) % 50}`, event(n + i))) done[key]++;
      time[key] += elapsed();
      n += sizes.emmettAppends;
    }
    time.emmettConcurrent += await concurrently(sizes.writers, sizes.emmettAppends, async (writer, i) => {
      if (await emmett.append(`mission-w${writer}`, event(n + i))) done.emmettConcurrent++;
    });
    n += sizes.emmettAppends;
  }
  raw.close();
  guarded.close();
  await ours.close();
  await oursNoFsync.close();
  await emmett.close();
  await emmettPerOperation.close();

  const rate = (perRound: number, nanoseconds: bigint) => perSecond(perRound * sizes.rounds, nanoseconds);
  const rawRate = rate(sizes.appends, time.raw);
  const guardedRate = rate(sizes.appends, time.guarded);
  const oursRate = rate(sizes.appends, time.ours);
  const oursConcurrent = rate(sizes.concurrentAppends, time.oursConcurrent);
  const oursNoFsyncRate = rate(sizes.concurrentAppends, time.oursNoFsync);
  // Emmett's rates count the appends that succeeded (all of them unless `emmett_failed` says otherwise).
  const emmettRate = perSecond(done.emmett, time.emmett);
  const emmettConcurrent = perSecond(done.emmettConcurrent, time.emmettConcurrent);
  const emmettPerOperationRate = perSecond(done.emmettPerOperation, time.emmettPerOperation);
  const emmettSetup = [
    "Emmett 0.42 (sqlite3 driver) on one shared connection (a sqliteConnection given to SQLiteConnectionPool),",
    "journal_mode=WAL and synchronous=FULL (set, then read back), as ours runs;",
    "its appends take turns through Emmett's InProcessLock (a transaction belongs to the connection; its docs: one",
    `writer at a time), an SQLITE_BUSY is retried with Emmett's asyncRetry (up to ${EMMETT_RETRIES} times) and counted.`,
    `Its best: shared connection ÷ a connection per operation = ${(emmettRate / emmettPerOperationRate).toFixed(2)}.`,
  ].join(" ");
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
  const tree = await treeUpkeep(directory);

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
      name: "append bound: the same guarantees, by hand",
      ratioOf: "one transaction with the stream head read, the hash chained and the row inserted ÷ raw insert",
      ratio: guardedRate / rawRate,
      goal: null,
      figures: {
        "guarded_inserts/s": guardedRate,
        "raw_inserts/s": rawRate,
        "ours_appends/s": oursRate,
        ours_over_bound_µs: 1e6 / oursRate - 1e6 / guardedRate,
      },
    },
    {
      name: `append, ${sizes.writers} writers`,
      ratioOf: "our store (group commit) ÷ raw autocommit insert",
      ratio: oursConcurrent / rawRate,
      // Raised from 5 by issue 16: group commit is what no peer does.
      goal: { op: ">=", value: 6 },
      figures: {
        "ours_appends/s": oursConcurrent,
        "raw_inserts/s": rawRate,
        appends: sizes.concurrentAppends * sizes.rounds,
      },
    },
    {
      name: `append bound: ${sizes.writers} writers, no fsync`,
      ratioOf: "our store (group commit) with synchronous OFF ÷ raw autocommit insert (FULL)",
      ratio: oursNoFsyncRate / rawRate,
      goal: null,
      figures: {
        "no_fsync_appends/s": oursNoFsyncRate,
        "cpu_µs/append": 1e6 / oursNoFsyncRate,
        "ours_appends/s": oursConcurrent,
        fsync_share: 1 - oursConcurrent / oursNoFsyncRate,
      },
      notes:
        "The same appends on a file with synchronous OFF: nothing waits for the disk, so the rate is the CPU's " +
        "(ids, hash chain, JSON, SQLite's b-trees); the gap to the durable rate is each group's commit on the disk.",
    },
    {
      name: "vs Emmett, one writer",
      ratioOf: "our store ÷ @event-driven-io/emmett-sqlite (shared connection), one writer each",
      ratio: oursRate / emmettRate,
      goal: { op: ">=", value: 1 },
      figures: {
        "ours_appends/s": oursRate,
        "emmett_appends/s": emmettRate,
        "emmett_per_operation/s": emmettPerOperationRate,
        "shared÷per_operation": emmettRate / emmettPerOperationRate,
        emmett_busy: emmett.counts.busy,
        per_operation_busy: emmettPerOperation.counts.busy,
        emmett_failed: emmett.counts.failed + emmettPerOperation.counts.failed,
      },
      notes: emmettSetup,
    },
    {
      name: `vs Emmett, ${sizes.writers} writers`,
      ratioOf: `our store ÷ @event-driven-io/emmett-sqlite (shared connection, turns), ${sizes.writers} writers each`,
      ratio: oursConcurrent / emmettConcurrent,
      goal: { op: ">=", value: 2.5 },
      figures: {
        "ours_appends/s": oursConcurrent,
        "emmett_appends/s": emmettConcurrent,
        emmett_busy: emmett.counts.busy,
        emmett_failed: emmett.counts.failed + emmettPerOperation.counts.failed,
      },
    },
    {
      name: "ledger tree upkeep",
      ratioOf: `Merkle tree projection (leaf + nodes per event) ÷ the ${sizes.writers}-writer append rate`,
      ratio: tree.rate / oursConcurrent,
      goal: { op: ">=", value: 1 },
      figures: {
        "tree_events/s": tree.rate,
        "tree_µs/event": 1e6 / tree.rate,
        "ours_appends/s": oursConcurrent,
        events: tree.events,
      },
      notes:
        "The tree is kept by the audit service beside the log, never on the append path: an append costs it nothing; " +
        "the ratio says whether the tree keeps up with the fastest the log grows (≥ 1) or falls behind.",
    },
  ];
}

/** The ledger tree built over the log the append runs wrote, in the audit service's batches. */
async function treeUpkeep(directory: string): Promise<{ rate: number; events: number }> {
  const store = openSqliteEventStore({ path: join(directory, "ours.db") });
  remove(join(directory, "tree.db"));
  const rm = new ReadModelDatabase(join(directory, "tree.db"));
  const elapsed = clock();
  const { events } = await rebuildProjection(store, rm, ledgerTree as ProjectionDefinition, { batchSize: 500 });
  const rate = perSecond(events, elapsed());
  rm.close();
  await store.close();
  return { rate, events };
}
