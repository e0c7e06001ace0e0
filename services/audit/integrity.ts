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
import { CompactRange, EMPTY_ROOT, leafHash, leafInput } from "../../events/transparency/merkle";
import type { SignedTreeHead } from "../../events/transparency/tree-head";
import type { Sql } from "../../projections/projection";
import { leafPage, type TreeTables } from "../../projections/read-models/ledger-tree";
import type { TreeHeadLog } from "../../projections/tree-heads";

export type BreakKind = "hash" | "revision" | "order" | "missing" | "unexpected" | "witness" | "tree" | "head";

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
  /** Events compared with their leaf in the ledger tree (whole-log checks only). */
  readonly leavesChecked: number;
  /** Signed tree heads whose root was recomputed from the log (whole-log checks only). */
  readonly headsChecked: number;
  /** The Merkle root of every event read, hex (whole-log checks only; null otherwise). */
  readonly rootHash: string | null;
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

/**
 * The ledger tree and its signed heads, as the whole-log check reads them: every event is compared with its leaf,
 * and every head's root is recomputed from the log itself (so a rebuilt tree cannot vouch for a rewritten log).
 */
export interface TreeWitness {
  leaves(from: number, limit: number): { index: number; position: string; hash: Buffer }[];
  heads(afterSize: number, limit: number): SignedTreeHead[];
}

/** The tree and heads as the check reads them; a missing tree (its file gone) reads as holding no leaf. */
export function treeWitnessOf(
  tree: { readonly sql: Sql; readonly tables: TreeTables } | undefined,
  heads: TreeHeadLog | undefined,
): TreeWitness {
  return {
    leaves: (from, limit) => (tree ? leafPage(tree.sql, tree.tables, from, limit) : []),
    heads: (afterSize, limit) => heads?.page(afterSize, limit) ?? [],
  };
}

export interface VerifyOptions {
  /** Verify only these streams (a partnership's); default the whole log. */
  readonly streams?: readonly string[];
  readonly witness?: Witness;
  /** Checked on whole-log runs only: a tree leaf and a head are about the whole log, not one partnership. */
  readonly tree?: TreeWitness;
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
  const tree = wanted ? undefined : options.tree;
  const range = new CompactRange();
  let leaves: { index: number; position: string; hash: Buffer }[] = [];
  let leafAt = 0;
  let leavesChecked = 0;
  let heads: SignedTreeHead[] = [];
  let headAt = 0;
  let headsChecked = 0;
  // A short page means the tree ends there: no query per event while a lagging tree has nothing more.
  let leavesEnd = false;
  const nextLeaf = (index: number, again = false) => {
    if (leafAt >= leaves.length && (!leavesEnd || again)) {
      leaves = tree!.leaves(index, PAGE);
      leafAt = 0;
      leavesEnd = leaves.length < PAGE;
    }
    return leaves[leafAt];
  };
  let headsAfter = -1;
  let headsEnd = false;
  const nextHead = (again = false) => {
    if (headAt >= heads.length && (!headsEnd || again)) {
      heads = tree!.heads(headsAfter, PAGE);
      headAt = 0;
      headsEnd = heads.length < PAGE;
      if (heads.length > 0) headsAfter = heads[heads.length - 1]!.treeSize;
    }
    return heads[headAt];
  };
  const report = (firstBreak: IntegrityBreak | null): IntegrityReport => ({
    ok: firstBreak === null,
    eventsChecked: checked,
    streamsChecked: chains.size,
    eventsWitnessed: witnessedCount,
    leavesChecked,
    headsChecked,
    rootHash: tree ? range.root().toString("hex") : null,
    firstBreak,
  });
  const headBreak = (head: SignedTreeHead, event: RecordedEvent | null, detail: string): IntegrityBreak => ({
    kind: "head",
    position: event?.position ?? "0",
    streamId: event?.streamId ?? "",
    revision: event?.revision ?? -1,
    type: event?.type ?? null,
    detail: `the head signed ${new Date(head.timestamp).toISOString()} for ${head.treeSize} events: ${detail}`,
  });
  if (tree && nextHead()?.treeSize === 0) {
    if (heads[0]!.rootHash !== EMPTY_ROOT.toString("hex")) {
      return report(headBreak(heads[0]!, null, "an empty tree's root is SHA-256 of nothing"));
    }
    headsChecked += 1;
    headAt += 1;
  }
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
  let lastRead = "0";
  for await (const event of read as AsyncIterable<RecordedEvent>) {
    lastRead = event.position;
    if (wanted && !wanted.has(event.streamId)) continue;
    checked += 1;
    if (checked % 10_000 === 0) options.onProgress?.(checked);
    let chain = chains.get(event.streamId);
    if (!chain) chains.set(event.streamId, (chain = new StreamChain()));
    const broken = chain.next(event);
    if (broken) return report(fromChain(broken));
    if (tree) {
      const leaf = leafHash(leafInput(event));
      range.append(leaf);
      const stored = nextLeaf(range.size - 1);
      if (stored) {
        if (stored.position !== event.position || !stored.hash.equals(leaf)) {
          return report({
            kind: "tree",
            position: event.position,
            streamId: event.streamId,
            revision: event.revision,
            type: event.type,
            detail: `leaf ${range.size - 1} of the ledger tree holds another event: the log changed after the tree took it`,
          });
        }
        leavesChecked += 1;
        leafAt += 1;
      }
      const head = nextHead();
      if (head && head.treeSize === range.size) {
        const root = range.root().toString("hex");
        if (root !== head.rootHash) {
          return report(
            headBreak(
              head,
              event,
              `the log's first ${head.treeSize} events hash to ${root}, not ${head.rootHash}: the log was rewritten since`,
            ),
          );
        }
        headsChecked += 1;
        headAt += 1;
      }
    }
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
  if (left) return report(missing(left));
  // Leaves or heads past the end of what was read are deleted events — unless the log grew meanwhile.
  let grew = false;
  if (tree) for await (const _ of store.readAll({ after: lastRead, maxCount: 1 })) grew = true;
  if (tree && !grew) {
    const extra = nextLeaf(range.size, true);
    if (extra) {
      return report({
        kind: "tree",
        position: extra.position,
        streamId: "",
        revision: -1,
        type: null,
        detail: `the ledger tree holds leaf ${extra.index}; the log has only ${range.size} events: events were deleted`,
      });
    }
    const beyond = nextHead(true);
    if (beyond) {
      return report(headBreak(beyond, null, `the log has only ${range.size} events: events were deleted`));
    }
  }
  return report(null);
}
