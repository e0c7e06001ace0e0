import type { AppendResult, ExpectedRevision, NewEvent, RecordedEvent } from "./envelope";
import { InvalidFilterError, WrongExpectedRevisionError } from "./errors";

/**
 * The event-store port: all the rest of Passerelle knows of storage. Two adapters implement it (embedded SQLite,
 * EventStoreDB) and pass one contract suite (test/event-store.contract.ts).
 */
export interface EventStore {
  /** Human-readable name of the backend, for logs and health. */
  readonly backend: string;
  /**
   * Appends atomically: all events or none. `expectedRevision` defaults to `any`.
   * Throws WrongExpectedRevisionError (carrying the actual revision) on a conflict.
   */
  appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options?: { readonly expectedRevision?: ExpectedRevision },
  ): Promise<AppendResult>;
  /** A stream's events; a stream that does not exist reads as empty. */
  readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  /** Every event after a position, in global order. */
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  /**
   * Catch-up subscription: the backlog after `after`, then live events, in order, with no gap and no duplicate
   * at the boundary. Pull-based: a slow consumer slows only itself. Resume by passing the last position seen.
   */
  subscribeToAll(options?: SubscribeOptions): EventSubscription;
  /** Position of the last event of the log (START_POSITION when empty). */
  headPosition(): Promise<string>;
  close(): Promise<void>;
}

export interface ReadStreamOptions {
  /** Default `forwards`. */
  readonly direction?: "forwards" | "backwards";
  /** First revision to read (inclusive); default the start (forwards) or the end (backwards). */
  readonly fromRevision?: number;
  readonly maxCount?: number;
}

/**
 * An event passes when its type is one of the event types or starts with one of the type prefixes, and its
 * stream id starts with one of the stream prefixes; absent or empty lists do not constrain. At most
 * MAX_FILTER_PREFIXES in each list, each at most MAX_PREFIX_LENGTH characters: a store may prepare one
 * statement per shape of filter, and these bounds keep that set finite.
 */
export interface EventFilter {
  /** Exact type names: what a projection handles (a store compares them whole, cheaper than prefixes). */
  readonly eventTypes?: readonly string[];
  readonly eventTypePrefixes?: readonly string[];
  readonly streamPrefixes?: readonly string[];
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. Default START_POSITION. */
  readonly after?: string;
  readonly filter?: EventFilter;
  readonly maxCount?: number;
}

export interface SubscribeOptions {
  /** Exclusive: the last position the subscriber has seen. Default START_POSITION (everything). */
  readonly after?: string;
  readonly filter?: EventFilter;
}

export interface EventSubscription extends AsyncIterable<RecordedEvent> {
  /** Ends the iteration; a pending `next()` resolves as done. */
  close(): Promise<void>;
}

/** The last event of a stream, as much of it as the next append needs. */
export interface StreamHead {
  readonly revision: number;
  readonly hash: string;
}

/** An event ready to store: everything but the global position, which the backend assigns. */
export type PreparedEvent = Omit<RecordedEvent, "position">;

/**
 * What an adapter implements. The store-independent layer (ChainedEventStore) owns ids, time and the hash
 * chain; the backend owns atomicity: it reads the stream head and checks the expected revision inside the
 * same write, then stores what `prepare` builds from that head.
 */
export interface EventStoreBackend extends Omit<EventStore, "appendToStream"> {
  append(
    streamId: string,
    expectedRevision: ExpectedRevision,
    prepare: (head: StreamHead | null) => readonly PreparedEvent[],
  ): Promise<AppendResult>;
}

/** Throws the conflict when a stream's head does not match what the writer expected. */
export function checkExpectedRevision(streamId: string, expected: ExpectedRevision, head: StreamHead | null): void {
  const actual = head === null ? "no_stream" : head.revision;
  const ok = expected === "any" || (expected === "no_stream" ? head === null : head?.revision === expected);
  if (!ok) throw new WrongExpectedRevisionError(streamId, expected, actual);
}

export const MAX_FILTER_PREFIXES = 20;
/** A stream id's category, its dash and an id of up to 200 characters fit. */
export const MAX_PREFIX_LENGTH = 250;

/** What is wrong with a filter past the bounds (a caller's bug or abuse), or null. */
export function filterProblem(filter: EventFilter | undefined): InvalidFilterError | null {
  for (const [name, values] of [
    ["event types", filter?.eventTypes],
    ["event type prefixes", filter?.eventTypePrefixes],
    ["stream prefixes", filter?.streamPrefixes],
  ] as const) {
    if ((values?.length ?? 0) > MAX_FILTER_PREFIXES) {
      return new InvalidFilterError(`at most ${MAX_FILTER_PREFIXES} ${name} in a filter`);
    }
    if (values?.some((value) => value.length > MAX_PREFIX_LENGTH)) {
      return new InvalidFilterError(`${name} are at most ${MAX_PREFIX_LENGTH} characters each`);
    }
  }
  return null;
}

export function matchesFilter(event: Pick<RecordedEvent, "type" | "streamId">, filter?: EventFilter): boolean {
  if (!filter) return true;
  const { eventTypes, eventTypePrefixes, streamPrefixes } = filter;
  const starts = (value: string, prefixes: readonly string[] | undefined) =>
    prefixes?.some((prefix) => value.startsWith(prefix)) ?? false;
  const typePasses =
    !(eventTypes?.length || eventTypePrefixes?.length) ||
    (eventTypes?.includes(event.type) ?? false) ||
    starts(event.type, eventTypePrefixes);
  return typePasses && (!streamPrefixes?.length || starts(event.streamId, streamPrefixes));
}
