import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";

/** The repository's root (where package.json is), whether the code runs from sources or from dist/. */
export function repoRoot(from = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

/**
 * Makes a data folder owner-only: the ledger's files hold personal data and signing secrets. Files this process
 * creates from now on (SQLite's database, -wal and -shm files) are owner-only too (umask 077); what an earlier
 * run left readable in the folder is tightened. Symbolic links are left alone, and what this process may not
 * change (a volume owned by another user) is reported, not fatal.
 */
export function ownerOnly(dir: string, warn: (message: string) => void = (m) => process.stderr.write(`${m}\n`)): void {
  process.umask(0o077);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  tighten(dir, warn);
  for (const entry of readdirSync(dir)) tighten(join(dir, entry), warn);
}

function tighten(path: string, warn: (message: string) => void): void {
  // Another service sharing the folder may delete a file (SQLite's journal) between listing and stat: gone is fine.
  const stat = lstatSync(path, { throwIfNoEntry: false });
  if (!stat || (stat.mode & 0o077) === 0) return;
  if (!stat.isFile() && !stat.isDirectory()) return; // symbolic links and the like are left alone
  try {
    chmodSync(path, stat.isDirectory() ? 0o700 : 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    warn(`could not make ${path} owner-only: ${(error as Error).message}`);
  }
}
