/**
 * Catching a projection up with the log as it is now, reading only the event types it handles, and the
 * rebuild from zero (for the CLI and tests) that is exactly that, after dropping every version.
 */
import { comparePositions, type RecordedEvent } from "../events/envelope";
import { MAX_FILTER_PREFIXES, type EventFilter, type EventStore } from "../events/port";
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

/**
 * The store filter that reads only the events a projection has handlers for; undefined (every event) for one
 * that sees every event (`everyEvent`, `everyBatch`) or handles more types than a filter may name.
 */
export function readFilter(definition: ProjectionDefinition): EventFilter | undefined {
  if (definition.everyEvent || definition.everyBatch) return undefined;
  const types = Object.keys(definition.handlers);
  if (types.length === 0 || types.length > MAX_FILTER_PREFIXES) return undefined;
  return { eventTypes: types };
}

export interface CatchUpOptions {
  readonly batchSize: number;
  /** Asked before each batch: true ends the catch-up where it is (the checkpoint stays at the last batch). */
  readonly stopped?: () => boolean;
  /** After each batch is applied, with the events in it and the position reached. */
  readonly onBatch?: (events: number, position: string) => void | Promise<void>;
}

/**
 * Applies every event the projection handles up to the log's head as it is now, in batches, then moves the
 * checkpoint to that head: the events it skipped in between concern it not. Returns that head. The read is
 * bounded by the head, so a log that keeps growing cannot keep it from ending; what comes after is the live
 * subscription's.
 */
export async function catchUp(store: EventStore, track: ProjectionTrack, options: CatchUpOptions): Promise<string> {
  const head = await store.headPosition();
  if (comparePositions(track.checkpoint, head) >= 0) return track.checkpoint;
  const filter = readFilter(track.definition);
  let batch: RecordedEvent[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    track.apply(batch);
    const position = batch[batch.length - 1]!.position;
    const events = batch.length;
    batch = [];
    await options.onBatch?.(events, position);
  };
  const stopped = options.stopped ?? (() => false);
  for await (const event of store.readAll({ after: track.checkpoint, ...(filter ? { filter } : {}) })) {
    if (stopped()) return track.checkpoint;
    if (comparePositions(event.position, head) > 0) break;
    batch.push(event);
    if (batch.length >= options.batchSize) await flush();
  }
  if (stopped()) return track.checkpoint;
  await flush();
  // Stopped while the last batch's turn ran (a newer version took over and dropped this one): leave it be.
  if (stopped()) return track.checkpoint;
  track.advanceTo(head);
  return head;
}

export async function rebuildProjection(
  store: EventStore,
  rm: ReadModelDatabase,
  definition: ProjectionDefinition,
  options: RebuildOptions = {},
): Promise<{ events: number; applied: number; checkpoint: string }> {
  const total = await countEvents(store, await store.headPosition());
  for (const record of rm.projections(definition.name)) ProjectionTrack.drop(rm, definition.name, record.version);
  const track = new ProjectionTrack(definition, rm);
  let applied = 0;
  await catchUp(store, track, {
    batchSize: options.batchSize ?? 1000,
    onBatch: (events, position) => {
      applied += events;
      // SQLite positions count events, so progress is how far the read has come; elsewhere, events applied.
      options.onProgress?.(store.backend === "sqlite" ? Number(position) : applied, total);
    },
  });
  options.onProgress?.(total, total);
  track.markLive();
  rm.serve(definition.name, definition.version);
  // `events`: the log the read model now reflects, every event up to its checkpoint (most were not its own).
  return { events: total, applied, checkpoint: track.checkpoint };
}
