import { hash } from "node:crypto";
import type { EventMetadata, RecordedEvent } from "./envelope";

/** The hash the first event of every stream chains from. */
export const GENESIS_HASH = "0".repeat(64);

/**
 * Canonical JSON (RFC 8785 for the JSON the ledger stores: plain objects, arrays, strings, finite numbers,
 * booleans, null): object keys sorted by UTF-16 code units, no whitespace, ECMAScript number formatting.
 * Both adapters hash this encoding, so a chain verifies whichever store holds it.
 */
/** `"key":` for the keys events use again and again (bounded: a log's key set is small). */
const QUOTED = new Map<string, string>();
function quoted(key: string): string {
  let text = QUOTED.get(key);
  if (text === undefined) {
    text = `${JSON.stringify(key)}:`;
    if (QUOTED.size < 10_000) QUOTED.set(key, text);
  }
  return text;
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) throw new TypeError("non-finite number");
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  // One string built in place, no intermediate arrays: every append and every tree leaf goes through here.
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object).sort();
  let out = "{";
  for (const key of keys) {
    const item = object[key];
    if (item === undefined) continue;
    if (out.length > 1) out += ",";
    out += quoted(key) + canonicalJson(item);
  }
  return out + "}";
}

/** Every stored field of an event except its global position (assigned by the store) and the hash itself. */
export type HashedFields = Omit<RecordedEvent, "position" | "metadata"> & {
  readonly metadata: Omit<EventMetadata, "hash">;
};

export function hashEvent(previousHash: string, event: HashedFields): string {
  const { id, type, version, streamId, revision, recordedAt, data, metadata } = event;
  const { actor, commandId, correlationId, causationId, businessDate, commandHash } = metadata;
  const canonical = canonicalJson({
    id,
    type,
    version,
    streamId,
    revision,
    recordedAt,
    data,
    // commandHash is undefined on older events, and canonical JSON leaves it out: their hashes are unchanged.
    metadata: { actor, commandId, correlationId, causationId, businessDate, commandHash },
  });
  // One-shot: the same digest as hashing the two in turn, without a Hash object per event.
  return hash("sha256", previousHash + canonical, "hex");
}

export type ChainBreak =
  | { readonly kind: "hash"; readonly event: RecordedEvent; readonly expectedHash: string }
  | { readonly kind: "revision"; readonly event: RecordedEvent; readonly expectedRevision: number }
  | { readonly kind: "order"; readonly event: RecordedEvent; readonly previousPosition: string };

/**
 * Follows one stream's chain event by event, read forwards from revision 0: revisions contiguous, positions
 * increasing, each hash recomputed. Kept incremental so a scan of the whole log needs one of these per stream
 * and never holds the events themselves.
 */
export class StreamChain {
  private previousHash = GENESIS_HASH;
  private expectedRevision = 0;
  private previousPosition: bigint | null = null;

  /** The break this event makes, or null when the chain still holds. */
  next(event: RecordedEvent): ChainBreak | null {
    if (event.revision !== this.expectedRevision) {
      return { kind: "revision", event, expectedRevision: this.expectedRevision };
    }
    const position = BigInt(event.position);
    if (this.previousPosition !== null && position <= this.previousPosition) {
      return { kind: "order", event, previousPosition: this.previousPosition.toString() };
    }
    const expectedHash = hashEvent(this.previousHash, event);
    if (expectedHash !== event.metadata.hash) return { kind: "hash", event, expectedHash };
    this.previousHash = event.metadata.hash;
    this.expectedRevision += 1;
    this.previousPosition = position;
    return null;
  }
}

/** The first break in one stream's events (read forwards from revision 0), or null when the chain holds. */
export async function findChainBreak(
  events: AsyncIterable<RecordedEvent> | Iterable<RecordedEvent>,
): Promise<ChainBreak | null> {
  const chain = new StreamChain();
  for await (const event of events) {
    const broken = chain.next(event);
    if (broken) return broken;
  }
  return null;
}
