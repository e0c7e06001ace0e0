/**
 * The server's RFC 9162 tree and proofs, checked against Certificate Transparency's published test vectors and
 * against the auditor's verifier (scripts/auditor/verify-ledger.ts), written separately from the RFC.
 */
import { generateKeyPairSync } from "node:crypto";
import {
  CompactRange,
  consistencyPath,
  inMemorySubtrees,
  inclusionPath,
  leafHash,
  rootHash,
} from "../../events/transparency/merkle";
import { signTreeHead } from "../../events/transparency/tree-head";
import {
  hashLeaf,
  headProblem,
  merkleRoot,
  verifyConsistency,
  verifyInclusion,
} from "../../scripts/auditor/verify-ledger";

const hex = (b: Buffer) => b.toString("hex");
const unhex = (h: string) => Buffer.from(h, "hex");

// RFC 6962's reference leaves and roots, as Certificate Transparency's and Trillian's test suites publish them.
const CT_LEAVES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]
  .map(unhex)
  .map((input) => leafHash(input));
const CT_ROOTS = [
  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];
// 1-based leaf, tree size, path.
const CT_INCLUSION: [number, number, string[]][] = [
  [
    1,
    8,
    [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  ],
  [
    6,
    8,
    [
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  ],
  [3, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]],
  [
    2,
    5,
    [
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
  ],
];
const CT_CONSISTENCY: [number, number, string[]][] = [
  [
    1,
    8,
    [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  ],
  [
    6,
    8,
    [
      "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  ],
  [
    2,
    5,
    [
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
  ],
];

describe("the ledger tree (RFC 9162)", () => {
  it("has RFC 6962's reference roots for every size 0 to 8, computed three ways", () => {
    const range = new CompactRange();
    for (let n = 0; n <= 8; n += 1) {
      expect(hex(rootHash(n, inMemorySubtrees(CT_LEAVES)))).toBe(CT_ROOTS[n]);
      expect(hex(range.root())).toBe(CT_ROOTS[n]);
      expect(hex(merkleRoot(CT_LEAVES.slice(0, n)))).toBe(CT_ROOTS[n]);
      if (n < 8) range.append(CT_LEAVES[n]!);
    }
  });

  it("gives the reference inclusion and consistency proofs", () => {
    const subtree = inMemorySubtrees(CT_LEAVES);
    for (const [leaf, size, path] of CT_INCLUSION) {
      expect(inclusionPath(leaf - 1, size, subtree).map(hex)).toEqual(path);
    }
    for (const [from, size, path] of CT_CONSISTENCY) {
      expect(consistencyPath(from, size, subtree).map(hex)).toEqual(path);
    }
  });

  // Trees of every shape up to 40 leaves: every leaf in every size, every pair of sizes.
  const leaves = Array.from({ length: 40 }, (_, i) => hashLeaf(Buffer.from(`event ${i}`)));
  const subtree = inMemorySubtrees(leaves);
  const roots = Array.from({ length: 41 }, (_, n) => rootHash(n, subtree));

  it("gives inclusion proofs the auditor's verifier accepts, and no altered one", () => {
    for (let size = 1; size <= 40; size += 1) {
      for (let index = 0; index < size; index += 1) {
        const path = inclusionPath(index, size, subtree);
        expect(verifyInclusion(index, size, leaves[index]!, path, roots[size]!)).toBe(true);
        // Another leaf, index or tree height; a path one hash short, one too long, or with a bit flipped.
        expect(verifyInclusion(index, size, leaves[(index + 1) % 40]!, path, roots[size]!)).toBe(false);
        if (size > 1) expect(verifyInclusion((index + 1) % size, size, leaves[index]!, path, roots[size]!)).toBe(false);
        expect(verifyInclusion(index, size * 2, leaves[index]!, path, roots[size]!)).toBe(false);
        expect(verifyInclusion(index, size, leaves[index]!, [...path, roots[size]!], roots[size]!)).toBe(false);
        if (path.length > 0) {
          expect(verifyInclusion(index, size, leaves[index]!, path.slice(1), roots[size]!)).toBe(false);
          const flipped = path.map((h, i) =>
            i === path.length - 1 ? Buffer.from(h.map((b, j) => (j === 0 ? b ^ 8 : b))) : h,
          );
          expect(verifyInclusion(index, size, leaves[index]!, flipped, roots[size]!)).toBe(false);
        }
      }
    }
  });

  it("gives consistency proofs the auditor's verifier accepts, and no altered one", () => {
    for (let size = 1; size <= 40; size += 1) {
      for (let from = 0; from <= size; from += 1) {
        const path = consistencyPath(from, size, subtree);
        expect(verifyConsistency(from, size, roots[from]!, roots[size]!, path)).toBe(true);
        if (from === 0 || from === size) continue;
        expect(verifyConsistency(from, size, roots[from - 1]!, roots[size]!, path)).toBe(false);
        expect(verifyConsistency(from, size, roots[from]!, roots[size - 1]!, path)).toBe(false);
        expect(verifyConsistency(from, size, roots[size]!, roots[from]!, path)).toBe(false);
        expect(verifyConsistency(from, size, roots[from]!, roots[size]!, path.slice(0, -1))).toBe(false);
        expect(verifyConsistency(from, size, roots[from]!, roots[size]!, [...path, roots[from]!])).toBe(false);
        expect(verifyConsistency(from, size, roots[from]!, roots[size]!, [])).toBe(false);
        const flipped = path.map((h, i) => (i === 0 ? Buffer.from(h.map((b, j) => (j === 0 ? b ^ 16 : b))) : h));
        expect(verifyConsistency(from, size, roots[from]!, roots[size]!, flipped)).toBe(false);
      }
    }
  });

  it("a tree that rewrote an early leaf cannot prove it extends the tree before", () => {
    const rewritten = [...leaves];
    rewritten[3] = hashLeaf(Buffer.from("event 3, rewritten"));
    const forged = inMemorySubtrees(rewritten);
    for (const from of [4, 5, 8, 13]) {
      expect(verifyConsistency(from, 40, roots[from]!, rootHash(40, forged), consistencyPath(from, 40, forged))).toBe(
        false,
      );
    }
  });
});

describe("signed tree heads", () => {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const head = signTreeHead(privateKey, { treeSize: 8, timestamp: 1_780_000_000_000, rootHash: CT_ROOTS[8]! });

  it("verify with the ledger's public key", () => {
    expect(headProblem(publicKey, head)).toBeNull();
  });

  it("signed with another key are refused", () => {
    const other = generateKeyPairSync("ed25519");
    const forged = signTreeHead(other.privateKey, { treeSize: 8, timestamp: head.timestamp, rootHash: head.rootHash });
    expect(headProblem(publicKey, forged)).toMatch(/names key/);
    expect(headProblem(publicKey, { ...forged, keyId: head.keyId })).toMatch(/signature does not verify/);
  });

  it("altered in size, time or root are refused", () => {
    expect(headProblem(publicKey, { ...head, treeSize: 9 })).toMatch(/signature/);
    expect(headProblem(publicKey, { ...head, timestamp: head.timestamp + 1 })).toMatch(/signature/);
    expect(headProblem(publicKey, { ...head, rootHash: CT_ROOTS[7]! })).toMatch(/signature/);
  });
});
