/**
 * One service's read models: a SQLite file of its own, disposable (delete it and the runner rebuilds it from
 * the log), so it trades fsync for speed (`synchronous = NORMAL` in WAL: a crash of the process loses nothing
 * committed; a power loss may lose the last commits, which the rebuild from the checkpoint redoes).
 */
import Database from "better-sqlite3";
import type { Sql } from "./projection";

export interface ProjectionRecord {
  readonly name: string;
  readonly version: number;
  readonly checkpoint: string;
  readonly status: "building" | "live" | "failed";
  readonly error: string | null;
}

/** SQLite's default WAL checkpoint threshold, in pages, and the one used while read models catch up. */
const CHECKPOINT_PAGES = 1000;
const BULK_CHECKPOINT_PAGES = 10_000;

export class ReadModelDatabase implements Sql {
  readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly serving = new Map<string, number>();
  /** The projection versions in this file catching up with the log (see `loading`). */
  private readonly catchingUp = new Set<string>();

  constructor(readonly path: string) {
    this.db = new Database(path);
    this.db.pragma("busy_timeout = 5000");
    if (path !== ":memory:") this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    // 4 MiB of page cache instead of better-sqlite3's 16: a service holds several files, and on a million-event
    // replay the smaller cache took the audit service's peak memory down by about 40 MiB at the same speed.
    this.db.pragma("cache_size = -4000");
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS projection_versions (
        name       TEXT    NOT NULL,
        version    INTEGER NOT NULL,
        checkpoint TEXT    NOT NULL DEFAULT '0',
        status     TEXT    NOT NULL DEFAULT 'building',
        error      TEXT,
        PRIMARY KEY (name, version)
      );
      CREATE TABLE IF NOT EXISTS projection_serving (
        name    TEXT PRIMARY KEY,
        version INTEGER NOT NULL
      );`);
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  run(sql: string, ...params: unknown[]): { changes: number } {
    return this.statement(sql).run(...params);
  }

  get<Row>(sql: string, ...params: unknown[]): Row | undefined {
    return this.statement(sql).get(...params) as Row | undefined;
  }

  all<Row>(sql: string, ...params: unknown[]): Row[] {
    return this.statement(sql).all(...params) as Row[];
  }

  /** Runs `fn` in one transaction: all its changes or none. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }

  projection(name: string, version: number): ProjectionRecord | undefined {
    return this.get<ProjectionRecord>(
      "SELECT name, version, checkpoint, status, error FROM projection_versions WHERE name = ? AND version = ?",
      name,
      version,
    );
  }

  projections(name: string): ProjectionRecord[] {
    return this.all<ProjectionRecord>(
      "SELECT name, version, checkpoint, status, error FROM projection_versions WHERE name = ? ORDER BY version",
      name,
    );
  }

  /**
   * Which version of a projection queries read. Asked by every resolver, so kept in memory: only this file's
   * runner (or the rebuild CLI, with the service stopped) changes it, through `serve`.
   */
  servingVersion(name: string): number | undefined {
    if (!this.serving.has(name)) {
      const row = this.get<{ version: number }>("SELECT version FROM projection_serving WHERE name = ?", name);
      if (row === undefined) return undefined;
      this.serving.set(name, row.version);
    }
    return this.serving.get(name);
  }

  serve(name: string, version: number): void {
    this.run("INSERT OR REPLACE INTO projection_serving (name, version) VALUES (?, ?)", name, version);
    this.serving.set(name, version);
  }

  /**
   * Marks a projection version as catching up (or done). While any is, the WAL is checkpointed every 10,000
   * pages instead of SQLite's 1,000: each checkpoint waits on two fsyncs, and on a million-event rebuild the
   * default's took a tenth of the time. Once all are live, small checkpoints again keep each one short, as
   * the event loop waits for it.
   */
  loading(label: string, loading: boolean): void {
    const before = this.catchingUp.size;
    if (loading) this.catchingUp.add(label);
    else this.catchingUp.delete(label);
    if ((before === 0) !== (this.catchingUp.size === 0)) {
      this.db.pragma(`wal_autocheckpoint = ${this.catchingUp.size > 0 ? BULK_CHECKPOINT_PAGES : CHECKPOINT_PAGES}`);
    }
  }

  /** Names of the tables a projection version owns, as SQLite lists them. */
  tablesOfVersion(name: string, version: number): string[] {
    const prefix = `${name}_v${version}_`;
    return this.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
      .map((row) => row.name)
      .filter((table) => table.startsWith(prefix));
  }

  close(): void {
    this.db.close();
  }
}
