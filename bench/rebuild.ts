/**
 * Projection rebuild rate ÷ raw scan rate of the same log, for every read model. The raw scan is the least
 * any consumer does: better-sqlite3 iterating the events table in position order and parsing each event's
 * data and metadata. A rebuild adds the store's read path, upcasting, the handlers' SQL and the checkpoint.
 * Beside them, the bound: reading the log through the store's port and doing nothing with it ÷ the raw scan,
 * the most a read model that sees every event can reach; one that reads only its own event types has its own,
 * reading just those (`bound_ratio`).
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import { openSqliteEventStore } from "../events/adapters/sqlite/sqlite-event-store";
import type { EventFilter, EventStore } from "../events/port";
import { asCurrentEvent } from "../events/upcasters";
import { ReadModelDatabase } from "../projections/read-model-db";
import { readFilter, rebuildProjection } from "../projections/rebuild";
import { SERVICE_PROJECTIONS } from "../projections/registry";
import { clock, perSecond, removeDatabase as remove, type BenchResult } from "./report";

function rawScanRate(storePath: string): { rate: number; events: number } {
  const db = new Database(storePath, { readonly: true });
  const rows = db.prepare<[], { data: string; metadata: string }>("SELECT * FROM events ORDER BY position");
  let events = 0;
  const elapsed = clock();
  for (const row of rows.iterate()) {
    JSON.parse(row.data);
    JSON.parse(row.metadata);
    events += 1;
  }
  const rate = perSecond(events, elapsed());
  db.close();
  return { rate, events };
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
  const rebuilds: Array<{ service: string; name: string; rate: number; read: number | "all"; readOnly?: number }> = [];
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
      const filter = readFilter(definition);
      // A read model that reads a part of the log: its own bound, reading that part and doing nothing with it.
      if (filter) {
        const readOnly = await portReadRate(store, events, filter);
        rebuilds.push({ service, name: definition.name, rate, read: applied, readOnly });
      } else rebuilds.push({ service, name: definition.name, rate, read: "all" });
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
    ...rebuilds.map(({ service, name, rate, read, readOnly }): BenchResult => ({
      name: `rebuild ${name}`,
      ratioOf: `${service} read model rebuild ÷ raw scan`,
      ratio: rate / raw,
      goal: { op: ">=", value: 0.7 },
      figures: {
        "rebuild_events/s": rate,
        "raw_scan_events/s": raw,
        events: before.events,
        // A read model that reads a part: how many events, and the same events read with nothing applied ÷
        // the raw scan (its bound). One that reads them all: what its own work costs per event, above reading.
        ...(read === "all"
          ? { "apply_µs/event": 1e6 / rate - 1e6 / port }
          : {
              events_read: read,
              bound_ratio: readOnly! / raw,
              ...(read > 0 ? { "apply_µs/event_read": ((1e6 / rate - 1e6 / readOnly!) * before.events) / read } : {}),
            }),
      },
    })),
  ];
}
