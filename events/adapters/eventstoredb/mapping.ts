/**
 * Pure translations between Passerelle's envelope and @eventstore/db-client's shapes. No I/O: unit-tested
 * everywhere, while the adapter that uses them runs only against a real server.
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
};

export interface EsdbEventData {
  readonly id: string;
  readonly contentType: "application/json";
  readonly type: string;
  readonly data: Record<string, unknown> | unknown[] | string;
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
  return {
    id: event.id,
    contentType: "application/json",
    type: event.type,
    // The client takes objects, arrays or strings as JSON; anything else (a bare number, null) is boxed.
    data: isJsonContainer(event.data) ? event.data : { $value: event.data },
    metadata: {
      schemaVersion: event.version,
      recordedAt: event.recordedAt,
      actor: metadata.actor,
      commandId: metadata.commandId,
      correlationId: metadata.correlationId,
      causationId: metadata.causationId,
      businessDate: metadata.businessDate,
      hash: metadata.hash,
      $correlationId: metadata.correlationId,
      ...(metadata.causationId ? { $causationId: metadata.causationId } : {}),
    },
  };
}

function isJsonContainer(value: unknown): value is Record<string, unknown> | unknown[] | string {
  return typeof value === "string" || (typeof value === "object" && value !== null);
}

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
  const data = event.data;
  const unboxed =
    typeof data === "object" &&
    data !== null &&
    !Array.isArray(data) &&
    Object.keys(data).length === 1 &&
    "$value" in data
      ? (data as { $value: unknown }).$value
      : data;
  return {
    id: event.id,
    type: event.type,
    version: metadata.schemaVersion,
    streamId: event.streamId,
    revision: Number(event.revision),
    position: commit.toString(),
    recordedAt: metadata.recordedAt ?? "",
    data: unboxed,
    metadata: {
      actor: metadata.actor ?? "",
      commandId: metadata.commandId ?? "",
      correlationId: metadata.correlationId ?? "",
      causationId: metadata.causationId ?? null,
      businessDate: metadata.businessDate ?? null,
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
  if (filter?.eventTypePrefixes?.length) return { kind: "eventType", prefixes: filter.eventTypePrefixes };
  if (filter?.streamPrefixes?.length) return { kind: "streamName", prefixes: filter.streamPrefixes };
  return { kind: "excludeSystemEvents" };
}
