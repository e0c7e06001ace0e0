import Database from "better-sqlite3";
import type { AppendResult, ExpectedRevision, RecordedEvent } from "../../envelope";
import { POSITION_PATTERN, START_POSITION } from "../../envelope";
import { InvalidStoreRequestError, StoreFullError } from "../../errors";
import { ChainedEventStore, type ChainedEventStoreOptions } from "../../chained-event-store";
import type {
  EventFilter,
  EventStore,
  EventStoreBackend,
  EventSubscription,
  PreparedEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StreamHead,
  SubscribeOptions,
} from "../../port";
import { checkExpectedRevision } from "../../port";
import { Wakeup } from "./wakeup";

export type Durability = "full" | "normal" | "off";

export interface SqliteEventStoreOptions extends ChainedEventStoreOptions {
  /** A file path, or `:memory:` for fast tests (one process only). */
  readonly path: string;
  /**
   * SQLite `synchronous` setting. Default `full`: an acknowledged append survives power loss. `normal` in WAL
   * mode survives a crash of the process but may lose the last commits on power loss.
   */
  readonly durability?: Durability;
  /** How long a writer waits for another process's lock before failing. Default 5000 ms. */
  readonly busyTimeoutMs?: number;
  /**
   * How often live subscriptions look for events written by other processes (one head read per interval for
   * all of them). Default 10 ms: what an analyst's feed waits, at most, for another service's append.
   */
  readonly pollIntervalMs?: number;
  /** Rows per read query. Default 500. */
  readonly pageSize?: number;
  /**
   * Most bytes the store file may hold (SQLite's max_page_count); appends beyond it are refused with
   * StoreFullError, as on a full disk. Default: no limit but the disk's.
   */
  readonly maxBytes?: number;
  /** Opens an existing file for reading only (a backup being checked): nothing, not even a pragma, is written. */
  readonly readOnly?: boolean;
}

/**
 * An event as its read statements return it: an array in COLUMNS' order (better-sqlite3's raw mode), not an
 * object per row, which took about a third off reading a million events.
 */
type EventRow = readonly [
  position: number,
  eventId: string,
  streamId: string,
  revision: number,
  type: string,
  version: number,
  recordedAt: string,
  data: string,
  metadata: string,
  hash: string,
];
const POSITION = 0;
const REVISION = 3;

