/**
 * Integrity verification: every stream's hash chain recomputed, and every event compared with the witness (the
 * audit service's event index, which holds each event's stream, revision and hash apart from the store). The
 * chain catches altered data, metadata and reordering within a stream; the witness catches what a chain
 * cannot: a deleted stream tail, an inserted event, a chain rewritten from scratch.
 */
import type { RecordedEvent } from "../../events/envelope";
import { comparePositions } from "../../events/envelope";
import { StreamChain, type ChainBreak } from "../../events/hash-chain";
import type { EventStore } from "../../events/port";
import type { Tables } from "../../projections/projection";
import type { ReadModelDatabase } from "../../projections/read-model-db";
import { eventIndex, witnessPage, type IndexEntry } from "../../projections/read-models/event-index";
import { MAX_FILTER_PREFIXES } from "../../events/port";

export type BreakKind = "hash" | "revision" | "order" | "missing" | "unexpected" | "witness";

export interface IntegrityBreak {
  readonly kind: BreakKind;
  /** Where the broken event is (or was, for a missing one). */
  readonly position: string;
  readonly streamId: string;
  readonly revision: number;
  readonly type: string | null;
  readonly detail: string;
}

export interface IntegrityReport {
  readonly ok: boolean;
  readonly eventsChecked: number;
  readonly streamsChecked: number;
  /** Events also compared with the witness (those it had indexed). */
  readonly eventsWitnessed: number;
  readonly firstBreak: IntegrityBreak | null;
}

/** The witness, as the verifier reads it: pages of index entries in position order, and how far it has indexed. */
export interface Witness {
  readonly checkpoint: string;
  page(after: string, limit: number, streams?: readonly string[]): IndexEntry[];
}

/** The audit service's event index as the witness. */
export function witnessOf(rm: ReadModelDatabase, tables: Tables<(typeof eventIndex.tables)[number]>): Witness {
  return {
    checkpoint: rm.projection(eventIndex.name, eventIndex.version)?.checkpoint ?? "0",
    page: (after, limit, streams) => witnessPage(rm, tables, after, limit, streams),
  };
}

export interface VerifyOptions {
  /** Verify only these streams (a partnership's); default the whole log. */
  readonly streams?: readonly string[];
  readonly witness?: Witness;
  /** Called every 10,000 events. */
  readonly onProgress?: (eventsChecked: number) => void;
}

function fromChain(broken: ChainBreak): IntegrityBreak {
  const { event } = broken;
  const detail = {
    hash: "its hash does not match its content and its predecessor's hash: data, metadata or an earlier event was altered",
    revision: `revision ${event.revision} where ${"expectedRevision" in broken ? broken.expectedRevision : "?"} was due: an event is missing or out of place`,
    order: "it sits before an earlier revision of its stream in the log",
  }[broken.kind];
  return {
    kind: broken.kind,
    position: event.position,
    streamId: event.streamId,
    revision: event.revision,
    type: event.type,
    detail,
  };
}

const PAGE = 1000;

export async function verifyIntegrity(store: EventStore, options: VerifyOptions = {}): Promise<IntegrityReport> {
  const chains = new Map<string, StreamChain>();
  const wanted = options.streams ? new Set(options.streams) : undefined;
  const witness = options.witness;
  let checked = 0;
  let witnessedCount = 0;
  let page: IndexEntry[] = [];
  let pageAt = 0;
  let witnessAfter = "0";
  const nextWitnessed = (): IndexEntry | undefined => {
    if (!witness) return undefined;
    if (pageAt >= page.length) {
      page = witness.page(witnessAfter, PAGE, options.streams);
      pageAt = 0;
      if (page.length === 0) return undefined;
      witnessAfter = page[page.length - 1]!.position;
    }
    return page[pageAt];
  };
  const report = (firstBreak: IntegrityBreak | null): IntegrityReport => ({
    ok: firstBreak === null,
    eventsChecked: checked,
    streamsChecked: chains.size,
    eventsWitnessed: witnessedCount,
    firstBreak,
  });
  const missing = (entry: IndexEntry): IntegrityBreak => ({
    kind: "missing",
    position: entry.position,
    streamId: entry.stream_id,
    revision: entry.revision,
    type: null,
    detail: "the witness saw this event; the log no longer has it (deleted)",
  });
  // Past the store's filter bound a partnership's streams are read with the whole log, kept by `wanted` below.
  const read =
    options.streams && options.streams.length <= MAX_FILTER_PREFIXES
      ? store.readAll({ filter: { streamPrefixes: options.streams } })
      : store.readAll();
  for await (const event of read as AsyncIterable<RecordedEvent>) {
    if (wanted && !wanted.has(event.streamId)) continue;
    checked += 1;
    if (checked % 10_000 === 0) options.onProgress?.(checked);
    let chain = chains.get(event.streamId);
    if (!chain) chains.set(event.streamId, (chain = new StreamChain()));
    const broken = chain.next(event);
    if (broken) return report(fromChain(broken));
    if (!witness || comparePositions(event.position, witness.checkpoint) > 0) continue;
    // Merge with the witness, both in position order.
    const entry = nextWitnessed();
    if (entry && comparePositions(entry.position, event.position) < 0) return report(missing(entry));
    if (!entry || entry.position !== event.position) {
      return report({
        kind: "unexpected",
        position: event.position,
        streamId: event.streamId,
        revision: event.revision,
        type: event.type,
        detail: "the witness never saw this event: it was inserted",
      });
    }
    if (entry.stream_id !== event.streamId || entry.revision !== event.revision || entry.hash !== event.metadata.hash) {
      return report({
        kind: "witness",
        position: event.position,
        streamId: event.streamId,
        revision: event.revision,
        type: event.type,
        detail: `the witness recorded ${entry.stream_id}@${entry.revision} with another hash here: the log was rewritten`,
      });
    }
    witnessedCount += 1;
    pageAt += 1;
  }
  const left = nextWitnessed();
  return report(left ? missing(left) : null);
}
