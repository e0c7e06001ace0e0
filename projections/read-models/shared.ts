/** Derivations several read models share, so each one reads the events the same way. */
import { parseBusinessDate } from "../../events/business-date";
import { PARTNERSHIP_FACTS, type PartnershipStatus, type PasserelleEvent } from "../../events/catalogue";
import type { RecordedEvent } from "../../events/envelope";
import type { Handler, Handlers, Sql, Tables } from "../projection";

/** The status a partnership event moves its partnership to, or undefined when it moves none. */
export function statusAfter(event: PasserelleEvent): PartnershipStatus | undefined {
  switch (event.type) {
    case "PartnershipProposed":
      return "proposed";
    case "CooperationStarted":
    case "MoUSigned":
    case "PartnershipResumed":
      return "active";
    case "PartnershipSuspended":
      return "suspended";
    case "PartnershipTerminated":
      return "terminated";
    default:
      return undefined;
  }
}

/** A handler for every status-moving event: calls `apply` with the partnership and its new status. */
export function onStatusChange<TableName extends string>(
  apply: (sql: Sql, tables: Tables<TableName>, partnershipId: string, status: PartnershipStatus) => void,
): Handler<PasserelleEvent["type"], TableName> {
  return (event, sql, tables) => {
    const next = statusAfter(event as RecordedEvent & PasserelleEvent);
    if (next) apply(sql, tables, (event.data as { partnershipId: string }).partnershipId, next);
  };
}

/** First and last day of a business date, for range queries in SQL; nulls for no date. */
export function days(date: string | null | undefined): { first: string | null; last: string | null } {
  const range = date ? parseBusinessDate(date) : null;
  return { first: range?.first ?? null, last: range?.last ?? null };
}

/** The calendar year a business date falls in. */
export function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

export const json = (value: unknown) => JSON.stringify(value);

/**
 * Makes a projection's partnership-stream handlers follow corrections, in one way: every fact is kept in
 * `t.facts`; on FactCorrected the stored fact is replaced, the partnership's columns are `reset` to what a
 * proposal leaves, and its facts are re-applied, as corrected, through the same handlers.
 */
export function withCorrections<TableName extends string>(
  handlers: Handlers<TableName>,
  reset: (sql: Sql, tables: Tables<TableName>, partnershipId: string) => void,
): Handlers<TableName> {
  const keep =
    <T extends PasserelleEvent["type"]>(handler: Handler<T, TableName> | undefined): Handler<T, TableName> =>
    (event, sql, tables) => {
      const facts = (tables as Record<string, string>).facts;
      sql.run(
        `INSERT INTO ${facts} (partnership_id, revision, type, data) VALUES (?, ?, ?, ?)`,
        (event.data as { partnershipId: string }).partnershipId,
        event.revision,
        event.type,
        json(event.data),
      );
      handler?.(event, sql, tables);
    };
  const wrapped: Record<string, unknown> = {};
  for (const type of PARTNERSHIP_FACTS)
    wrapped[type] = keep(handlers[type] as Handler<typeof type, TableName> | undefined);
  const factCorrected: Handler<"FactCorrected", TableName> = (event, sql, tables) => {
    const facts = (tables as Record<string, string>).facts;
    const { partnershipId, corrects, after } = event.data;
    sql.run(
      `UPDATE ${facts} SET data = ? WHERE partnership_id = ? AND revision = ?`,
      json(after),
      partnershipId,
      corrects.revision,
    );
    reset(sql, tables, partnershipId);
    const rows = sql.all<{ revision: number; type: PasserelleEvent["type"]; data: string }>(
      `SELECT revision, type, data FROM ${facts} WHERE partnership_id = ? AND type <> 'PartnershipProposed' ORDER BY revision`,
      partnershipId,
    );
    for (const row of rows) {
      const handler = handlers[row.type] as Handler<typeof row.type, TableName> | undefined;
      handler?.({ ...event, type: row.type, revision: row.revision, data: JSON.parse(row.data) } as never, sql, tables);
    }
  };
  return { ...handlers, ...wrapped, FactCorrected: factCorrected } as Handlers<TableName>;
}

/** The table withCorrections keeps facts in. */
export const FACTS_TABLE = (name: string) =>
  `CREATE TABLE ${name} (partnership_id TEXT NOT NULL, revision INTEGER NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (partnership_id, revision))`;

/**
 * A read-model table's columns in order, each with its SQL type; a column that a partnership's facts set
 * (after its proposal) also says what it reads as before them, so a correction can reset every such column —
 * including one added later — and apply the corrected facts again.
 */
export type Columns = Readonly<Record<string, { readonly type: string; readonly beforeFacts?: string }>>;

export function createTable(name: string, columns: Columns): string {
  const definitions = Object.entries(columns).map(([column, { type }]) => `${column} ${type}`);
  return `CREATE TABLE ${name} (${definitions.join(", ")})`;
}

/** The UPDATE that puts one partnership's fact columns back to what they read before its facts. */
export function resetFacts(name: string, columns: Columns, key: string): string {
  const resets = Object.entries(columns).flatMap(([column, { beforeFacts }]) =>
    beforeFacts === undefined ? [] : [`${column} = ${beforeFacts}`],
  );
  return `UPDATE ${name} SET ${resets.join(", ")} WHERE ${key} = @partnershipId`;
}
