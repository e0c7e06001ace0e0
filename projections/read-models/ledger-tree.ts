/**
 * The ledger's Merkle tree (RFC 9162): one leaf per event of the log, in log order, and every complete subtree's
 * hash, so a root or a proof takes O(log n) reads whatever the log's size. Kept in a read-model file of its own:
 * it is as long as the log, and the tree heads signed over it are checked against a rebuild from zero.
 */
import type { RecordedEvent } from "../../events/envelope";
import {
  consistencyPath,
  inclusionPath,
  leafHash,
  leafInput,
  nodeHash,
  rootHash,
  splitPoint,
  type Hash,
  type SubtreeHash,
} from "../../events/transparency/merkle";
import { defineProjection, type Sql, type Tables } from "../projection";

type Table = "leaves" | "nodes";
export type TreeTables = Tables<Table>;

/** Positions are decimal strings of up to 20 digits: padded, they sort and compare as numbers. */
const pad = (position: string) => position.padStart(20, "0");

export const ledgerTree = defineProjection<Table>({
  name: "ledger_tree",
  version: 1,
  file: "ledger-tree",
  tables: ["leaves", "nodes"],
  setup(sql, tables) {
    sql.run(`CREATE TABLE ${tables.leaves} (idx INTEGER PRIMARY KEY, position TEXT NOT NULL, hash BLOB NOT NULL)`);
    sql.run(`CREATE UNIQUE INDEX ${tables.leaves}_position ON ${tables.leaves} (position)`);
    // Complete subtrees of 2^level leaves (level ≥ 1), the idx-th of their size from the left.
    sql.run(
      `CREATE TABLE ${tables.nodes} (level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (level, idx)) WITHOUT ROWID`,
    );
  },
  handlers: {},
  // Every stored event, of a type the catalogue knows or not, hashed as stored (before upcasting).
  everyBatch(events, sql, tables) {
    appendLeaves(sql, tables, events);
  },
});

/**
 * Appends a batch's leaves. The right edge of the tree (the last complete subtree of each size, which new leaves
 * join) is read once per batch and carried in memory; each leaf and completed subtree is written once.
 */
function appendLeaves(sql: Sql, tables: TreeTables, events: readonly RecordedEvent[]): void {
  let size = treeSize(sql, tables);
  /** Left siblings waiting for a right one: by level, the complete subtree ending the tree at that level. */
  const edge = new Map<number, Hash>();
  const sibling = (level: number, index: number): Hash => edge.get(level) ?? storedNode(sql, tables, level, index);
  for (const event of events) {
    let index = size;
    let hash = leafHash(leafInput(event));
    sql.run(`INSERT INTO ${tables.leaves} (idx, position, hash) VALUES (?, ?, ?)`, index, pad(event.position), hash);
    let level = 0;
    // Each time the new leaf completes a subtree, keep its hash: a right child joins its left sibling.
    for (; index % 2 === 1; level += 1) {
      hash = nodeHash(sibling(level, index - 1), hash);
      edge.delete(level);
      index = Math.floor(index / 2);
      sql.run(`INSERT INTO ${tables.nodes} (level, idx, hash) VALUES (?, ?, ?)`, level + 1, index, hash);
    }
    // The subtree just completed (or the leaf) now waits, as a left child, for the next one of its size.
    edge.set(level, hash);
    size += 1;
  }
}

function storedNode(sql: Sql, tables: TreeTables, level: number, index: number): Hash {
  const row =
    level === 0
      ? sql.get<{ hash: Buffer }>(`SELECT hash FROM ${tables.leaves} WHERE idx = ?`, index)
      : sql.get<{ hash: Buffer }>(`SELECT hash FROM ${tables.nodes} WHERE level = ? AND idx = ?`, level, index);
  if (!row) throw new Error(`ledger tree: no node at level ${level}, index ${index}`);
  return row.hash;
}

/** How many leaves the tree holds: the events it has applied. */
export function treeSize(sql: Sql, tables: TreeTables): number {
  const last = sql.get<{ n: number | null }>(`SELECT max(idx) AS n FROM ${tables.leaves}`)!.n;
  return last === null ? 0 : last + 1;
}

/** The stored tree as a subtree accessor: complete subtrees read, the ragged right edge hashed. */
export function storedSubtrees(sql: Sql, tables: TreeTables): SubtreeHash {
  const subtree: SubtreeHash = (start, end) => {
    const n = end - start;
    if ((n & (n - 1)) === 0 && start % n === 0) return storedNode(sql, tables, Math.log2(n), start / n);
    const k = splitPoint(n);
    return nodeHash(subtree(start, start + k), subtree(start + k, end));
  };
  return subtree;
}

export function rootAt(sql: Sql, tables: TreeTables, size: number): Hash {
  return rootHash(size, storedSubtrees(sql, tables));
}

/** The leaf of the event at a position: its index and hash, or undefined when the tree has none there. */
export function leafAt(sql: Sql, tables: TreeTables, position: string): { index: number; hash: Hash } | undefined {
  const row = sql.get<{ idx: number; hash: Buffer }>(
    `SELECT idx, hash FROM ${tables.leaves} WHERE position = ?`,
    pad(position),
  );
  return row ? { index: row.idx, hash: row.hash } : undefined;
}

/** Leaves in index order from `from`, a page at a time (for checking the tree against the log). */
export function leafPage(
  sql: Sql,
  tables: TreeTables,
  from: number,
  limit: number,
): { index: number; position: string; hash: Hash }[] {
  return sql
    .all<{ idx: number; position: string; hash: Buffer }>(
      `SELECT idx, position, hash FROM ${tables.leaves} WHERE idx >= ? ORDER BY idx LIMIT ?`,
      from,
      limit,
    )
    .map((row) => ({ index: row.idx, position: row.position.replace(/^0+(?=\d)/, ""), hash: row.hash }));
}

export function inclusionProof(sql: Sql, tables: TreeTables, index: number, size: number): Hash[] {
  return inclusionPath(index, size, storedSubtrees(sql, tables));
}

export function consistencyProof(sql: Sql, tables: TreeTables, from: number, size: number): Hash[] {
  return consistencyPath(from, size, storedSubtrees(sql, tables));
}
