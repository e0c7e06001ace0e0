/**
 * What a backup holds, as its manifest says: the log position and Merkle root it ends at, the newest signed tree
 * head it carries, which program versions wrote it, and each file's size and SHA-256. Everything in it is checked
 * against the files before a restore; read models are not in a backup (they are rebuilt from the log).
 */
import { createHash } from "node:crypto";
import { closeSync, createReadStream, existsSync, fsyncSync, openSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { SignedTreeHead } from "../../events/transparency/tree-head";
import { repoRoot } from "../../services/common/paths";

export const BACKUP_FORMAT = "passerelle-backup/1";
export const MANIFEST = "manifest.json";

/** Each store's file in a backup, and in the data directory a restore lays out. */
export const BACKUP_FILES = {
  eventStore: "events.db",
  treeHeads: "tree-heads.db",
  vault: "personal.db",
  erasureRegister: "erasures.db",
  ledgerKey: "ledger-key.pem",
} as const;

export type StoreName = keyof typeof BACKUP_FILES;

/** With EventStoreDB, the server's own backup files, under this folder of the backup. */
export const EVENTSTOREDB_FOLDER = "eventstoredb";

export interface BackupFile {
  readonly store: StoreName | "eventStoreDb";
  readonly name: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface BackupManifest {
  readonly format: typeof BACKUP_FORMAT;
  readonly takenAt: string;
  readonly writtenBy: { readonly passerelle: string; readonly node: string; readonly sqlite: string };
  readonly log: {
    /** `sqlite`: the log is in the backup. `eventstoredb`: it is in the server's own backup, taken alongside. */
    readonly backend: "sqlite" | "eventstoredb";
    /** The last event's position the backup holds (for EventStoreDB: that its own backup holds at least). */
    readonly position: string;
    /** Events in the backup's log, and their Merkle root (hex): null when the log is EventStoreDB's. */
    readonly events: number | null;
    readonly rootHash: string | null;
  };
  /** The newest signed tree head in the backup, if any was signed. */
  readonly treeHead: SignedTreeHead | null;
  /** The id of the key the heads are signed with, whether or not the key itself is in the backup. */
  readonly ledgerKeyId: string | null;
  readonly files: readonly BackupFile[];
}

/** A backup that cannot be used: damaged, partial, or not a backup; the message says what and where. */
export class BackupRefused extends Error {
  readonly code = "BACKUP_REFUSED";
}

export function writtenBy(): BackupManifest["writtenBy"] {
  const pkg = JSON.parse(readFileSync(join(repoRoot(), "package.json"), "utf8")) as { version: string };
  const db = new Database(":memory:");
  const sqlite = db.prepare<[], { v: string }>("SELECT sqlite_version() AS v").get()!.v;
  db.close();
  return { passerelle: pkg.version, node: process.version, sqlite };
}

/** Flushes a file (or a directory's entries) to the disk: a backup is durable before it is called one. */
export function fsyncPath(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export async function sha256Of(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

export async function describeFile(
  dir: string,
  store: BackupFile["store"],
  name: string = BACKUP_FILES[store as StoreName],
): Promise<BackupFile> {
  const path = join(dir, name);
  return { store, name, bytes: statSync(path).size, sha256: await sha256Of(path) };
}

/** The manifest, checked for shape: a missing or unreadable one is a backup that never finished or was damaged. */
export function readManifest(dir: string): BackupManifest {
  const path = join(dir, MANIFEST);
  if (!existsSync(path)) {
    throw new BackupRefused(`${dir} has no ${MANIFEST}: not a backup, or one that never finished`);
  }
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(readFileSync(path, "utf8")) as BackupManifest;
  } catch (error) {
    throw new BackupRefused(`${path} is damaged: ${(error as Error).message}`);
  }
  if (manifest?.format !== BACKUP_FORMAT) {
    throw new BackupRefused(`${path} is not a ${BACKUP_FORMAT} manifest (format ${JSON.stringify(manifest?.format)})`);
  }
  const shaped =
    Array.isArray(manifest.files) &&
    (manifest.files as readonly BackupFile[]).every(
      (file) =>
        (file?.store === "eventStoreDb"
          ? file.name.startsWith(`${EVENTSTOREDB_FOLDER}/`) && !file.name.split("/").includes("..")
          : Object.hasOwn(BACKUP_FILES, file?.store) && file.name === BACKUP_FILES[file.store]) &&
        Number.isSafeInteger(file.bytes) &&
        /^[0-9a-f]{64}$/.test(file.sha256),
    ) &&
    typeof manifest.log?.position === "string" &&
    (manifest.log.backend === "eventstoredb" || manifest.files.some((file) => file.store === "eventStore"));
  if (!shaped) throw new BackupRefused(`${path} is damaged: its file list or log position is not as written`);
  return manifest;
}

/** Every file the manifest lists, there, of its size and checksum: the problems, in the manifest's order. */
export async function fileProblems(dir: string, manifest: BackupManifest): Promise<string[]> {
  const problems: string[] = [];
  for (const file of manifest.files) {
    const path = join(dir, file.name);
    if (!existsSync(path)) {
      problems.push(`${file.name} is missing: the backup is partial`);
      continue;
    }
    const bytes = statSync(path).size;
    if (bytes !== file.bytes) {
      problems.push(`${file.name} holds ${bytes} bytes where the manifest says ${file.bytes}: truncated or altered`);
      continue;
    }
    if ((await sha256Of(path)) !== file.sha256) {
      problems.push(`${file.name}: its SHA-256 is not the manifest's: the file was damaged or altered`);
    }
  }
  return problems;
}
