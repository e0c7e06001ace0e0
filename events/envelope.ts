/**
 * The event envelope: what every stored event carries, whatever the store behind the port.
 *
 * Positions are decimal strings: EventStoreDB commit positions are 64-bit and would lose precision as JSON
 * numbers. Compare them with `comparePositions`, never with `<` on strings.
 */

/** When a fact happened in the world, at the precision the source gives: `2019`, `2019-05` or `2019-05-12`. */
export type BusinessDateText = string;

export interface EventMetadata {
  /** Who issued the command (from the caller's token; `import` for the demo data loader). */
  readonly actor: string;
  /** The client's command id: the key of idempotency. */
  readonly commandId: string;
  /** Follows one request across services; defaults to the command id. */
  readonly correlationId: string;
  /** The event or command that caused this one, when there is one. */
  readonly causationId: string | null;
  readonly businessDate: BusinessDateText | null;
  /**
   * Fingerprint of the command as the client sent it (sha256 of its canonical type and data): a retry under the
   * same command id with other input is refused. Absent on events written before it was kept.
   */
  readonly commandHash?: string;
  /** sha256(previous event's hash + canonical encoding of this event), hex; the first event chains from GENESIS_HASH. */
  readonly hash: string;
}

export interface RecordedEvent<Type extends string = string, Data = unknown> {
  readonly id: string;
  readonly type: Type;
  /** Schema version of `data`, for upcasting. */
  readonly version: number;
  readonly streamId: string;
  /** 0-based position of the event in its stream. */
  readonly revision: number;
  /** Global position in the log: monotonic across streams. */
  readonly position: string;
  /** ISO-8601 instant at which the ledger recorded the event (not when it happened: see businessDate). */
  readonly recordedAt: string;
  readonly data: Data;
  readonly metadata: EventMetadata;
}

/** What a caller hands to `appendToStream`; the store fills ids, revisions, time and the hash chain. */
export interface NewEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
  /** Schema version; 1 when omitted. */
  readonly version?: number;
  /** Optional caller-chosen id (uuid); a random one otherwise. */
  readonly id?: string;
  readonly metadata: NewEventMetadata;
}

export interface NewEventMetadata {
  readonly actor: string;
  readonly commandId: string;
  readonly correlationId?: string;
  readonly causationId?: string | null;
  readonly businessDate?: BusinessDateText | null;
  readonly commandHash?: string;
}

/** `no_stream`: the stream must not exist; `any`: no check; a number: the stream's last revision must be exactly it. */
export type ExpectedRevision = "no_stream" | "any" | number;

export interface AppendResult {
  /** Revision of the last appended event: pass it as the expected revision of the next append. */
  readonly nextExpectedRevision: number;
  /** Global position of the last appended event. */
  readonly position: string;
}

/** A position as text: decimal digits, at most 20 (EventStoreDB's 64-bit commit positions fit). */
export const POSITION_PATTERN = /^\d{1,20}$/;

/** The position before the first event: reading or subscribing "after" it starts at the beginning. */
export const START_POSITION = "0";

export function comparePositions(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Stream ids are `<category>-<id>`; EventStoreDB takes the category from the part before the first `-`. */
export function streamId(category: string, id: string): string {
  if (!/^[a-z][a-zA-Z]*$/.test(category)) throw new Error(`invalid stream category: ${category}`);
  if (id.length === 0) throw new Error("empty id");
  return `${category}-${id}`;
}

export function streamCategory(stream: string): string {
  const dash = stream.indexOf("-");
  return dash === -1 ? stream : stream.slice(0, dash);
}

export function streamEntityId(stream: string): string {
  const dash = stream.indexOf("-");
  return dash === -1 ? "" : stream.slice(dash + 1);
}
