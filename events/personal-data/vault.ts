/**
 * Where the ledger keeps what it must be able to forget: one key per person, and the parts of a person's record
 * that need not travel in the log (how to reach them). Values about a person that must travel in an event are
 * sealed with that person's key (AES-256-GCM, the person's id as associated data); forgetting the person destroys
 * the key, so every copy of the ciphertext — in the log, its replicas, exports, backups — becomes unreadable
 * while the log's bytes, and so its hash chains and Merkle tree, stay as they were (crypto-shredding).
 *
 * The event store never holds a key or a plaintext personal value: the vault is a store of its own.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";

/** `sealed:v1:<personId>:<base64 of iv ‖ tag ‖ ciphertext>`: what an event carries in place of the value. */
export type Sealed = `sealed:v1:${string}`;

const PREFIX = "sealed:v1:";

export function isSealed(value: unknown): value is Sealed {
  return typeof value === "string" && value.startsWith(PREFIX);
}

/** Everyone a value names through sealed values (an identity, a mention), found in any string at any depth. */
export function peopleSealedIn(value: unknown): Set<string> {
  return new Set([...JSON.stringify(value ?? null).matchAll(/sealed:v1:([^:"]+):/g)].map((match) => match[1]!));
}

/** The person a sealed value belongs to. */
export function sealedFor(sealed: Sealed): string {
  const rest = sealed.slice(PREFIX.length);
  return rest.slice(0, rest.lastIndexOf(":"));
}

/** What opening a sealed value gives: the value, or the fact that its person was forgotten. */
export type Opened<T> = { readonly erased: false; readonly value: T } | { readonly erased: true };

/**
 * An erasure, as the erasure register keeps it: who was forgotten, when and why. No personal data: it outlives
 * every backup so that a restore can forget again whoever a restored copy still knows.
 */
export interface Erasure {
  readonly personId: string;
  readonly at: string;
  /** The PersonForgotten event's basis (events/catalogue/person.ts: request or retention). */
  readonly basis: string;
}

/** The parts of a person's record kept outside the log. */
export interface PersonContact {
  readonly email: string | null;
}

export interface PersonalDataVault {
  /** Seals a value with the person's key, making the key on first use. Refused once the person is forgotten. */
  seal(personId: string, value: unknown): Promise<Sealed>;
  open<T = unknown>(sealed: Sealed): Promise<Opened<T>>;
  saveContact(personId: string, contact: PersonContact): Promise<void>;
  contact(personId: string): Promise<PersonContact | null>;
  /**
   * Records the erasure in the erasure register, then destroys the person's key and contact record, so the
   * person cannot be re-created under the id. The bytes are overwritten, not just unlinked.
   */
  forget(erasure: Erasure): Promise<void>;
  forgottenAt(personId: string): Promise<string | null>;
  /** Every erasure the register holds, oldest first. */
  erasures(): Promise<Erasure[]>;
  close(): Promise<void>;
}

/** A seal asked for a person the vault has forgotten. */
export class PersonForgottenError extends Error {
  readonly code = "PERSON_FORGOTTEN";
  constructor(readonly personId: string) {
    super(`person ${personId} has been forgotten: nothing more can be recorded under this id`);
  }
}

const ALGORITHM = "aes-256-gcm";

export function newKey(): Buffer {
  return randomBytes(32);
}

/**
 * Deterministic: the IV is synthetic, an HMAC of the person and the value under a key derived from the
 * person's (as SIV modes make it). The same value seals the same way, so a retried command carries the same
 * ciphertext and its idempotency check holds; two different values never share an IV under one key.
 */
export function sealWith(key: Buffer, personId: string, value: unknown): Sealed {
  const plaintext = JSON.stringify(value);
  const ivKey = createHmac("sha256", key).update("passerelle seal iv").digest();
  const iv = createHmac("sha256", ivKey).update(personId).update("\0").update(plaintext).digest().subarray(0, 12);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  cipher.setAAD(Buffer.from(personId, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return `${PREFIX}${personId}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64")}`;
}

export function openWith<T>(key: Buffer, sealed: Sealed): T {
  const personId = sealedFor(sealed);
  const bytes = Buffer.from(sealed.slice(PREFIX.length + personId.length + 1), "base64");
  const decipher = createDecipheriv(ALGORITHM, key, bytes.subarray(0, 12));
  decipher.setAAD(Buffer.from(personId, "utf8"));
  decipher.setAuthTag(bytes.subarray(12, 28));
  return JSON.parse(Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString("utf8")) as T;
}
