/**
 * Partnership summary: one row per partnership — status, parties, countries, themes, signing and expiry, last
 * activity, next review — with the tables the API filters on.
 */
import { compareBusinessDates } from "../../events/business-date";
import { defineProjection, type Sql, type Tables } from "../projection";
import type { PartnershipStatus } from "../../events/catalogue";
import { FACTS_TABLE, createTable, json, onStatusChange, resetFacts, withCorrections, type Columns } from "./shared";

type Table = "partnerships" | "parties" | "countries" | "themes" | "facts";
type SummaryTables = Tables<Table>;

export interface PartnershipSummaryRow {
  readonly id: string;
  readonly title: string;
  readonly scope: string;
  readonly status: PartnershipStatus;
  readonly parties: string;
  readonly countries: string;
  readonly themes: string;
  readonly cooperation_since: string | null;
  readonly first_signed_on: string | null;
  readonly signed_on: string | null;
  readonly expires_on: string | null;
  readonly agreements_signed: number;
  readonly amendments: number;
  readonly renewals: number;
  readonly suspended_since: string | null;
  readonly terminated_on: string | null;
  readonly last_activity_on: string | null;
  readonly last_activity_kind: string | null;
  readonly last_review_on: string | null;
  readonly last_review_outcome: string | null;
  readonly next_review_on: string | null;
  readonly missions: number;
  readonly delegations: number;
  readonly trainings: number;
  readonly fundings: number;
  readonly milestones: number;
}

/** Partnership as the summary serves it (JSON columns parsed). */
export interface PartnershipSummary extends Omit<PartnershipSummaryRow, "parties" | "countries" | "themes"> {
  readonly parties: string[];
  readonly countries: string[];
  readonly themes: string[];
}

const status = onStatusChange<Table>((sql, tables, id, next) =>
  sql.run(`UPDATE ${tables.partnerships} SET status = ? WHERE id = ?`, next, id),
);

type ActivityCounter = "missions" | "delegations" | "trainings" | "fundings";

/** A partnership's last activity and its activity counts as the batch being applied leaves them. */
interface ActivityChange {
  on: string | null;
  kind: string | null;
  readonly counts: Record<ActivityCounter, number>;
}

/**
 * The batch's activity changes by partnership, written once at its end: activities are most of the log, and
 * one partnership's come together. No other handler reads or writes these columns (corrections reset facts,
 * not activities).
 */
const activities = new Map<string, ActivityChange>();

/** Moves the partnership's last activity forward when this one happened later (by business date). */
function activity(
  sql: Sql,
  tables: SummaryTables,
  partnershipId: string,
  on: string,
  kind: string,
  counter: ActivityCounter,
) {
  let change = activities.get(partnershipId);
  if (!change) {
    const row = sql.get<{ last_activity_on: string | null; last_activity_kind: string | null }>(
      `SELECT last_activity_on, last_activity_kind FROM ${tables.partnerships} WHERE id = ?`,
      partnershipId,
    );
    if (!row) return;
    change = {
      on: row.last_activity_on,
      kind: row.last_activity_kind,
      counts: { missions: 0, delegations: 0, trainings: 0, fundings: 0 },
    };
    activities.set(partnershipId, change);
  }
  if (change.on === null || compareBusinessDates(on, change.on) >= 0) {
    change.on = on;
    change.kind = kind;
  }
  change.counts[counter] += 1;
}

function writeActivities(sql: Sql, tables: SummaryTables): void {
  for (const [id, { on, kind, counts }] of activities) {
    sql.run(
      `UPDATE ${tables.partnerships} SET last_activity_on = ?, last_activity_kind = ?, missions = missions + ?,
         delegations = delegations + ?, trainings = trainings + ?, fundings = fundings + ? WHERE id = ?`,
      on,
      kind,
      counts.missions,
      counts.delegations,
      counts.trainings,
      counts.fundings,
      id,
    );
  }
  activities.clear();
}

const NULL = { type: "TEXT", beforeFacts: "NULL" } as const;
const COUNT = { type: "INTEGER NOT NULL DEFAULT 0" } as const;
const FACT_COUNT = { ...COUNT, beforeFacts: "0" } as const;

