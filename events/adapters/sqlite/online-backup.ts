/**
 * A consistent copy of a live SQLite database, through SQLite's online backup API (never a file copy, which can
 * tear a WAL database). The source connection holds one read transaction for the whole copy: in WAL mode the
 * writers go on, and the copy is the snapshot that transaction sees. Without it SQLite restarts a backup every
 * time another connection commits between two steps, and under steady appends a large copy never finishes.
 */
import Database from "better-sqlite3";

export interface BackupProgress {
  readonly totalPages: number;
  readonly remainingPages: number;
}

/**
 * Copies `source` to `destination` (a file that must not exist yet) as one snapshot; `inSnapshot` runs inside
 * that snapshot, before the copy, so what it reads (the log's last position) is exactly what the copy holds.
 * The copy is left in rollback-journal mode: one self-contained file, which read-only checks leave untouched.
 */
export async function backupSqlite<T>(
  source: string,
  destination: string,
  inSnapshot: (db: Database.Database) => T,
  onProgress?: (progress: BackupProgress) => void,
): Promise<T> {
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    db.exec("BEGIN");
    // A deferred transaction takes its snapshot at its first read.
    db.prepare("SELECT count(*) FROM sqlite_schema").get();
    const seen = inSnapshot(db);
    await db.backup(destination, {
      progress: (progress) => {
        onProgress?.(progress);
        return 1024;
      },
    });
    db.exec("COMMIT");
    const copy = new Database(destination, { fileMustExist: true });
    try {
      copy.pragma("journal_mode = DELETE");
    } finally {
      copy.close();
    }
    return seen;
  } finally {
    if (db.inTransaction) db.exec("ROLLBACK");
    db.close();
  }
}