interface PendingAppend {
  readonly streamId: string;
  readonly expectedRevision: ExpectedRevision;
  readonly prepare: (head: StreamHead | null) => readonly PreparedEvent[];
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position    INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id    TEXT    NOT NULL UNIQUE,
  stream_id   TEXT    NOT NULL,
  revision    INTEGER NOT NULL,
  type        TEXT    NOT NULL,
  version     INTEGER NOT NULL,
  recorded_at TEXT    NOT NULL,
  data        TEXT    NOT NULL,
  metadata    TEXT    NOT NULL,
  hash        TEXT    NOT NULL,
  UNIQUE (stream_id, revision)
);`;

const COLUMNS = "position, event_id, stream_id, revision, type, version, recorded_at, data, metadata, hash";

/** Opens (creating if needed) an embedded SQLite event store. */
export function openSqliteEventStore(options: SqliteEventStoreOptions): EventStore {
  return new ChainedEventStore(new SqliteBackend(options), options);
}

/**
 * The embedded store: one SQLite file in WAL mode, global positions from an autoincrement key, a unique
 * (stream, revision) constraint as the last guard against a lost update.
 *
 * Group commit: appends that arrive while a transaction is being prepared or committed wait for the next one,
 * and each keeps its own expected-revision check inside a savepoint, so one append's conflict never fails its
 * neighbours. A promise resolves only after the COMMIT that made its events durable.
 */
export class SqliteBackend implements EventStoreBackend {
  readonly backend = "sqlite";
  private readonly db: Database.Database;
  private readonly pageSize: number;
  private readonly wakeup: Wakeup;
  private pending: PendingAppend[] = [];
  private flushScheduled = false;
  private closed = false;
  private readonly statements: ReturnType<SqliteBackend["prepareStatements"]>;
  private readonly filteredReads = new Map<string, Database.Statement<unknown[], EventRow>>();
  private readonly heads = new StreamHeadCache();

  constructor(options: SqliteEventStoreOptions) {
    this.db = new Database(options.path, options.readOnly ? { readonly: true, fileMustExist: true } : {});
    this.pageSize = options.pageSize ?? 500;
    this.wakeup = new Wakeup(() => this.currentHead(), options.pollIntervalMs ?? 10);
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    // 2 MiB of page cache, SQLite's own default (better-sqlite3 builds it with 16): reads are scans in position
    // order and appends touch the right edge of each index, which the kernel's page cache serves as well.
    this.db.pragma("cache_size = -2000");
    if (!options.readOnly) {
      if (options.path !== ":memory:") this.db.pragma("journal_mode = WAL");
      this.db.pragma(`synchronous = ${(options.durability ?? "full").toUpperCase()}`);
      this.db.exec(SCHEMA);
    }
    this.statements = this.prepareStatements();
    if (options.maxBytes !== undefined) this.limitSize(options.maxBytes);
  }

  /**
   * Caps the file at `maxBytes` (rounded down to whole pages, never below what it holds), or lifts the cap
   * with null. What the `maxBytes` option sets; raising it is a disk getting space back.
   */
  limitSize(maxBytes: number | null): void {
    const pageSize = Number(this.db.pragma("page_size", { simple: true }));
    // SQLite's own ceiling when unset: 2^32 - 2 pages.
    const pages = maxBytes === null ? 4294967294 : Math.max(1, Math.floor(maxBytes / pageSize));
    this.db.pragma(`max_page_count = ${pages}`);
  }

  private prepareStatements() {
    const db = this.db;
    return {
      head: db.prepare<[string], { revision: number; hash: string }>(
        "SELECT revision, hash FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1",
      ),
      insert: db.prepare(
        `INSERT INTO events (event_id, stream_id, revision, type, version, recorded_at, data, metadata, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      forwards: db
        .prepare<[string, number, number], EventRow>(
          `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision ASC LIMIT ?`,
        )
        .raw(),
      backwards: db
        .prepare<[string, number, number], EventRow>(
          `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
        )
        .raw(),
      headPosition: db.prepare<[], { position: number | null }>("SELECT max(position) AS position FROM events"),
      // Changes whenever another connection commits to the file (SQLite's own counter).
      dataVersion: db.prepare<[], number>("PRAGMA data_version").pluck(),
      // Prepared once: on the hot path, parsing these every append would cost as much as the insert.
      begin: db.prepare("BEGIN IMMEDIATE"),
      commit: db.prepare("COMMIT"),
      rollback: db.prepare("ROLLBACK"),
      savepoint: db.prepare("SAVEPOINT append"),
      release: db.prepare("RELEASE append"),
      rollbackTo: db.prepare("ROLLBACK TO append"),
    };
  }

  append(
    streamId: string,
    expectedRevision: ExpectedRevision,
    prepare: (head: StreamHead | null) => readonly PreparedEvent[],
  ): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new InvalidStoreRequestError("the event store is closed"));
    return new Promise((resolve, reject) => {
      this.pending.push({ streamId, expectedRevision, prepare, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits every pending append in one transaction; each succeeds or fails on its own. */
  private flush(): void {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    const outcomes: Array<{ ok: true; result: AppendResult } | { ok: false; error: unknown }> = [];
    try {
      this.statements.begin.run();
      this.heads.trustIfUnchanged(this.statements.dataVersion.get()!);
    } catch (error) {
      for (const append of batch) append.reject(storeError(error, append.streamId));
      return;
    }
    // Heads written by this transaction: trusted once it commits.
    const written = new Map<string, StreamHead>();
    try {
      // A lone append needs no savepoint: if it fails, the whole transaction rolls back with it.
      if (batch.length === 1) outcomes.push(this.writeOne(batch[0]!, false, written));
      else for (const append of batch) outcomes.push(this.writeOne(append, true, written));
      this.statements.commit.run();
    } catch (error) {
      // The commit failed, or SQLite rolled the whole transaction back (disk full, I/O error): nothing of this
      // batch is durable, so none of it is acknowledged.
      if (this.db.inTransaction) this.statements.rollback.run();
      for (const append of batch) append.reject(storeError(error, append.streamId));
      return;
    }
    for (const [streamId, head] of written) this.heads.remember(streamId, head);
    batch.forEach((append, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) append.resolve(outcome.result);
      else append.reject(storeError(outcome.error, append.streamId));
    });
    this.wakeup.notify();
  }

  private writeOne(
    append: PendingAppend,
    isolated: boolean,
    written: Map<string, StreamHead>,
  ): { ok: true; result: AppendResult } | { ok: false; error: unknown } {
    const { head, insert } = this.statements;
    // Set once events are being inserted: only then is there anything to undo.
    let undo: "savepoint" | "transaction" | null = null;
    try {
      const current =
        written.get(append.streamId) ?? this.heads.get(append.streamId) ?? head.get(append.streamId) ?? null;
      checkExpectedRevision(append.streamId, append.expectedRevision, current);
      const events = append.prepare(current);
      // A single INSERT that fails leaves nothing behind (SQLite undoes the statement): only an append of
      // several events, among others, needs a savepoint of its own.
      if (isolated && events.length > 1) {
        this.statements.savepoint.run();
        undo = "savepoint";
      } else if (!isolated) undo = "transaction";
      let position = 0;
      for (const event of events) {
        const { hash, ...metadata } = event.metadata;
        const info = insert.run(
          event.id,
          event.streamId,
          event.revision,
          event.type,
          event.version,
          event.recordedAt,
          JSON.stringify(event.data),
          JSON.stringify(metadata),
          hash,
        );
        position = Number(info.lastInsertRowid);
      }
      if (undo === "savepoint") this.statements.release.run();
      const last = events[events.length - 1]!;
      written.set(append.streamId, { revision: last.revision, hash: last.metadata.hash });
      return { ok: true, result: { nextExpectedRevision: last.revision, position: String(position) } };
    } catch (error) {
      // On a full disk SQLite may have rolled back the whole transaction, this batch's other appends with it.
      if (!this.db.inTransaction) throw error;
      // A head that may not hold any more (a unique constraint met): read from the file next time.
      this.heads.forget(append.streamId);
      if (undo === "savepoint") {
        this.statements.rollbackTo.run();
        this.statements.release.run();
      } else if (undo === "transaction") {
        // Undo this lone append's partial writes; the (empty) transaction then commits nothing.
        this.statements.rollback.run();
        this.statements.begin.run();
      }
      return { ok: false, error };
    }
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncGenerator<RecordedEvent> {
    const backwards = options.direction === "backwards";
    let remaining = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    let next = options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
    const statement = backwards ? this.statements.backwards : this.statements.forwards;
    while (remaining > 0) {
      const rows = statement.all(streamId, next, Math.min(this.pageSize, remaining));
      for (const row of rows) yield toRecordedEvent(row);
      if (rows.length < this.pageSize) return;
      remaining -= rows.length;
      next = rows[rows.length - 1]![REVISION] + (backwards ? -1 : 1);
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncGenerator<RecordedEvent> {
    let remaining = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    let after = parsePosition(options.after);
    while (remaining > 0) {
      const rows = this.readPage(after, Number.MAX_SAFE_INTEGER, options.filter, Math.min(this.pageSize, remaining));
      for (const row of rows) yield toRecordedEvent(row);
      if (rows.length < this.pageSize) return;
      remaining -= rows.length;
      after = rows[rows.length - 1]![POSITION];
    }
  }

  subscribeToAll(options: SubscribeOptions = {}): EventSubscription {
    const state = { closed: false };
    const iterator = this.follow(options, state);
    return {
      [Symbol.asyncIterator]: () => iterator,
      close: async () => {
        state.closed = true;
        this.wakeup.notify();
        await iterator.return(undefined);
      },
    };
  }

  private async *follow(options: SubscribeOptions, state: { closed: boolean }): AsyncGenerator<RecordedEvent> {
    let after = parsePosition(options.after);
    while (!state.closed && !this.closed) {
      // Positions commit in order in SQLite (one writer at a time), so every event up to the head seen
      // here is already visible: scanning up to it and then resuming after it leaves no gap.
      const head = this.currentHead();
      if (head <= after) {
        await this.wakeup.wait();
        continue;
      }
      while (after < head && !state.closed) {
        const rows = this.readPage(after, head, options.filter, this.pageSize);
        for (const row of rows) {
          if (state.closed) return;
          yield toRecordedEvent(row);
        }
        after = rows.length < this.pageSize ? head : rows[rows.length - 1]![POSITION];
      }
    }
  }

  /** The connection's journal mode and durability, as SQLite reports them (for health and tests). */
  settings(): { journalMode: string; synchronous: Durability | "extra" } {
    const journalMode = String(this.db.pragma("journal_mode", { simple: true }));
    const level = Number(this.db.pragma("synchronous", { simple: true }));
    const synchronous = (["off", "normal", "full", "extra"] as const)[level] ?? "full";
    return { journalMode, synchronous };
  }

  async headPosition(): Promise<string> {
    return String(this.currentHead());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.pending.length > 0) this.flush();
    this.closed = true;
    this.wakeup.notify();
    this.db.close();
  }

  private currentHead(): number {
    return this.statements.headPosition.get()?.position ?? 0;
  }

  private readPage(after: number, upTo: number, filter: EventFilter | undefined, limit: number): EventRow[] {
    return this.filteredRead(filter).all(after, upTo, ...filterArguments(filter), limit);
  }

  /** One prepared statement per filter shape (how many types and prefixes of each kind), cached. */
  private filteredRead(filter: EventFilter | undefined): Database.Statement<unknown[], EventRow> {
    const exact = filter?.eventTypes?.length ?? 0;
    const types = filter?.eventTypePrefixes?.length ?? 0;
    const streams = filter?.streamPrefixes?.length ?? 0;
    const key = `${exact}:${types}:${streams}`;
    let statement = this.filteredReads.get(key);
    if (!statement) {
      const prefixes = (column: string, count: number) =>
        Array.from({ length: count }, () => `substr(${column}, 1, ?) = ?`);
      // Exact types as one IN list: on a million events, a third faster than as many prefixes.
      const typeTests = [
        ...(exact > 0 ? [`type IN (${Array(exact).fill("?").join(", ")})`] : []),
        ...prefixes("type", types),
      ];
      const any = (tests: string[]) => (tests.length === 0 ? "" : ` AND (${tests.join(" OR ")})`);
      statement = this.db
        .prepare<unknown[], EventRow>(
          `SELECT ${COLUMNS} FROM events WHERE position > ? AND position <= ?` +
            `${any(typeTests)}${any(prefixes("stream_id", streams))} ORDER BY position ASC LIMIT ?`,
        )
        .raw();
      this.filteredReads.set(key, statement);
    }
    return statement;
  }
}

/**
 * The heads of the streams this connection last wrote, so an append need not read its stream's head from the
 * file: trusted only while no other connection has committed (PRAGMA data_version, read inside the write
 * transaction, where no one else can commit), forgotten all at once otherwise. The unique (stream, revision)
 * constraint stays the last guard. Bounded: the least recently written are dropped first.
 */
class StreamHeadCache {
  private readonly heads = new Map<string, StreamHead>();
  private dataVersion: number | null = null;

  constructor(private readonly max = 10_000) {}

  trustIfUnchanged(dataVersion: number): void {
    if (dataVersion !== this.dataVersion) this.heads.clear();
    this.dataVersion = dataVersion;
  }

  get(streamId: string): StreamHead | undefined {
    return this.heads.get(streamId);
  }

  remember(streamId: string, head: StreamHead): void {
    this.heads.delete(streamId);
    this.heads.set(streamId, head);
    if (this.heads.size > this.max) this.heads.delete(this.heads.keys().next().value!);
  }

  forget(streamId: string): void {
    this.heads.delete(streamId);
  }
}

/** SQLite's "database or disk is full" as the port's typed error; anything else unchanged. */
function storeError(error: unknown, streamId: string): unknown {
  return (error as { code?: unknown } | null)?.code === "SQLITE_FULL" ? new StoreFullError(streamId) : error;
}

function filterArguments(filter: EventFilter | undefined): unknown[] {
  const pairs = (prefixes: readonly string[] = []) => prefixes.flatMap((prefix) => [[...prefix].length, prefix]); // SQLite counts code points
  return [...(filter?.eventTypes ?? []), ...pairs(filter?.eventTypePrefixes), ...pairs(filter?.streamPrefixes)];
}

function parsePosition(position: string | undefined): number {
  const text = position ?? START_POSITION;
  if (!POSITION_PATTERN.test(text)) throw new InvalidStoreRequestError(`not a position: ${text}`);
  return Number(text);
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  const [position, id, streamId, revision, type, version, recordedAt, data, metadata, hash] = row;
  return {
    id,
    type,
    version,
    streamId,
    revision,
    position: String(position),
    recordedAt,
    data: JSON.parse(data) as unknown,
    metadata: withHash(JSON.parse(metadata) as Record<string, unknown>, hash),
  };
}

/** The hash set on the freshly parsed object: a spread copy cost about a microsecond an event, more than the parse. */
function withHash(metadata: Record<string, unknown>, hash: string): RecordedEvent["metadata"] {
  metadata.hash = hash;
  return metadata as unknown as RecordedEvent["metadata"];
}
