/**
 * Partnership timeline: which events of the log belong to a partnership — its own stream's and those of its
 * missions, delegations, trainings and funding. An index only: history is read back from the log itself.
 */
import { EVENT_TYPES } from "../../events/catalogue";
import { defineProjection, type Handler, type Handlers, type Sql, type Tables } from "../projection";

type Table = "entries";
type T = Tables<Table>;

export interface TimelineEntry {
  readonly position: string;
  readonly stream_id: string;
  readonly revision: number;
}

const index: Handler<(typeof EVENT_TYPES)[number], Table> = (event, sql, t) => {
  const partnershipId = (event.data as { partnershipId?: unknown }).partnershipId;
  if (typeof partnershipId !== "string") return;
  // Positions are decimal strings up to 20 digits: padded, they sort as numbers.
  sql.run(
    `INSERT INTO ${t.entries} VALUES (?, ?, ?, ?)`,
    partnershipId,
    event.position.padStart(20, "0"),
    event.streamId,
    event.revision,
  );
};

export const partnershipTimeline = defineProjection<Table>({
  name: "partnership_timeline",
  version: 1,
  tables: ["entries"],
  setup(sql, t) {
    sql.run(`CREATE TABLE ${t.entries} (partnership_id TEXT NOT NULL, position TEXT NOT NULL, stream_id TEXT NOT NULL, revision INTEGER NOT NULL,
      PRIMARY KEY (partnership_id, position))`);
  },
  handlers: Object.fromEntries(EVENT_TYPES.map((type) => [type, index])) as Handlers<Table>,
});

/** A page of a partnership's events in log order, after a position, and how many there are in all. */
export function timeline(
  sql: Sql,
  t: T,
  partnershipId: string,
  first: number,
  after?: string,
): { entries: TimelineEntry[]; totalCount: number; hasNextPage: boolean } {
  const totalCount = sql.get<{ n: number }>(
    `SELECT count(*) AS n FROM ${t.entries} WHERE partnership_id = ?`,
    partnershipId,
  )!.n;
  const rows = sql.all<TimelineEntry>(
    `SELECT ltrim(position, '0') AS position, stream_id, revision FROM ${t.entries} WHERE partnership_id = ? AND position > ? ORDER BY position LIMIT ?`,
    partnershipId,
    (after ?? "0").padStart(20, "0"),
    first + 1,
  );
  return { entries: rows.slice(0, first), totalCount, hasNextPage: rows.length > first };
}
