/**
 * Access grants as periods: who was granted which institution (or the whole network), by whom and when, and
 * when it was revoked. A grant revoked and granted again is two periods, so any past date can be asked.
 */
import { defineProjection, type Sql, type Tables } from "../projection";

type Table = "grants";
type GrantTables = Tables<Table>;

export interface GrantRow {
  readonly grantee: string;
  /** Null: every institution of the network. */
  readonly institution_id: string | null;
  readonly granted_at: string;
  readonly granted_by: string;
  readonly granted_position: string;
  readonly revoked_at: string | null;
  readonly revoked_by: string | null;
}

export const accessGrants = defineProjection<Table>({
  name: "access_grants",
  version: 1,
  tables: ["grants"],
  setup(sql, tables) {
    sql.run(`CREATE TABLE ${tables.grants} (grantee TEXT NOT NULL, institution_id TEXT, granted_at TEXT NOT NULL,
      granted_by TEXT NOT NULL, granted_position TEXT NOT NULL, revoked_at TEXT, revoked_by TEXT)`);
    sql.run(`CREATE INDEX ${tables.grants}_grantee ON ${tables.grants} (grantee, granted_at)`);
  },
  handlers: {
    AccessGranted(event, sql, tables) {
      sql.run(
        `INSERT INTO ${tables.grants} (grantee, institution_id, granted_at, granted_by, granted_position)
         VALUES (@grantee, @institutionId, @at, @by, @position)`,
        { ...event.data, at: event.recordedAt, by: event.metadata.actor, position: event.position },
      );
    },
    AccessRevoked(event, sql, tables) {
      sql.run(
        `UPDATE ${tables.grants} SET revoked_at = @at, revoked_by = @by
         WHERE grantee = @grantee AND institution_id IS @institutionId AND revoked_at IS NULL`,
        { ...event.data, at: event.recordedAt, by: event.metadata.actor },
      );
    },
  },
});

export interface GrantQuery {
  /** One person's grants; everyone's when absent. */
  readonly grantee?: string;
  /** The grants in force at this instant (ISO-8601); those in force now when absent. */
  readonly asOf?: string;
}

/** Grants in force at the instant asked, by grantee then grant time. */
export function grantsInForce(sql: Sql, tables: GrantTables, query: GrantQuery): GrantRow[] {
  const inForce =
    query.asOf === undefined
      ? "revoked_at IS NULL"
      : "granted_at <= @asOf AND (revoked_at IS NULL OR revoked_at > @asOf)";
  return sql.all<GrantRow>(
    `SELECT * FROM ${tables.grants} WHERE ${inForce} AND (@grantee IS NULL OR grantee = @grantee)
     ORDER BY grantee, granted_at, rowid`,
    { grantee: query.grantee ?? null, asOf: query.asOf ?? null },
  );
}
