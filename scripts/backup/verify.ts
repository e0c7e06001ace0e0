/**
 * Checks a backup without restoring it: the files against the manifest's sizes and checksums, then the log itself
 * — every stream's hash chain, every signed head's root recomputed from the events and its signature checked,
 * the Merkle root and position of the whole log compared with the manifest — and, given a head an auditor kept,
 * whether the backup's log is the one that head describes.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { openSqliteEventStore } from "../../events/adapters/sqlite/sqlite-event-store";
import { isSignedBy, keyIdOf, type SignedTreeHead } from "../../events/transparency/tree-head";
import { readTreeHeads } from "../../projections/tree-heads";
import { verifyIntegrity, type IntegrityReport } from "../../services/audit/integrity";
import { BACKUP_FILES, fileProblems, readManifest, type BackupManifest } from "./manifest";

export interface BackupCheck {
  readonly ok: boolean;
  /** What is wrong, first problem first; empty when ok. */
  readonly problems: readonly string[];
  readonly manifest: BackupManifest | null;
  readonly eventsChecked: number;
  /** Signed heads whose root was recomputed from the backup's log. */
  readonly headsChecked: number;
  /** Signed heads whose signature was checked with the ledger key (none without a key). */
  readonly signaturesChecked: number;
  /** The auditor's head: the backup's log is the one it describes, or it is newer than the backup. */
  readonly keptHead: "consistent" | "newer-than-backup" | null;
}

export interface CheckOptions {
  /** A head an auditor kept: the backup must hold the very log it was signed over. */
  readonly keptHead?: SignedTreeHead;
  /** The ledger's public (or private) key; default the key in the backup, if it holds one. */
  readonly key?: KeyObject;
  readonly onProgress?: (eventsChecked: number) => void;
}

/** The heads of a backup's tree-heads file (none when it has none). */
export const readHeads = (path: string): SignedTreeHead[] => (existsSync(path) ? readTreeHeads(path) : []);

/**
 * The log of an event-store file read end to end: chains checked, each head's root recomputed at its size (a
 * head beyond the log is a break), the last position and the root of the whole.
 */
export async function inspectLog(
  path: string,
  heads: readonly SignedTreeHead[],
  onProgress?: (eventsChecked: number) => void,
): Promise<IntegrityReport & { readonly position: string }> {
  const store = openSqliteEventStore({ path, readOnly: true });
  try {
    const report = await verifyIntegrity(store, {
      tree: {
        leaves: () => [],
        heads: (afterSize, limit) => heads.filter((head) => head.treeSize > afterSize).slice(0, limit),
      },
      ...(onProgress ? { onProgress } : {}),
    });
    return { ...report, position: await store.headPosition() };
  } finally {
    await store.close();
  }
}

function keyOf(dir: string, manifest: BackupManifest, given: KeyObject | undefined): KeyObject | undefined {
  if (given) return given.type === "private" ? createPublicKey(given) : given;
  if (!manifest.files.some((file) => file.store === "ledgerKey")) return undefined;
  return createPublicKey(createPrivateKey(readFileSync(join(dir, BACKUP_FILES.ledgerKey))));
}

const sameHead = (a: SignedTreeHead | null, b: SignedTreeHead | null) =>
  JSON.stringify(a && { ...a }) === JSON.stringify(b && { ...b });

export async function checkBackup(dir: string, options: CheckOptions = {}): Promise<BackupCheck> {
  const problems: string[] = [];
  let eventsChecked = 0;
  let headsChecked = 0;
  let signaturesChecked = 0;
  let keptHead: BackupCheck["keptHead"] = null;
  const done = (manifest: BackupManifest | null): BackupCheck => ({
    ok: problems.length === 0,
    problems,
    manifest,
    eventsChecked,
    headsChecked,
    signaturesChecked,
    keptHead,
  });
  const manifest = readManifest(dir);
  problems.push(...(await fileProblems(dir, manifest)));
  // A damaged file is not opened: the checksums already say the backup cannot be trusted.
  if (problems.length > 0) return done(manifest);

  const heads = readHeads(join(dir, BACKUP_FILES.treeHeads));
  if (!sameHead(heads.at(-1) ?? null, manifest.treeHead)) {
    problems.push("the newest head in tree-heads.db is not the manifest's");
  }
  const key = keyOf(dir, manifest, options.key);
  if (key && manifest.ledgerKeyId && keyIdOf(key) !== manifest.ledgerKeyId) {
    problems.push(`the key given is ${keyIdOf(key)}; the backup's heads are signed with ${manifest.ledgerKeyId}`);
  }
  if (key) {
    for (const head of heads) {
      if (!isSignedBy(key, head)) {
        problems.push(`the head for ${head.treeSize} events does not carry the ledger key's signature`);
        break;
      }
      signaturesChecked += 1;
    }
  }
  const kept = options.keptHead;
  if (kept && !(key && isSignedBy(key, kept))) {
    problems.push(
      key
        ? "the kept head does not carry the ledger key's signature"
        : "the kept head's signature cannot be checked: give the ledger's public key with --key",
    );
  }
  if (manifest.log.backend !== "sqlite") {
    // EventStoreDB's log is in the server's own backup: only the files and heads here can be checked.
    if (kept) keptHead = null;
    return done(manifest);
  }
  // The kept head joins the backup's own: its root too is recomputed from the log at its size.
  // (A head newer than the backup cannot be: the backup ends before the events it covers.)
  const sameSize = kept && heads.find((head) => head.treeSize === kept.treeSize);
  const joins = kept && !sameSize && kept.treeSize <= (manifest.log.events ?? 0);
  const checkedHeads = joins ? [...heads, kept].sort((a, b) => a.treeSize - b.treeSize) : heads;
  const log = await inspectLog(join(dir, BACKUP_FILES.eventStore), checkedHeads, options.onProgress);
  eventsChecked = log.eventsChecked;
  headsChecked = log.headsChecked;
  if (!log.ok) {
    const broken = log.firstBreak!;
    problems.push(`the log does not verify at position ${broken.position} (${broken.streamId}): ${broken.detail}`);
  }
  if (log.eventsChecked !== manifest.log.events || log.position !== manifest.log.position) {
    problems.push(
      `the log holds ${log.eventsChecked} events up to position ${log.position}; the manifest says ${manifest.log.events} up to ${manifest.log.position}`,
    );
  }
  if (log.ok && log.rootHash !== manifest.log.rootHash) {
    problems.push(`the log's Merkle root is ${log.rootHash}; the manifest says ${manifest.log.rootHash}`);
  }
  if (kept) {
    if (kept.treeSize > log.eventsChecked) keptHead = "newer-than-backup";
    else if (sameSize && sameSize.rootHash !== kept.rootHash) {
      problems.push(`the kept head for ${kept.treeSize} events has another root than the backup's head of that size`);
    } else if (log.ok) keptHead = "consistent";
  }
  return done(manifest);
}
