/**
 * Projection rebuild rate ÷ raw scan rate of the same log, for every read model. The raw scan is the least
 * any consumer does: better-sqlite3 iterating the events table in position order and parsing each event's
 * data and metadata. A rebuild adds the store's read path, upcasting, the handlers' SQL and the checkpoint.
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import { openSqliteEventStore } from "../events/adapters/sqlite/sqlite-event-store";
import { ReadModelDatabase } from "../projections/read-model-db";
import { rebuildProjection } from "../projections/rebuild";
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

export async function rebuildBenchmarks(storePath: string, directory: string): Promise<BenchResult[]> {
  rawScanRate(storePath); // Warms the page cache, so neither side pays the first read from disk.
  const before = rawScanRate(storePath);
  const store = openSqliteEventStore({ path: storePath });
  const rebuilds: Array<{ service: string; name: string; rate: number }> = [];
  for (const [service, definitions] of Object.entries(SERVICE_PROJECTIONS)) {
    for (const definition of definitions) {
      const path = join(directory, `rebuild-${definition.name}.db`);
      remove(path);
      const rm = new ReadModelDatabase(path);
      const elapsed = clock();
      const { events } = await rebuildProjection(store, rm, definition);
      rebuilds.push({ service, name: definition.name, rate: perSecond(events, elapsed()) });
      rm.db.close();
      remove(path);
    }
  }
  await store.close();
  const after = rawScanRate(storePath);
  const raw = (before.rate + after.rate) / 2;
  return rebuilds.map(({ service, name, rate }) => ({
    name: `rebuild ${name}`,
    ratioOf: `${service} read model rebuild ÷ raw scan`,
    ratio: rate / raw,
    goal: { op: ">=", value: 0.7 },
    figures: { "rebuild_events/s": rate, "raw_scan_events/s": raw, events: before.events },
  }));
}
