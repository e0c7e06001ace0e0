/**
 * Projection rebuild rate ÷ raw scan rate of the same log, for every read model. The raw scan is the least
 * any consumer does: better-sqlite3 reading the events table in position order, every column, and parsing
 * each event's data and metadata. A rebuild adds the store's read path, upcasting, the handlers' SQL and the checkpoint.
 * Beside them, the bound: reading the log through the store's port and doing nothing with it ÷ the raw scan,
 * the most a read model that sees every event can reach; one that reads only its own event types has its own,
 * reading just those (`bound_ratio`). And the bound of each read model's tables (`tables_bound_ratio`): that
 * read, plus the SQL statements its rebuild ran, recorded and run again bare in the same transactions (plus,
 * for the ledger tree, its hashing) — what is left above it is the projection's own code.
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import { openSqliteEventStore } from "../events/adapters/sqlite/sqlite-event-store";
import type { EventFilter, EventStore } from "../events/port";
import { asCurrentEvent } from "../events/upcasters";
import { ReadModelDatabase } from "../projections/read-model-db";
import { readFilter, rebuildProjection } from "../projections/rebuild";
import { SERVICE_PROJECTIONS } from "../projections/registry";
import { ledgerTree } from "../projections/read-models/ledger-tree";
import type { RecordedEvent } from "../events/envelope";
import { leafHash, leafInput, nodeHash } from "../events/transparency/merkle";
import { clock, perSecond, removeDatabase as remove, type BenchResult } from "./report";

const RAW_PAGE = 500;

function rawScanRate(storePath: string): { rate: number; events: number } {
  const db = new Database(storePath, { readonly: true });
  // better-sqlite3 at its fastest here: raw mode (arrays, not an object per row), pages read with `all`. On
  // 1M events: 3.9 s, where `iterate` over arrays takes 4.4 s and over objects 5.7 s.
  const page = db
    .prepare<[number], unknown[]>(`SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ${RAW_PAGE}`)
    .raw();
  const [data, metadata] = ["data", "metadata"].map((column) => page.columns().findIndex((c) => c.name === column));
  let events = 0;
  const elapsed = clock();
  for (let after = 0; ;) {
    const rows = page.all(after);
    for (const row of rows) {
      JSON.parse(row[data!] as string);
      JSON.parse(row[metadata!] as string);
    }
    events += rows.length;
    if (rows.length < RAW_PAGE) break;
    after = rows[rows.length - 1]![0] as number;
  }
  const rate = perSecond(events, elapsed());
  db.close();
  return { rate, events };
}

/** A statement a rebuild ran: how, its SQL and its parameters. */
type Statement = readonly [method: "run" | "get" | "all" | "exec", sql: string, params: unknown[]];

/**
 * A read-model file that keeps each transaction's statements as a rebuild runs them, so they can be run again
 * bare: the least time SQLite takes to fill this read model's tables, whatever code decides what to write.
 */
class RecordingReadModel extends ReadModelDatabase {
  readonly transactions: Statement[][] = [[]];
  private depth = 0;

  override run(sql: string, ...params: unknown[]): { changes: number } {
    this.keep(["run", sql, params]);
    return super.run(sql, ...params);
  }

  override get<Row>(sql: string, ...params: unknown[]): Row | undefined {
    this.keep(["get", sql, params]);
    return super.get<Row>(sql, ...params);
  }

  override all<Row>(sql: string, ...params: unknown[]): Row[] {
    this.keep(["all", sql, params]);
    return super.all<Row>(sql, ...params);
  }

  override exec(sql: string): void {
    this.keep(["exec", sql, []]);
    super.exec(sql);
  }

  override transaction<T>(fn: () => T): T {
    if (this.depth === 0) this.transactions.push([]);
    this.depth += 1;
    try {
      return super.transaction(fn);
    } finally {
      this.depth -= 1;
      if (this.depth === 0) this.transactions.push([]);
    }
  }

  private keep(statement: Statement): void {
    this.transactions[this.transactions.length - 1]!.push(statement);
  }
}

/** Runs recorded statements on a fresh file, transaction by transaction, as the rebuild did; returns seconds. */
function replaySeconds(transactions: readonly Statement[][], path: string): number {
  remove(path);
  const rm = new ReadModelDatabase(path);
  rm.loading("replay", true); // the WAL threshold the rebuild had while it caught up
  const elapsed = clock();
  for (const statements of transactions) {
    if (statements.length === 0) continue;
    rm.transaction(() => {
      for (const [method, sql, params] of statements) {
        if (method === "exec") rm.exec(sql);
        else rm[method](sql, ...params);
      }
    });
  }
  const seconds = Number(elapsed()) / 1e9;
  rm.close();
  remove(path);
  return seconds;
}

/**
 * What the ledger tree computes beyond its SQL: each event's canonical JSON and leaf hash, and a node hash per
 * leaf (a tree of n leaves has n - 1 nodes). Timed on events read beforehand, a chunk at a time; returns seconds.
 */
