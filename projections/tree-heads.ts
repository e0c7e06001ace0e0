/**
 * The signed tree heads the ledger has issued, and the signer that issues them. Heads are not derived from the
 * log (each carries the moment and the signature of its signing), so they live apart from the disposable read
 * models, in a file that is kept and backed up: a rebuilt tree is checked against them, never the other way.
 */
import type { KeyObject } from "node:crypto";
import Database from "better-sqlite3";
import { signTreeHead, type SignedTreeHead } from "../events/transparency/tree-head";
import type { ProjectionRunner } from "./runner";
import type { ReadModelDatabase } from "./read-model-db";
import { ledgerTree, rootAt, treeSize } from "./read-models/ledger-tree";

interface HeadRow {
  readonly tree_size: number;
  readonly timestamp: number;
  readonly root_hash: string;
  readonly key_id: string;
  readonly signature: string;
}

const fromRow = (row: HeadRow): SignedTreeHead => ({
  treeSize: row.tree_size,
  timestamp: row.timestamp,
  rootHash: row.root_hash,
  keyId: row.key_id,
  signature: row.signature,
});

/** Every head a tree-heads file holds, in size order, read without writing to it (a backup being checked). */
export function readTreeHeads(path: string): SignedTreeHead[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db.prepare<[], HeadRow>("SELECT * FROM tree_heads ORDER BY tree_size").all().map(fromRow);
  } finally {
    db.close();
  }
}

/** Every head issued, by tree size; several processes may share the file (one head per size wins). */
export class TreeHeadLog {
  private readonly db: Database.Database;
  // Prepared once: the signer asks for the latest head every second.
  private readonly statements: {
    readonly latest: Database.Statement<[], HeadRow>;
    readonly ofSize: Database.Statement<[number], HeadRow>;
    readonly page: Database.Statement<[number, number], HeadRow>;
    readonly insert: Database.Statement<[number, number, string, string, string]>;
  };

  constructor(readonly path: string) {
    this.db = new Database(path);
    this.db.pragma("busy_timeout = 5000");
    if (path !== ":memory:") this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = FULL");
    this.db.exec(`CREATE TABLE IF NOT EXISTS tree_heads (
      tree_size INTEGER PRIMARY KEY,
      timestamp INTEGER NOT NULL,
      root_hash TEXT    NOT NULL,
      key_id    TEXT    NOT NULL,
      signature TEXT    NOT NULL
    )`);
    this.statements = {
      latest: this.db.prepare("SELECT * FROM tree_heads ORDER BY tree_size DESC LIMIT 1"),
      ofSize: this.db.prepare("SELECT * FROM tree_heads WHERE tree_size = ?"),
      page: this.db.prepare("SELECT * FROM tree_heads WHERE tree_size > ? ORDER BY tree_size LIMIT ?"),
      insert: this.db.prepare(
        "INSERT INTO tree_heads (tree_size, timestamp, root_hash, key_id, signature) VALUES (?, ?, ?, ?, ?)",
      ),
    };
  }

  latest(): SignedTreeHead | undefined {
    const row = this.statements.latest.get();
    return row && fromRow(row);
  }

  /** The head issued for exactly this size, if one was. */
  ofSize(treeSize: number): SignedTreeHead | undefined {
    const row = this.statements.ofSize.get(treeSize);
    return row && fromRow(row);
  }

  /** Heads in size order, after a size (exclusive), a page at a time. */
  page(afterSize: number, limit: number): SignedTreeHead[] {
    return this.statements.page.all(afterSize, limit).map(fromRow);
  }

  /** Keeps a head unless one of its size or a later one is already kept; says whether it was. */
  add(head: SignedTreeHead): boolean {
    return this.db
      .transaction(() => {
        const latest = this.latest();
        if (latest && (latest.treeSize >= head.treeSize || latest.timestamp > head.timestamp)) return false;
        this.statements.insert.run(head.treeSize, head.timestamp, head.rootHash, head.keyId, head.signature);
        return true;
      })
      .immediate();
  }

  close(): void {
    this.db.close();
  }
}

export interface TreeHeadPolicy {
  /** A new head at most this often while events come in (default 10 s)… */
  readonly intervalMs: number;
  /** …or as soon as this many events have come since the last head (default 1000). */
  readonly maxEvents: number;
}

export const DEFAULT_TREE_HEAD_POLICY: TreeHeadPolicy = { intervalMs: 10_000, maxEvents: 1000 };

/**
 * Signs a head over the ledger tree whenever the policy asks for one, after checking that the tree still extends
 * the last head issued: a tree that does not (the log was rewritten under it) gets no head, and the signer says
 * so until it is stopped.
 */
export class TreeHeadSigner {
  private timer: NodeJS.Timeout | undefined;
  /** Why the signer refuses to sign, once it has found the tree no longer extends what it signed. */
  broken: string | null = null;

  constructor(
    private readonly heads: TreeHeadLog,
    private readonly key: KeyObject,
    private readonly runner: ProjectionRunner,
    private readonly tree: ReadModelDatabase,
    private readonly policy: TreeHeadPolicy = DEFAULT_TREE_HEAD_POLICY,
    private readonly now: () => number = Date.now,
    /** Where a failed attempt is told (a busy file, a full disk); the next tick tries again. */
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  start(): void {
    const tick = Math.min(this.policy.intervalMs, 1000);
    const loop = () => {
      try {
        this.signIfDue();
      } catch (error) {
        this.onError(error);
      }
      this.timer = setTimeout(loop, tick);
      this.timer.unref();
    };
    loop();
  }

  /** Signs a head if one is due; returns it, or undefined. */
  signIfDue(): SignedTreeHead | undefined {
    if (this.broken) return undefined;
    const tables = this.runner.tables(ledgerTree);
    const size = treeSize(this.tree, tables);
    const last = this.heads.latest();
    const now = Math.max(this.now(), last?.timestamp ?? 0);
    const grown = size - (last?.treeSize ?? 0);
    // While the tree catches up, only the event count makes a head due: no head of a half-read log for nothing.
    const intervalOver =
      this.runner.isLive(ledgerTree.name) && (!last || now - last.timestamp >= this.policy.intervalMs);
    if (last && grown <= 0) return undefined;
    if (!intervalOver && grown < this.policy.maxEvents) return undefined;
    if (last) {
      const root = rootAt(this.tree, tables, last.treeSize).toString("hex");
      if (root !== last.rootHash) {
        this.broken =
          `the ledger tree no longer extends the head signed for ${last.treeSize} events ` +
          `(root ${root}, signed ${last.rootHash}): the log was rewritten`;
        return undefined;
      }
    }
    const head = signTreeHead(this.key, {
      treeSize: size,
      timestamp: now,
      rootHash: rootAt(this.tree, tables, size).toString("hex"),
    });
    return this.heads.add(head) ? head : undefined;
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}
