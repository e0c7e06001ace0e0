/** Institution directory: institutions with their partnerships, by country. */
import { defineProjection, type Sql, type Tables } from "../projection";
import type { PartnershipStatus } from "../../events/catalogue";
import { onStatusChange } from "./shared";

type Table = "institutions" | "memberships";
type DirectoryTables = Tables<Table>;

export interface InstitutionRow {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly country: string | null;
  readonly city: string | null;
  readonly partnerships: number;
}

export interface MembershipRow {
  readonly institution_id: string;
  readonly partnership_id: string;
  readonly title: string;
  readonly status: PartnershipStatus;
}

/** Every event that moves a partnership's status moves it in each party's membership too. */
const followStatus = onStatusChange<Table>((sql, tables, partnershipId, status) =>
  sql.run(`UPDATE ${tables.memberships} SET status = ? WHERE partnership_id = ?`, status, partnershipId),
);

export const institutionDirectory = defineProjection<Table>({
  name: "institution_directory",
  version: 1,
  tables: ["institutions", "memberships"],
  setup(sql, tables) {
    sql.run(
      `CREATE TABLE ${tables.institutions} (id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, country TEXT, city TEXT)`,
    );
    sql.run(`CREATE INDEX ${tables.institutions}_country ON ${tables.institutions} (country, id)`);
    sql.run(`CREATE TABLE ${tables.memberships} (institution_id TEXT NOT NULL, partnership_id TEXT NOT NULL, title TEXT NOT NULL,
      status TEXT NOT NULL, PRIMARY KEY (institution_id, partnership_id))`);
    sql.run(`CREATE INDEX ${tables.memberships}_partnership ON ${tables.memberships} (partnership_id)`);
  },
  handlers: {
    InstitutionRegistered(event, sql, tables) {
      const { institutionId, name, kind, country, city } = event.data;
      sql.run(
        `INSERT INTO ${tables.institutions} (id, name, kind, country, city) VALUES (@institutionId, @name, @kind, @country, @city)`,
        { institutionId, name, kind, country, city },
      );
    },
    InstitutionRenamed(event, sql, tables) {
      sql.run(`UPDATE ${tables.institutions} SET name = ? WHERE id = ?`, event.data.name, event.data.institutionId);
    },
    PartnershipProposed(event, sql, tables) {
      for (const party of event.data.parties) {
        sql.run(
          `INSERT INTO ${tables.memberships} VALUES (?, ?, ?, 'proposed')`,
          party,
          event.data.partnershipId,
          event.data.title,
        );
      }
    },
    CooperationStarted: followStatus,
    MoUSigned: followStatus,
    PartnershipSuspended: followStatus,
    PartnershipResumed: followStatus,
    PartnershipTerminated: followStatus,
  },
});

export interface InstitutionFilter {
  readonly country?: string;
  readonly kind?: string;
}

const SELECT_INSTITUTION = (tables: DirectoryTables) =>
  `SELECT i.*, (SELECT count(*) FROM ${tables.memberships} m WHERE m.institution_id = i.id) AS partnerships FROM ${tables.institutions} i`;

/** A page of institutions in id order after the cursor id, with the filter's total count. */
export function listInstitutions(
  sql: Sql,
  tables: DirectoryTables,
  filter: InstitutionFilter,
  first: number,
  after?: string,
) {
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (filter.country) {
    conditions.push("i.country = ?");
    params.push(filter.country);
  }
  if (filter.kind) {
    conditions.push("i.kind = ?");
    params.push(filter.kind);
  }
  const clause = conditions.length ? `WHERE ${conditions.join(" AND ")}` : "";
  const totalCount = sql.get<{ n: number }>(
    `SELECT count(*) AS n FROM ${tables.institutions} i ${clause}`,
    ...params,
  )!.n;
  const cursor = after === undefined ? "" : `${clause ? " AND" : "WHERE"} i.id > ?`;
  const rows = sql.all<InstitutionRow>(
    `${SELECT_INSTITUTION(tables)} ${clause}${cursor} ORDER BY i.id LIMIT ?`,
    ...params,
    ...(after === undefined ? [] : [after]),
    first + 1,
  );
  return { items: rows.slice(0, first), totalCount, hasNextPage: rows.length > first };
}

export function getInstitution(sql: Sql, tables: DirectoryTables, id: string): InstitutionRow | undefined {
  return sql.get<InstitutionRow>(`${SELECT_INSTITUTION(tables)} WHERE i.id = ?`, id);
}

/** Several institutions in one query (a partnership's parties), in the order of `ids`; unknown ids left out. */
export function getInstitutions(sql: Sql, tables: DirectoryTables, ids: readonly string[]): InstitutionRow[] {
  const rows = sql.all<InstitutionRow>(
    `${SELECT_INSTITUTION(tables)} WHERE i.id IN (SELECT value FROM json_each(?))`,
    JSON.stringify(ids),
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

export function membershipsOf(sql: Sql, tables: DirectoryTables, institutionId: string): MembershipRow[] {
  return sql.all<MembershipRow>(
    `SELECT * FROM ${tables.memberships} WHERE institution_id = ? ORDER BY partnership_id`,
    institutionId,
  );
}

/** Institutions per country: how many, and how many partnerships they take part in. */
export function institutionsByCountry(
  sql: Sql,
  tables: DirectoryTables,
): Array<{ country: string | null; institutions: number; partnerships: number }> {
  return sql.all(
    `SELECT i.country AS country, count(DISTINCT i.id) AS institutions, count(DISTINCT m.partnership_id) AS partnerships
     FROM ${tables.institutions} i LEFT JOIN ${tables.memberships} m ON m.institution_id = i.id
     GROUP BY i.country ORDER BY i.country`,
  );
}