/** One row per partnership: the proposal's columns, then what its facts set, then what its activities set. */
const PARTNERSHIP_COLUMNS: Columns = {
  id: { type: "TEXT PRIMARY KEY" },
  title: { type: "TEXT NOT NULL" },
  scope: { type: "TEXT NOT NULL" },
  status: { type: "TEXT NOT NULL", beforeFacts: "'proposed'" },
  parties: { type: "TEXT NOT NULL" },
  countries: { type: "TEXT NOT NULL" },
  themes: { type: "TEXT NOT NULL" },
  cooperation_since: NULL,
  first_signed_on: NULL,
  signed_on: NULL,
  expires_on: NULL,
  agreements_signed: FACT_COUNT,
  amendments: FACT_COUNT,
  renewals: FACT_COUNT,
  suspended_since: NULL,
  terminated_on: NULL,
  last_activity_on: { type: "TEXT" },
  last_activity_kind: { type: "TEXT" },
  last_review_on: NULL,
  last_review_outcome: NULL,
  next_review_on: NULL,
  missions: COUNT,
  delegations: COUNT,
  trainings: COUNT,
  fundings: COUNT,
  milestones: FACT_COUNT,
};

export const partnershipSummary = defineProjection<Table>({
  name: "partnership_summary",
  version: 1,
  tables: ["partnerships", "parties", "countries", "themes", "facts"],
  setup(sql, tables) {
    sql.run(createTable(tables.partnerships, PARTNERSHIP_COLUMNS));
    sql.run(
      `CREATE TABLE ${tables.parties} (partnership_id TEXT NOT NULL, institution_id TEXT NOT NULL, PRIMARY KEY (institution_id, partnership_id))`,
    );
    sql.run(
      `CREATE TABLE ${tables.countries} (partnership_id TEXT NOT NULL, country TEXT NOT NULL, PRIMARY KEY (country, partnership_id))`,
    );
    sql.run(
      `CREATE TABLE ${tables.themes} (partnership_id TEXT NOT NULL, theme TEXT NOT NULL, PRIMARY KEY (theme, partnership_id))`,
    );
    sql.run(FACTS_TABLE(tables.facts));
  },
  batched: { begin: () => activities.clear(), end: writeActivities },
  handlers: withCorrections<Table>(
    {
      PartnershipProposed(event, sql, tables) {
        const { partnershipId: id, title, scope, parties, countries, themes } = event.data;
        sql.run(
          `INSERT INTO ${tables.partnerships} (id, title, scope, status, parties, countries, themes)
           VALUES (@id, @title, @scope, 'proposed', @parties, @countries, @themes)`,
          { id, title, scope, parties: json(parties), countries: json(countries), themes: json(themes) },
        );
        for (const party of parties) sql.run(`INSERT INTO ${tables.parties} VALUES (?, ?)`, id, party);
        for (const country of countries) sql.run(`INSERT INTO ${tables.countries} VALUES (?, ?)`, id, country);
        for (const theme of themes) sql.run(`INSERT INTO ${tables.themes} VALUES (?, ?)`, id, theme);
      },
      CooperationStarted(event, sql, tables) {
        status(event, sql, tables);
        sql.run(
          `UPDATE ${tables.partnerships} SET cooperation_since = ? WHERE id = ?`,
          event.data.startedOn,
          event.data.partnershipId,
        );
      },
      MoUSigned(event, sql, tables) {
        status(event, sql, tables);
        const { partnershipId, signedOn, expiresOn, agreements } = event.data;
        sql.run(
          `UPDATE ${tables.partnerships} SET first_signed_on = coalesce(first_signed_on, @signedOn), signed_on = @signedOn,
             expires_on = @expiresOn, agreements_signed = agreements_signed + @agreements WHERE id = @partnershipId`,
          { signedOn, expiresOn, agreements, partnershipId },
        );
      },
      MoUAmended(event, sql, tables) {
        sql.run(`UPDATE ${tables.partnerships} SET amendments = amendments + 1 WHERE id = ?`, event.data.partnershipId);
      },
      MoURenewed(event, sql, tables) {
        sql.run(
          `UPDATE ${tables.partnerships} SET renewals = renewals + 1, expires_on = ? WHERE id = ?`,
          event.data.period.to,
          event.data.partnershipId,
        );
      },
      PartnershipSuspended(event, sql, tables) {
        status(event, sql, tables);
        sql.run(
          `UPDATE ${tables.partnerships} SET suspended_since = ? WHERE id = ?`,
          event.data.suspendedOn,
          event.data.partnershipId,
        );
      },
      PartnershipResumed(event, sql, tables) {
        status(event, sql, tables);
        sql.run(`UPDATE ${tables.partnerships} SET suspended_since = NULL WHERE id = ?`, event.data.partnershipId);
      },
      PartnershipTerminated(event, sql, tables) {
        status(event, sql, tables);
        sql.run(
          `UPDATE ${tables.partnerships} SET terminated_on = ? WHERE id = ?`,
          event.data.effectiveOn,
          event.data.partnershipId,
        );
      },
      CommissionReviewRecorded(event, sql, tables) {
        const { partnershipId, reviewedOn, outcome, nextReviewOn } = event.data;
        sql.run(
          `UPDATE ${tables.partnerships} SET last_review_on = @reviewedOn, last_review_outcome = @outcome,
             next_review_on = @nextReviewOn WHERE id = @partnershipId`,
          { reviewedOn, outcome, nextReviewOn, partnershipId },
        );
      },
      MilestoneRecorded(event, sql, tables) {
        sql.run(`UPDATE ${tables.partnerships} SET milestones = milestones + 1 WHERE id = ?`, event.data.partnershipId);
      },
      MissionCompleted(event, sql, tables) {
        activity(sql, tables, event.data.partnershipId, event.data.completedOn, "mission", "missions");
      },
      DelegationHosted(event, sql, tables) {
        activity(sql, tables, event.data.partnershipId, event.data.to ?? event.data.from, "delegation", "delegations");
      },
      TrainingRecorded(event, sql, tables) {
        activity(sql, tables, event.data.partnershipId, event.data.to ?? event.data.from, "training", "trainings");
      },
      FundingGranted(event, sql, tables) {
        activity(sql, tables, event.data.partnershipId, event.data.grantedOn, "funding", "fundings");
      },
    },
    // What a proposal leaves: the corrected partnership's facts are then applied again.
    (sql, tables, partnershipId) =>
      sql.run(resetFacts(tables.partnerships, PARTNERSHIP_COLUMNS, "id"), { partnershipId }),
  ),
});

