/** Rebuild of a projection from zero, for the CLI: drop every version, read the whole log, apply in batches. */
import type { RecordedEvent } from "../events/envelope";
import type { EventStore } from "../events/port";
import type { ProjectionDefinition } from "./projection";
import type { ReadModelDatabase } from "./read-model-db";
import { ProjectionTrack } from "./track";

export interface RebuildOptions {
  readonly batchSize?: number;
  /** Called after each batch with the events done and the log's size when the rebuild began. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** How many events the log holds up to `head` (SQLite positions count events; elsewhere they are counted). */
export async function countEvents(store: EventStore, head: string): Promise<number> {
  if (store.backend === "sqlite") return Number(head);
  let count = 0;
  for await (const _ of store.readAll()) count += 1;
  return count;
}

export async function rebuildProjection(
  store: EventStore,
  rm: ReadModelDatabase,
  definition: ProjectionDefinition,
  options: RebuildOptions = {},
): Promise<{ events: number; checkpoint: string }> {
  const batchSize = options.batchSize ?? 1000;
  const total = await countEvents(store, await store.headPosition());
  for (const record of rm.projections(definition.name)) ProjectionTrack.drop(rm, definition.name, record.version);
  const track = new ProjectionTrack(definition, rm);
  let done = 0;
  let batch: RecordedEvent[] = [];
  const flush = () => {
    track.apply(batch);
    done += batch.length;
    batch = [];
    options.onProgress?.(done, Math.max(total, done));
  };
  for await (const event of store.readAll()) {
    batch.push(event);
    if (batch.length >= batchSize) flush();
  }
  flush();
  track.markLive();
  rm.serve(definition.name, definition.version);
  return { events: done, checkpoint: track.checkpoint };
}
