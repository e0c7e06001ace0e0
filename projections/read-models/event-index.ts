/**
 * Event index: every event of the log by position — its stream, revision, hash, and the partnership it belongs
 * to (its own stream's and those of its missions, delegations, trainings and funding). Two uses: a
 * partnership's history is read back from the log through it, and it is the integrity witness: a copy of every
 * hash kept apart from the store, so a deleted stream tail or a rewritten chain shows.
 */
import { defineProjection, type Sql, type Tables } from "../projection";

type Table = "entries" | "partnerships";
type IndexTables = Tables<Table>;

export interface IndexEntry {
  readonly position: string;
  readonly stream_id: string;
  readonly revision: number;
  readonly hash: string;
  readonly partnership_id: string | null;
}

/** Positions are decimal strings of up to 20 digits: padded, they sort as numbers. */
const pad = (position: string) => position.padStart(20, "0");
const SELECT = `SELECT position, stream_id, revision, hash, partnership_id`;
/** Back from the padded form. */
const unpad = (rows: IndexEntry[]): IndexEntry[] =>
  rows.map((row) => ({ ...row, position: row.position.replace(/^0+(?=\d)/, "") }));

export const eventIndex = defineProjection<Table>({
  name: "event_index",
  version: 1,
  tables: ["entries", "partnerships"],
  setup(sql, tables) {
    sql.run(
      `CREATE TABLE ${tables.entries} (position TEXT PRIMARY KEY, stream_id TEXT NOT NULL, revision INTEGER NOT NULL, hash TEXT NOT NULL, partnership_id TEXT)`,
    );
    sql.run(
      `CREATE TABLE ${tables.partnerships} (id TEXT PRIMARY KEY, parties TEXT NOT NULL, countries TEXT NOT NULL)`,
    );
  },
  queryIndexes: (tables) => [
    `CREATE INDEX IF NOT EXISTS ${tables.entries}_partnership ON ${tables.entries} (partnership_id, position)`,
    `CREATE INDEX IF NOT EXISTS ${tables.entries}_stream ON ${tables.entries} (stream_id, revision)`,
  ],
  handlers: {
    // Who and where each partnership involves, so feeds can be filtered by institution and country.
    PartnershipProposed(event, sql, tables) {
      const { partnershipId, parties, countries } = event.data;
      sql.run(
        `INSERT INTO ${tables.partnerships} VALUES (?, ?, ?)`,
        partnershipId,
        JSON.stringify(parties),
        JSON.stringify(countries),
      );
    },
  },
  // Every event of the log, of a type the catalogue knows or not.
  everyEvent(event, sql, tables) {
    const partnershipId = (event.data as { partnershipId?: unknown } | null)?.partnershipId;
    sql.run(
      `INSERT INTO ${tables.entries} (position, stream_id, revision, hash, partnership_id) VALUES (?, ?, ?, ?, ?)`,
      pad(event.position),
      event.streamId,
      event.revision,
      event.metadata.hash,
      typeof partnershipId === "string" ? partnershipId : null,
    );
  },
});

/** A page of a partnership's events in log order, after a position, and how many there are in all. */
export function timeline(
  sql: Sql,
  tables: IndexTables,
  partnershipId: string,
  first: number,
  after?: string,
): { entries: IndexEntry[]; totalCount: number; hasNextPage: boolean } {
  const totalCount = sql.get<{ n: number }>(
    `SELECT count(*) AS n FROM ${tables.entries} WHERE partnership_id = ?`,
    partnershipId,
  )!.n;
  const rows = unpad(
    sql.all<IndexEntry>(
      `${SELECT} FROM ${tables.entries} WHERE partnership_id = ? AND position > ? ORDER BY position LIMIT ?`,
      partnershipId,
      pad(after ?? "0"),
      first + 1,
    ),
  );
  return { entries: rows.slice(0, first), totalCount, hasNextPage: rows.length > first };
}

/** The streams a partnership's events live in. */
export function streamsOf(sql: Sql, tables: IndexTables, partnershipId: string): string[] {
  return sql
    .all<{ stream_id: string }>(
      `SELECT DISTINCT stream_id FROM ${tables.entries} WHERE partnership_id = ? ORDER BY stream_id`,
      partnershipId,
    )
    .map((r) => r.stream_id);
}

/**
 * The witness's entries after a position, in position order, a page at a time (keyset paging: no cursor stays
 * open on the connection the runner writes with). `streams` restricts them to those streams.
 */
export function witnessPage(
  sql: Sql,
  tables: IndexTables,
  after: string,
  limit: number,
  streams?: readonly string[],
): IndexEntry[] {
  return unpad(
    streams
      ? sql.all<IndexEntry>(
          `${SELECT} FROM ${tables.entries} WHERE position > ? AND stream_id IN (SELECT value FROM json_each(?)) ORDER BY position LIMIT ?`,
          pad(after),
          JSON.stringify(streams),
          limit,
        )
      : sql.all<IndexEntry>(
          `${SELECT} FROM ${tables.entries} WHERE position > ? ORDER BY position LIMIT ?`,
          pad(after),
          limit,
        ),
  );
}

/** A partnership's parties and countries. */
export function partnershipScope(
  sql: Sql,
  tables: IndexTables,
  id: string,
): { parties: string[]; countries: string[] } | undefined {
  const row = sql.get<{ parties: string; countries: string }>(
    `SELECT parties, countries FROM ${tables.partnerships} WHERE id = ?`,
    id,
  );
  return row
    ? { parties: JSON.parse(row.parties) as string[], countries: JSON.parse(row.countries) as string[] }
    : undefined;
}