async function treeHashingSeconds(store: EventStore): Promise<number> {
  let seconds = 0;
  let previous = leafHash("");
  const chunk: RecordedEvent[] = [];
  const hashChunk = () => {
    const elapsed = clock();
    for (const event of chunk) previous = nodeHash(previous, leafHash(leafInput(event)));
    seconds += Number(elapsed()) / 1e9;
    chunk.length = 0;
  };
  for await (const event of store.readAll()) if (chunk.push(event) === 10_000) hashChunk();
  hashChunk();
  return seconds;
}

/**
 * The log read through the port (envelopes built, upcast on the way), in the rebuild's order: every event, or
 * those a filter selects. Returns the log's events per second (all of them, as a rebuild is measured).
 */
async function portReadRate(store: EventStore, events: number, filter?: EventFilter): Promise<number> {
  const elapsed = clock();
  for await (const event of store.readAll(filter ? { filter } : {})) asCurrentEvent(event); // the upcast every rebuild does
  return perSecond(events, elapsed());
}

export async function rebuildBenchmarks(storePath: string, directory: string): Promise<BenchResult[]> {
  rawScanRate(storePath); // Warms the page cache, so neither side pays the first read from disk.
  const before = rawScanRate(storePath);
  const store = openSqliteEventStore({ path: storePath });
  const portBefore = await portReadRate(store, before.events);
  // A read model that reads a part of the log has its own bound: reading that part, nothing applied.
  // Every read model also has the bound of its tables: reading its events, then its own statements run bare
  // (recorded in a second rebuild, so recording never slows the timed one); the tree adds its hashing.
  type Rebuild = { service: string; name: string; rate: number; replaySeconds: number; hashingSeconds: number } & (
    { read: "all" } | { read: number; readOnlyRate: number }
  );
  const rebuilds: Rebuild[] = [];
  for (const [service, definitions] of Object.entries(SERVICE_PROJECTIONS)) {
    for (const definition of definitions) {
      const path = join(directory, `rebuild-${definition.name}.db`);
      remove(path);
      const rm = new ReadModelDatabase(path);
      const elapsed = clock();
      const { events, applied } = await rebuildProjection(store, rm, definition);
      const rate = perSecond(events, elapsed());
      rm.db.close();
      remove(path);
      const recording = new RecordingReadModel(path);
      await rebuildProjection(store, recording, definition);
      recording.close();
      const replay = replaySeconds(recording.transactions, path);
      const hashingSeconds = definition.name === ledgerTree.name ? await treeHashingSeconds(store) : 0;
      const measured = { service, name: definition.name, rate, replaySeconds: replay, hashingSeconds };
      const filter = readFilter(definition);
      rebuilds.push(
        filter
          ? { ...measured, read: applied, readOnlyRate: await portReadRate(store, events, filter) }
          : { ...measured, read: "all" },
      );
    }
  }
  const port = (portBefore + (await portReadRate(store, before.events))) / 2;
  await store.close();
  const after = rawScanRate(storePath);
  const raw = (before.rate + after.rate) / 2;
  const bound: BenchResult = {
    name: "rebuild bound: reading through the port",
    ratioOf: "every event read through the store's port, nothing applied ÷ raw scan",
    ratio: port / raw,
    goal: null,
    figures: { "port_read_events/s": port, "raw_scan_events/s": raw, events: before.events },
  };
  return [
    bound,
    ...rebuilds.map((rebuild): BenchResult => {
      // The bound of its tables: the read (all events, or its own types) plus its statements bare (+ hashing).
      const readSeconds = before.events / (rebuild.read === "all" ? port : rebuild.readOnlyRate);
      const boundSeconds = readSeconds + rebuild.replaySeconds + rebuild.hashingSeconds;
      return {
        name: `rebuild ${rebuild.name}`,
        ratioOf: `${rebuild.service} read model rebuild ÷ raw scan`,
        ratio: rebuild.rate / raw,
        goal: { op: ">=", value: 0.7 },
        figures: {
          "rebuild_events/s": rebuild.rate,
          "raw_scan_events/s": raw,
          events: before.events,
          sql_bare_s: rebuild.replaySeconds,
          ...(rebuild.hashingSeconds > 0 ? { hashing_s: rebuild.hashingSeconds } : {}),
          tables_bound_ratio: before.events / boundSeconds / raw,
          of_tables_bound: before.events / rebuild.rate / boundSeconds,
          // A read model that reads a part: how many events, and the same events read with nothing applied ÷
          // the raw scan (its bound). One that reads them all: what its own work costs per event, above reading.
          ...(rebuild.read === "all"
            ? { "apply_µs/event": 1e6 / rebuild.rate - 1e6 / port }
            : {
                events_read: rebuild.read,
                bound_ratio: rebuild.readOnlyRate / raw,
                ...(rebuild.read > 0
                  ? {
                      "apply_µs/event_read":
                        ((1e6 / rebuild.rate - 1e6 / rebuild.readOnlyRate) * before.events) / rebuild.read,
                    }
                  : {}),
              }),
        },
      };
    }),
  ];
}
