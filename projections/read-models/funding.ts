/**
 * Funding: grants by funder, partnership, year and currency. Amounts are summed exactly in minor units, per
 * currency (never converted). A co-funded grant counts in full for each of its funders, since the sources do
 * not give shares: totals by funder say "grants this funder took part in", and count the co-funded ones.
 */
import { currencyDigits, fromMinorUnits, toMinorUnits } from "../../events/money";
import { defineProjection, type Sql, type Tables } from "../projection";
import { json, yearOf } from "./shared";

type Table = "grants" | "grant_funders";
type FundingTables = Tables<Table>;

export interface GrantRow {
  readonly id: string;
  readonly partnership_id: string;
  readonly funders: string;
  readonly granted_on: string;
  readonly year: number;
  readonly amount: string | null;
  readonly currency: string | null;
  readonly ceiling: number;
  readonly purpose: string | null;
}

export const funding = defineProjection<Table>({
  name: "funding",
  version: 1,
  tables: ["grants", "grant_funders"],
  setup(sql, tables) {
    sql.run(`CREATE TABLE ${tables.grants} (id TEXT PRIMARY KEY, partnership_id TEXT NOT NULL, funders TEXT NOT NULL, granted_on TEXT NOT NULL,
      year INTEGER NOT NULL, amount TEXT, amount_minor INTEGER, currency TEXT, ceiling INTEGER NOT NULL, purpose TEXT)`);
    sql.run(
      `CREATE TABLE ${tables.grant_funders} (grant_id TEXT NOT NULL, funder_id TEXT NOT NULL, cofunded INTEGER NOT NULL, PRIMARY KEY (funder_id, grant_id))`,
    );
  },
  queryIndexes: (tables) => [
    `CREATE INDEX IF NOT EXISTS ${tables.grants}_partnership ON ${tables.grants} (partnership_id)`,
  ],
  handlers: {
    FundingGranted(event, sql, tables) {
      const { fundingId, partnershipId, funders, amount, grantedOn, purpose } = event.data;
      const digits = amount ? currencyDigits(amount.currency) : undefined;
      const minor = amount && digits !== undefined ? toMinorUnits(amount.value, digits) : null;
      sql.run(
        `INSERT INTO ${tables.grants} (id, partnership_id, funders, granted_on, year, amount, amount_minor, currency, ceiling, purpose)
         VALUES (@fundingId, @partnershipId, @funders, @grantedOn, @year, @amount, @amountMinor, @currency, @ceiling, @purpose)`,
        {
          fundingId,
          partnershipId,
          funders: json(funders),
          grantedOn,
          year: yearOf(grantedOn),
          amount: amount?.value ?? null,
          amountMinor: minor,
          currency: amount?.currency ?? null,
          ceiling: amount?.ceiling ? 1 : 0,
          purpose,
        },
      );
      for (const funder of funders)
        sql.run(`INSERT INTO ${tables.grant_funders} VALUES (?, ?, ?)`, fundingId, funder, funders.length > 1 ? 1 : 0);
    },
  },
});

export type FundingDimension = "funder" | "partnership" | "year";

export interface FundingTotal {
  readonly key: string;
  readonly currency: string | null;
  /** Exact decimal sum of the stated amounts in this currency; null for grants with no amount stated. */
  readonly amount: string | null;
  readonly grants: number;
  /** Grants shared with other funders (dimension `funder` only). */
  readonly cofunded: number;
  /** Some amounts are ceilings ("jusqu'à"): the total is then an upper bound. */
  readonly includesCeilings: boolean;
}

/** Totals by funder, partnership or year, one line per currency (and one for grants with no stated amount). */
export function fundingTotals(
  sql: Sql,
  tables: FundingTables,
  by: FundingDimension,
  filter: { partnershipId?: string; year?: number } = {},
): FundingTotal[] {
  const key = { funder: "f.funder_id", partnership: "g.partnership_id", year: "CAST(g.year AS TEXT)" }[by];
  const join = by === "funder" ? `JOIN ${tables.grant_funders} f ON f.grant_id = g.id` : "";
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (filter.partnershipId) {
    conditions.push("g.partnership_id = ?");
    params.push(filter.partnershipId);
  }
  if (filter.year !== undefined) {
    conditions.push("g.year = ?");
    params.push(filter.year);
  }
  const clause = conditions.length ? `WHERE ${conditions.join(" AND ")}` : "";
  const rows = sql.all<{
    key: string;
    currency: string | null;
    minor: bigint | number | null;
    grants: number;
    cofunded: number;
    ceilings: number;
  }>(
    `SELECT ${key} AS key, g.currency AS currency, sum(g.amount_minor) AS minor, count(*) AS grants,
       ${by === "funder" ? "sum(f.cofunded)" : "0"} AS cofunded, max(g.ceiling) AS ceilings
     FROM ${tables.grants} g ${join} ${clause} GROUP BY 1, 2 ORDER BY key, currency IS NULL, currency`,
    ...params,
  );
  return rows.map((row) => ({
    key: row.key,
    currency: row.currency,
    amount:
      row.currency === null || row.minor === null
        ? null
        : fromMinorUnits(BigInt(row.minor), currencyDigits(row.currency) ?? 0),
    grants: row.grants,
    cofunded: row.cofunded,
    includesCeilings: row.ceilings === 1,
  }));
}

export function grantsOf(sql: Sql, tables: FundingTables, partnershipId: string): GrantRow[] {
  return sql.all<GrantRow>(
    `SELECT id, partnership_id, funders, granted_on, year, amount, currency, ceiling, purpose FROM ${tables.grants} WHERE partnership_id = ? ORDER BY granted_on, id`,
    partnershipId,
  );
}

export function getGrant(sql: Sql, tables: FundingTables, id: string): GrantRow | undefined {
  return sql.get<GrantRow>(
    `SELECT id, partnership_id, funders, granted_on, year, amount, currency, ceiling, purpose FROM ${tables.grants} WHERE id = ?`,
    id,
  );
}
