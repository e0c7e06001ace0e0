/**
 * Signed tree heads: the tree's size and root at a moment, signed with the ledger's Ed25519 key. The signed bytes
 * are RFC 6962's TreeHeadSignature (section 3.5): version v1 (0), signature type tree_hash (1), the timestamp in
 * milliseconds and the tree size as big-endian uint64, then the 32-byte root. The key id is SHA-256 of the
 * public key's DER SubjectPublicKeyInfo, as RFC 6962 names a log.
 */
import { createHash, createPublicKey, sign, verify, type KeyObject } from "node:crypto";

export interface TreeHead {
  readonly treeSize: number;
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
  /** Hex. */
  readonly rootHash: string;
}

export interface SignedTreeHead extends TreeHead {
  /** Hex SHA-256 of the signing key's public DER. */
  readonly keyId: string;
  /** Base64 Ed25519 signature of `treeHeadBytes`. */
  readonly signature: string;
}

export function treeHeadBytes(head: TreeHead): Buffer {
  const root = Buffer.from(head.rootHash, "hex");
  if (root.length !== 32) throw new RangeError("a root hash is 32 bytes");
  const bytes = Buffer.alloc(2 + 8 + 8 + 32);
  bytes.writeUInt8(0, 0);
  bytes.writeUInt8(1, 1);
  bytes.writeBigUInt64BE(BigInt(head.timestamp), 2);
  bytes.writeBigUInt64BE(BigInt(head.treeSize), 10);
  root.copy(bytes, 18);
  return bytes;
}

export function keyIdOf(key: KeyObject): string {
  const publicKey = key.type === "private" ? createPublicKey(key) : key;
  return createHash("sha256")
    .update(publicKey.export({ type: "spki", format: "der" }))
    .digest("hex");
}

export function signTreeHead(privateKey: KeyObject, head: TreeHead): SignedTreeHead {
  if (privateKey.asymmetricKeyType !== "ed25519") throw new TypeError("the ledger signs with an Ed25519 key");
  return {
    ...head,
    keyId: keyIdOf(privateKey),
    signature: sign(null, treeHeadBytes(head), privateKey).toString("base64"),
  };
}

/** Whether the head was signed by this key (public or private) over exactly its size, time and root. */
export function isSignedBy(key: KeyObject, head: SignedTreeHead): boolean {
  const publicKey = key.type === "private" ? createPublicKey(key) : key;
  if (head.keyId !== keyIdOf(publicKey) || !/^[0-9a-f]{64}$/.test(head.rootHash)) return false;
  return verify(null, treeHeadBytes(head), publicKey, Buffer.from(head.signature, "base64"));
}
