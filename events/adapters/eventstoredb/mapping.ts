/**
 * Pure translations between Passerelle's envelope and @eventstore/db-client's shapes. No I/O: unit-tested
 * everywhere.
 */
import type { EventMetadata, ExpectedRevision, RecordedEvent } from "../../envelope";
import { START_POSITION } from "../../envelope";
import type { EventFilter, PreparedEvent } from "../../port";

/** What Passerelle writes into an EventStoreDB event's metadata. `$correlationId`/`$causationId` are EventStoreDB's own names, kept so its tools follow the chain too. */
export type StoredMetadata = EventMetadata & {
  readonly schemaVersion: number;
  readonly recordedAt: string;
  readonly $correlationId: string;
  readonly $causationId?: string;
  /** Set when `data` holds the event's data under `$value` (see `toEventData`); absent on unboxed data. */
  readonly dataBoxed?: true;
};

export interface EsdbEventData {
  readonly id: string;
  readonly contentType: "application/json";
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: StoredMetadata & Record<string, unknown>;
}

/** The subset of the client's recorded event the mapping reads. */
export interface EsdbRecorded {
  readonly streamId: string;
  readonly id: string;
  readonly isJson: boolean;
  readonly revision: bigint;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly position?: { readonly commit: bigint; readonly prepare: bigint };
}

export interface EsdbResolved {
  readonly event?: EsdbRecorded;
  readonly commitPosition?: bigint;
}

export function toEventData(event: PreparedEvent): EsdbEventData {
  const { metadata } = event;
  const { data, boxed } = storedData(event.data);
  return {
    id: event.id,
    contentType: "application/json",
    type: event.type,
    data,
    metadata: {
      schemaVersion: event.version,
      recordedAt: event.recordedAt,
      actor: metadata.actor,
      commandId: metadata.commandId,
      correlationId: metadata.correlationId,
      causationId: metadata.causationId,
      businessDate: metadata.businessDate,
      hash: metadata.hash,
      ...(metadata.commandHash === undefined ? {} : { commandHash: metadata.commandHash }),
      $correlationId: metadata.correlationId,
      ...(metadata.causationId ? { $causationId: metadata.causationId } : {}),
      ...(boxed ? { dataBoxed: true as const } : {}),
    },
  };
}

/**
 * EventStoreDB's tools expect an event's JSON to be an object: anything else is stored as `{ "$value": data }`,
 * and so is an object that is itself `{ "$value": … }`, so that unboxing (keyed on the metadata's marker) can
 * never mistake real data for a box.
 */
function storedData(data: unknown): { readonly data: Record<string, unknown>; readonly boxed: boolean } {
  return isPlainObject(data) && !isBoxShaped(data) ? { data, boxed: false } : { data: { $value: data }, boxed: true };
}

function isBoxShaped(data: Record<string, unknown>): boolean {
  const keys = Object.keys(data);
  return keys.length === 1 && keys[0] === "$value";
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function unbox(data: unknown, metadata: Partial<StoredMetadata>): unknown {
  if (metadata.dataBoxed === true) return isPlainObject(data) ? data.$value : data;
  // Events written before the marker boxed only what was not an object, array or string.
  return isPlainObject(data) && isBoxShaped(data) ? data.$value : data;
}

/** The commit position EventStoreDB before 22.6 sends for an event read from a stream: "unknown". */
const UNKNOWN_POSITION = 2n ** 64n - 1n;

/**
 * A Passerelle envelope from a resolved event, or null for what is not ours: system events (`$`-types or
 * streams), binary events, events without Passerelle metadata.
 */
export function fromResolvedEvent(resolved: EsdbResolved): RecordedEvent | null {
  const event = resolved.event;
  if (!event || !event.isJson || event.type.startsWith("$") || event.streamId.startsWith("$")) return null;
  const metadata = event.metadata as Partial<StoredMetadata> | undefined;
  if (!metadata || typeof metadata.hash !== "string" || typeof metadata.schemaVersion !== "number") return null;
  const commit = event.position?.commit ?? resolved.commitPosition;
  if (commit === undefined) throw new Error(`event ${event.id} came without a position`);
  // Passerelle's position is the commit position alone, and the audit index is keyed on it: let either case
  // through and two events would share one key.
  if (commit === UNKNOWN_POSITION) {
    throw new Error(
      `event ${event.id} of ${event.streamId} came with an unknown position (2^64-1): EventStoreDB before 22.6 ` +
        "does not send positions on stream reads; upgrade the server",
    );
  }
  if (event.position && event.position.prepare !== event.position.commit) {
    throw new Error(
      `event ${event.id} of ${event.streamId} has commit position ${commit} but prepare position ` +
        `${event.position.prepare}: it was written in an explicit transaction, which Passerelle cannot position`,
    );
  }
  return {
    id: event.id,
    type: event.type,
    version: metadata.schemaVersion,
    streamId: event.streamId,
    revision: Number(event.revision),
    position: commit.toString(),
    recordedAt: metadata.recordedAt ?? "",
    data: unbox(event.data, metadata),
    metadata: {
      actor: metadata.actor ?? "",
      commandId: metadata.commandId ?? "",
      correlationId: metadata.correlationId ?? "",
      causationId: metadata.causationId ?? null,
      businessDate: metadata.businessDate ?? null,
      ...(typeof metadata.commandHash === "string" ? { commandHash: metadata.commandHash } : {}),
      hash: metadata.hash,
    },
  };
}

export type EsdbExpectedRevision = "any" | "no_stream" | bigint;

export function toExpectedRevision(expected: ExpectedRevision): EsdbExpectedRevision {
  return typeof expected === "number" ? BigInt(expected) : expected;
}

export function fromCurrentRevision(actual: "no_stream" | bigint | string): number | "no_stream" {
  return actual === "no_stream" ? "no_stream" : Number(actual);
}

/**
 * The client's read position for "everything after `after`". EventStoreDB reads include the event at the
 * given position, so the adapter also drops events at or before `after` (see `isAfter`).
 */
export function toReadPosition(after: string | undefined): "start" | { commit: bigint; prepare: bigint } {
  if (after === undefined || after === START_POSITION) return "start";
  const position = BigInt(after);
  return { commit: position, prepare: position };
}

export function isAfter(event: RecordedEvent, after: string | undefined): boolean {
  return after === undefined || BigInt(event.position) > BigInt(after);
}

/**
 * The one filter the server applies ($all filters take either event types or stream names); the rest of an
 * EventFilter is checked client-side. With no filter the server still drops system events.
 */
export type ServerFilter =
  | { readonly kind: "eventType"; readonly prefixes: readonly string[] }
  | { readonly kind: "streamName"; readonly prefixes: readonly string[] }
  | { readonly kind: "excludeSystemEvents" };

export function toServerFilter(filter: EventFilter | undefined): ServerFilter {
  // An exact type is a prefix of itself: the server narrows by prefix, matchesFilter then keeps whole matches.
  const types = [...(filter?.eventTypes ?? []), ...(filter?.eventTypePrefixes ?? [])];
  if (types.length > 0) return { kind: "eventType", prefixes: types };
  if (filter?.streamPrefixes?.length) return { kind: "streamName", prefixes: filter.streamPrefixes };
  return { kind: "excludeSystemEvents" };
}
