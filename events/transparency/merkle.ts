/**
 * The Merkle tree over the whole log, as RFC 9162 (Certificate Transparency 2.0, section 2.1) defines it: leaves
 * in log order, leaf hash = SHA-256(0x00 || leaf input), node hash = SHA-256(0x01 || left || right), the root of
 * n leaves split at the largest power of two below n. A leaf's input is the stored event's canonical JSON, so
 * the tree hashes exactly what the store holds and an export line can be checked anywhere.
 *
 * Proofs are built from a `subtree(start, end)` accessor, so the same code serves the stored tree (whose
 * complete subtrees are kept) and a tree held in memory.
 */
import { createHash, hash } from "node:crypto";
import type { RecordedEvent } from "../envelope";
import { canonicalJson } from "../hash-chain";

export type Hash = Buffer;

/** The leaf input of an event: its canonical JSON, every stored field, the position and hash chain included. */
export function leafInput(event: RecordedEvent): string {
  const { position, id, type, version, streamId, revision, recordedAt, data, metadata } = event;
  return canonicalJson({ position, id, type, version, streamId, revision, recordedAt, data, metadata });
}

// One-shot digests (crypto.hash): a Hash object per leaf and per node cost the tree about 2 µs an event.
export function leafHash(input: string | Uint8Array): Hash {
  // A string's UTF-8 after "\0" is the 0x00 byte then the input's UTF-8: the same bytes, no Buffer built.
  return typeof input === "string"
    ? hash("sha256", `\0${input}`, "buffer")
    : hash("sha256", Buffer.concat([LEAF_PREFIX, input]), "buffer");
}

export function nodeHash(left: Hash, right: Hash): Hash {
  return hash("sha256", Buffer.concat([NODE_PREFIX, left, right], 65), "buffer");
}

const LEAF_PREFIX = Buffer.from([0]);
const NODE_PREFIX = Buffer.from([1]);

/** The root of the empty tree: SHA-256 of nothing. */
export const EMPTY_ROOT: Hash = createHash("sha256").digest();

/** The largest power of two strictly below n (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Hash of the leaves [start, end): a stored tree answers complete subtrees from its nodes. */
export type SubtreeHash = (start: number, end: number) => Hash;

/** MTH(D[0:n]) from a subtree accessor; the empty tree's root for n = 0. */
export function rootHash(size: number, subtree: SubtreeHash): Hash {
  return size === 0 ? EMPTY_ROOT : subtree(0, size);
}

/** RFC 9162 2.1.3.1, PATH(m, D[n]): the audit path of leaf `index` in the tree of the first `size` leaves. */
export function inclusionPath(index: number, size: number, subtree: SubtreeHash): Hash[] {
  if (!(index >= 0 && index < size)) throw new RangeError(`leaf ${index} is not in a tree of ${size}`);
  const path: Hash[] = [];
  // PATH recurses into the half holding the leaf and appends the other half's hash on the way back up.
  const walk = (m: number, start: number, end: number) => {
    const n = end - start;
    if (n === 1) return;
    const k = splitPoint(n);
    if (m < k) {
      walk(m, start, start + k);
      path.push(subtree(start + k, end));
    } else {
      walk(m - k, start + k, end);
      path.push(subtree(start, start + k));
    }
  };
  walk(index, 0, size);
  return path;
}

/** RFC 9162 2.1.4.1, PROOF(m, D[n]): the proof that the tree of `size` leaves extends that of `from` leaves. */
export function consistencyPath(from: number, size: number, subtree: SubtreeHash): Hash[] {
  if (!(from >= 0 && from <= size)) throw new RangeError(`a tree of ${size} cannot extend one of ${from}`);
  if (from === 0 || from === size) return [];
  const path: Hash[] = [];
  const walk = (m: number, start: number, end: number, whole: boolean) => {
    const n = end - start;
    if (m === n) {
      if (!whole) path.push(subtree(start, end));
      return;
    }
    const k = splitPoint(n);
    if (m <= k) {
      walk(m, start, start + k, whole);
      path.push(subtree(start + k, end));
    } else {
      walk(m - k, start + k, end, false);
      path.push(subtree(start, start + k));
    }
  };
  walk(from, 0, size, true);
  return path;
}

/** A subtree accessor over leaf hashes held in memory (for tests, rebuild checks and small trees). */
export function inMemorySubtrees(leaves: readonly Hash[]): SubtreeHash {
  const subtree: SubtreeHash = (start, end) => {
    if (end - start === 1) return leaves[start]!;
    const k = splitPoint(end - start);
    return nodeHash(subtree(start, start + k), subtree(start + k, end));
  };
  return subtree;
}

/**
 * The root of a growing tree in O(log n) memory: the hashes of the complete subtrees the leaves so far split into,
 * largest first. For checking a log, read once in order, against signed heads.
 */
export class CompactRange {
  private readonly subtrees: { size: number; hash: Hash }[] = [];
  size = 0;

  append(leaf: Hash): void {
    let node = { size: 1, hash: leaf };
    // Two complete subtrees of one size side by side make one of twice the size.
    while (this.subtrees.length > 0 && this.subtrees[this.subtrees.length - 1]!.size === node.size) {
      const left = this.subtrees.pop()!;
      node = { size: left.size * 2, hash: nodeHash(left.hash, node.hash) };
    }
    this.subtrees.push(node);
    this.size += 1;
  }

  /** MTH of the leaves so far: the ragged right edge folded from the right, as RFC 9162 splits it. */
  root(): Hash {
    if (this.subtrees.length === 0) return EMPTY_ROOT;
    let hash = this.subtrees[this.subtrees.length - 1]!.hash;
    for (let i = this.subtrees.length - 2; i >= 0; i -= 1) hash = nodeHash(this.subtrees[i]!.hash, hash);
    return hash;
  }
}
