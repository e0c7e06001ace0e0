import { BACKWARDS, END, FORWARDS, START, StreamNotFoundError, type Position } from "@eventstore/db-client";
import type { RecordedEvent } from "../../envelope";
import { START_POSITION } from "../../envelope";
import type { EventFilter, ReadAllOptions, ReadStreamOptions, StreamHead } from "../../port";
import { matchesFilter } from "../../port";
import { type EsdbClient, type EsdbRead, toStoreError } from "./client";
import { type EsdbResolved, fromResolvedEvent, isAfter, toReadPosition } from "./mapping";

/** Events per read when `$all` is paged through (bounded reads, the head search). */
export const DEFAULT_PAGE_SIZE = 1_000;

export async function* readStreamEvents(
  client: EsdbClient,
  streamId: string,
  options: ReadStreamOptions = {},
): AsyncGenerator<RecordedEvent> {
  const backwards = options.direction === "backwards";
  const read = client.readStream(streamId, {
    direction: backwards ? BACKWARDS : FORWARDS,
    fromRevision: options.fromRevision === undefined ? (backwards ? END : START) : BigInt(options.fromRevision),
    ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
  });
  try {
    for await (const resolved of read) {
      const event = fromResolvedEvent(resolved);
      if (event) yield event;
    }
  } catch (error) {
    if (error instanceof StreamNotFoundError) return;
    throw toStoreError(error, streamId);
  } finally {
    await release(read);
  }
}

export async function readHead(client: EsdbClient, streamId: string): Promise<StreamHead | null> {
  for await (const event of readStreamEvents(client, streamId, { direction: "backwards", maxCount: 1 })) {
    return { revision: event.revision, hash: event.metadata.hash };
  }
  return null;
}

/**
 * `$all` after a position. Unbounded, it is one read; with `maxCount`, it goes in pages that the server
 * bounds, since the events the adapter drops (others', the one at `after`) would leave one bounded read short.
 */
export async function* readAllEvents(
  client: EsdbClient,
  options: ReadAllOptions,
  pageSize = DEFAULT_PAGE_SIZE,
): AsyncGenerator<RecordedEvent> {
  const { after, filter, maxCount } = options;
  let remaining = maxCount ?? Number.POSITIVE_INFINITY;
  if (remaining <= 0) return;
  // Unfiltered, a page asks for what is still wanted, plus the event a read from a position repeats.
  const nextPageSize = () => (constrains(filter) ? pageSize : Math.min(pageSize, remaining + 1));
  const read = pages(client, "forwards", toReadPosition(after), maxCount === undefined ? undefined : nextPageSize);
  for await (const resolved of read) {
    const event = fromResolvedEvent(resolved);
    if (!event || !isAfter(event, after) || !matchesFilter(event, filter)) continue;
    yield event;
    if (--remaining === 0) return;
  }
}

/** The position of the last Passerelle event of `$all`, however many events of others come after it. */
export async function headPosition(client: EsdbClient, pageSize = DEFAULT_PAGE_SIZE): Promise<string> {
  for await (const resolved of pages(client, "backwards", END, () => pageSize)) {
    const event = fromResolvedEvent(resolved);
    if (event) return event.position;
  }
  return START_POSITION;
}

/**
 * Reads `$all` page after page, each page's read cancelled when done. A page starts at the last position of
 * the one before, which a read may include again: events not strictly past it are skipped. Without a page
 * size, one unbounded read.
 */
async function* pages(
  client: EsdbClient,
  direction: "forwards" | "backwards",
  from: "start" | "end" | Position,
  pageSize: (() => number) | undefined,
): AsyncGenerator<EsdbResolved> {
  let cursor: Position | undefined;
  let start = from;
  for (;;) {
    const size = pageSize?.();
    const read = client.readAll({
      direction: direction === "forwards" ? FORWARDS : BACKWARDS,
      fromPosition: start,
      ...(size === undefined ? {} : { maxCount: size }),
    });
    let seen = 0;
    let progressed = false;
    try {
      for await (const resolved of read) {
        seen++;
        const position = positionOf(resolved);
        if (position && cursor && !isPast(position, cursor, direction)) continue;
        if (position) [cursor, progressed] = [position, true];
        yield resolved;
      }
    } finally {
      await release(read);
    }
    if (size === undefined || seen < size || !progressed || !cursor) return;
    start = cursor;
  }
}

function positionOf(resolved: EsdbResolved): Position | undefined {
  if (resolved.event?.position) return resolved.event.position;
  const commit = resolved.commitPosition;
  return commit === undefined ? undefined : { commit, prepare: commit };
}

function isPast(position: Position, cursor: Position, direction: "forwards" | "backwards"): boolean {
  const order =
    position.commit === cursor.commit
      ? Math.sign(Number(position.prepare - cursor.prepare))
      : Math.sign(Number(position.commit - cursor.commit));
  return direction === "forwards" ? order > 0 : order < 0;
}

function constrains(filter: EventFilter | undefined): boolean {
  return Boolean(filter?.eventTypes?.length || filter?.eventTypePrefixes?.length || filter?.streamPrefixes?.length);
}

/** Ends the read's gRPC call; a read that finished or failed has nothing left to end, hence no error. */
async function release(read: EsdbRead): Promise<void> {
  await read.cancel().catch(() => undefined);
}