export interface PartnershipFilter {
  readonly status?: PartnershipStatus;
  readonly country?: string;
  readonly theme?: string;
  readonly institution?: string;
}

export interface Page<T> {
  readonly items: T[];
  readonly totalCount: number;
  readonly hasNextPage: boolean;
}

function where(tables: SummaryTables, filter: PartnershipFilter): { clause: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (filter.status) {
    conditions.push("p.status = ?");
    params.push(filter.status);
  }
  if (filter.country) {
    conditions.push(`p.id IN (SELECT partnership_id FROM ${tables.countries} WHERE country = ?)`);
    params.push(filter.country);
  }
  if (filter.theme) {
    conditions.push(`p.id IN (SELECT partnership_id FROM ${tables.themes} WHERE theme = ?)`);
    params.push(filter.theme);
  }
  if (filter.institution) {
    conditions.push(`p.id IN (SELECT partnership_id FROM ${tables.parties} WHERE institution_id = ?)`);
    params.push(filter.institution);
  }
  return { clause: conditions.length ? `WHERE ${conditions.join(" AND ")}` : "", params };
}

export function toSummary(row: PartnershipSummaryRow): PartnershipSummary {
  return {
    ...row,
    parties: JSON.parse(row.parties),
    countries: JSON.parse(row.countries),
    themes: JSON.parse(row.themes),
  };
}

/** A page of partnerships in id order, after the cursor id, with the filter's total count. */
export function listPartnerships(
  sql: Sql,
  tables: SummaryTables,
  filter: PartnershipFilter,
  first: number,
  after?: string,
): Page<PartnershipSummary> {
  const { clause, params } = where(tables, filter);
  const totalCount = sql.get<{ n: number }>(
    `SELECT count(*) AS n FROM ${tables.partnerships} p ${clause}`,
    ...params,
  )!.n;
  const afterClause = after === undefined ? "" : `${clause ? " AND" : "WHERE"} p.id > ?`;
  const rows = sql.all<PartnershipSummaryRow>(
    `SELECT p.* FROM ${tables.partnerships} p ${clause}${afterClause} ORDER BY p.id LIMIT ?`,
    ...params,
    ...(after === undefined ? [] : [after]),
    first + 1,
  );
  return { items: rows.slice(0, first).map(toSummary), totalCount, hasNextPage: rows.length > first };
}

export function getPartnership(sql: Sql, tables: SummaryTables, id: string): PartnershipSummary | undefined {
  const row = sql.get<PartnershipSummaryRow>(`SELECT * FROM ${tables.partnerships} WHERE id = ?`, id);
  return row && toSummary(row);
}
