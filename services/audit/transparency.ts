/**
 * What auditors ask of the ledger tree, for the API and the command line alike: inclusion proofs (this event is
 * in the log a head signed) and consistency proofs (the later log extends the earlier one), each with the roots
 * it proves against, and refusals naming the argument at fault.
 */
import { InvalidInput, NotFound } from "../../domain/decider";
import type { Sql } from "../../projections/projection";
import {
  consistencyProof,
  inclusionProof,
  leafAt,
  rootAt,
  treeSize,
  type TreeTables,
} from "../../projections/read-models/ledger-tree";

export interface InclusionProofView {
  readonly position: string;
  readonly leafIndex: number;
  readonly treeSize: number;
  /** Hex: SHA-256(0x00 || the event's canonical JSON). */
  readonly leafHash: string;
  /** Hex, from the leaf up (RFC 9162 2.1.3). */
  readonly path: string[];
  readonly rootHash: string;
}

export interface ConsistencyProofView {
  readonly fromSize: number;
  readonly toSize: number;
  readonly fromRoot: string;
  readonly toRoot: string;
  /** Hex (RFC 9162 2.1.4). */
  readonly path: string[];
}

/** The tree size asked for, checked against what the tree holds. */
function checkedSize(sql: Sql, tables: TreeTables, field: string, size: number): number {
  const held = treeSize(sql, tables);
  if (!Number.isSafeInteger(size) || size < 0) throw new InvalidInput(field, "must be a whole number ≥ 0");
  if (size > held) throw new InvalidInput(field, `the ledger tree holds ${held} events, not ${size}`);
  return size;
}

export function proveInclusion(sql: Sql, tables: TreeTables, position: string, size: number): InclusionProofView {
  const treeSizeAsked = checkedSize(sql, tables, "treeSize", size);
  const leaf = leafAt(sql, tables, position);
  if (!leaf) throw new NotFound("event", position);
  if (leaf.index >= treeSizeAsked) {
    throw new InvalidInput("treeSize", `the event at ${position} is leaf ${leaf.index}: not in a tree of ${size}`);
  }
  return {
    position,
    leafIndex: leaf.index,
    treeSize: treeSizeAsked,
    leafHash: leaf.hash.toString("hex"),
    path: inclusionProof(sql, tables, leaf.index, treeSizeAsked).map((hash) => hash.toString("hex")),
    rootHash: rootAt(sql, tables, treeSizeAsked).toString("hex"),
  };
}

export function proveConsistency(sql: Sql, tables: TreeTables, fromSize: number, toSize: number): ConsistencyProofView {
  const to = checkedSize(sql, tables, "toSize", toSize);
  const from = checkedSize(sql, tables, "fromSize", fromSize);
  if (from > to) throw new InvalidInput("fromSize", `a tree of ${to} events cannot extend one of ${from}`);
  return {
    fromSize: from,
    toSize: to,
    fromRoot: rootAt(sql, tables, from).toString("hex"),
    toRoot: rootAt(sql, tables, to).toString("hex"),
    path: consistencyProof(sql, tables, from, to).map((hash) => hash.toString("hex")),
  };
}
