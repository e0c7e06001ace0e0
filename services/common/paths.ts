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
  tighten(dir, 0o700, warn);
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    const stat = lstatSync(path);
    if (stat.isFile()) tighten(path, 0o600, warn);
    else if (stat.isDirectory()) tighten(path, 0o700, warn);
  }
}

function tighten(path: string, mode: number, warn: (message: string) => void): void {
  const stat = lstatSync(path);
  if (stat.isSymbolicLink() || (stat.mode & 0o077) === 0) return;
  try {
    chmodSync(path, mode);
  } catch (error) {
    warn(`could not make ${path} owner-only: ${(error as Error).message}`);
  }
}
