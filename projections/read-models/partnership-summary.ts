/**
 * Partnership summary: one row per partnership — status, parties, countries, themes, signing and expiry, last
 * activity, next review — with the tables the API filters on.
 */
import { compareBusinessDates } from "../../events/business-date";
import { defineProjection, type Sql, type Tables } from "../projection";
import type { PartnershipStatus } from "../../events/catalogue";
import { FACTS_TABLE, json, onStatusChange, withCorrections } from "./shared";

type Table = "partnerships" | "parties" | "countries" | "themes" | "facts";
type T = Tables<Table>;

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

const status = onStatusChange<Table>((sql, t, id, next) =>
  sql.run(`UPDATE ${t.partnerships} SET status = ? WHERE id = ?`, next, id),
);

/** Moves the partnership's last activity forward when this one happened later (by business date). */
function activity(
  sql: Sql,
  t: T,
  partnershipId: string,
  on: string,
  kind: string,
  counter?: "missions" | "delegations" | "trainings" | "fundings",
): void {
  const row = sql.get<{ last_activity_on: string | null }>(
    `SELECT last_activity_on FROM ${t.partnerships} WHERE id = ?`,
    partnershipId,
  );
  if (!row) return;
  if (row.last_activity_on === null || compareBusinessDates(on, row.last_activity_on) >= 0) {
    sql.run(
      `UPDATE ${t.partnerships} SET last_activity_on = ?, last_activity_kind = ? WHERE id = ?`,
      on,
      kind,
      partnershipId,
    );
  }
  if (counter) sql.run(`UPDATE ${t.partnerships} SET ${counter} = ${counter} + 1 WHERE id = ?`, partnershipId);
}

export const partnershipSummary = defineProjection<Table>({
  name: "partnership_summary",
  version: 1,
  tables: ["partnerships", "parties", "countries", "themes", "facts"],
  setup(sql, t) {
    sql.run(`CREATE TABLE ${t.partnerships} (
      id TEXT PRIMARY KEY, title TEXT NOT NULL, scope TEXT NOT NULL, status TEXT NOT NULL,
      parties TEXT NOT NULL, countries TEXT NOT NULL, themes TEXT NOT NULL,
      cooperation_since TEXT, first_signed_on TEXT, signed_on TEXT, expires_on TEXT,
      agreements_signed INTEGER NOT NULL DEFAULT 0, amendments INTEGER NOT NULL DEFAULT 0, renewals INTEGER NOT NULL DEFAULT 0,
      suspended_since TEXT, terminated_on TEXT, last_activity_on TEXT, last_activity_kind TEXT,
      last_review_on TEXT, last_review_outcome TEXT, next_review_on TEXT,
      missions INTEGER NOT NULL DEFAULT 0, delegations INTEGER NOT NULL DEFAULT 0, trainings INTEGER NOT NULL DEFAULT 0,
      fundings INTEGER NOT NULL DEFAULT 0, milestones INTEGER NOT NULL DEFAULT 0)`);
    sql.run(
      `CREATE TABLE ${t.parties} (partnership_id TEXT NOT NULL, institution_id TEXT NOT NULL, PRIMARY KEY (institution_id, partnership_id))`,
    );
    sql.run(
      `CREATE TABLE ${t.countries} (partnership_id TEXT NOT NULL, country TEXT NOT NULL, PRIMARY KEY (country, partnership_id))`,
    );
    sql.run(
      `CREATE TABLE ${t.themes} (partnership_id TEXT NOT NULL, theme TEXT NOT NULL, PRIMARY KEY (theme, partnership_id))`,
    );
    sql.run(FACTS_TABLE(t.facts));
  },
  handlers: withCorrections<Table>(
    {
      PartnershipProposed(event, sql, t) {
        const { partnershipId: id, title, scope, parties, countries, themes } = event.data;
        sql.run(
          `INSERT INTO ${t.partnerships} (id, title, scope, status, parties, countries, themes) VALUES (?, ?, ?, 'proposed', ?, ?, ?)`,
          id,
          title,
          scope,
          json(parties),
          json(countries),
          json(themes),
        );
        for (const party of parties) sql.run(`INSERT INTO ${t.parties} VALUES (?, ?)`, id, party);
        for (const country of countries) sql.run(`INSERT INTO ${t.countries} VALUES (?, ?)`, id, country);
        for (const theme of themes) sql.run(`INSERT INTO ${t.themes} VALUES (?, ?)`, id, theme);
      },
      CooperationStarted(event, sql, t) {
        status(event, sql, t);
        sql.run(
          `UPDATE ${t.partnerships} SET cooperation_since = ? WHERE id = ?`,
          event.data.startedOn,
          event.data.partnershipId,
        );
      },
      MoUSigned(event, sql, t) {
        status(event, sql, t);
        const { partnershipId, signedOn, expiresOn, agreements } = event.data;
        sql.run(
          `UPDATE ${t.partnerships} SET first_signed_on = coalesce(first_signed_on, ?), signed_on = ?, expires_on = ?,
         agreements_signed = agreements_signed + ? WHERE id = ?`,
          signedOn,
          signedOn,
          expiresOn,
          agreements,
          partnershipId,
        );
      },
      MoUAmended(event, sql, t) {
        sql.run(`UPDATE ${t.partnerships} SET amendments = amendments + 1 WHERE id = ?`, event.data.partnershipId);
      },
      MoURenewed(event, sql, t) {
        sql.run(
          `UPDATE ${t.partnerships} SET renewals = renewals + 1, expires_on = ? WHERE id = ?`,
          event.data.period.to,
          event.data.partnershipId,
        );
      },
      PartnershipSuspended(event, sql, t) {
        status(event, sql, t);
        sql.run(
          `UPDATE ${t.partnerships} SET suspended_since = ? WHERE id = ?`,
          event.data.suspendedOn,
          event.data.partnershipId,
        );
      },
      PartnershipResumed(event, sql, t) {
        status(event, sql, t);
        sql.run(`UPDATE ${t.partnerships} SET suspended_since = NULL WHERE id = ?`, event.data.partnershipId);
      },
      PartnershipTerminated(event, sql, t) {
        status(event, sql, t);
        sql.run(
          `UPDATE ${t.partnerships} SET terminated_on = ? WHERE id = ?`,
          event.data.effectiveOn,
          event.data.partnershipId,
        );
      },
      CommissionReviewRecorded(event, sql, t) {
        const { partnershipId, reviewedOn, outcome, nextReviewOn } = event.data;
        sql.run(
          `UPDATE ${t.partnerships} SET last_review_on = ?, last_review_outcome = ?, next_review_on = ? WHERE id = ?`,
          reviewedOn,
          outcome,
          nextReviewOn,
          partnershipId,
        );
      },
      MilestoneRecorded(event, sql, t) {
        sql.run(`UPDATE ${t.partnerships} SET milestones = milestones + 1 WHERE id = ?`, event.data.partnershipId);
      },
      MissionCompleted(event, sql, t) {
        activity(sql, t, event.data.partnershipId, event.data.completedOn, "mission", "missions");
      },
      DelegationHosted(event, sql, t) {
        activity(sql, t, event.data.partnershipId, event.data.to ?? event.data.from, "delegation", "delegations");
      },
      TrainingRecorded(event, sql, t) {
        activity(sql, t, event.data.partnershipId, event.data.to ?? event.data.from, "training", "trainings");
      },
      FundingGranted(event, sql, t) {
        activity(sql, t, event.data.partnershipId, event.data.grantedOn, "funding", "fundings");
      },
    },
    // What a proposal leaves: the corrected partnership's facts are then applied again.
    (sql, t, id) =>
      sql.run(
        `UPDATE ${t.partnerships} SET status = 'proposed', cooperation_since = NULL, first_signed_on = NULL, signed_on = NULL,
         expires_on = NULL, agreements_signed = 0, amendments = 0, renewals = 0, suspended_since = NULL, terminated_on = NULL,
         last_review_on = NULL, last_review_outcome = NULL, next_review_on = NULL, milestones = 0 WHERE id = ?`,
        id,
      ),
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

function where(t: T, filter: PartnershipFilter): { clause: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (filter.status) {
    conditions.push("p.status = ?");
    params.push(filter.status);
  }
  if (filter.country) {
    conditions.push(`p.id IN (SELECT partnership_id FROM ${t.countries} WHERE country = ?)`);
    params.push(filter.country);
  }
  if (filter.theme) {
    conditions.push(`p.id IN (SELECT partnership_id FROM ${t.themes} WHERE theme = ?)`);
    params.push(filter.theme);
  }
  if (filter.institution) {
    conditions.push(`p.id IN (SELECT partnership_id FROM ${t.parties} WHERE institution_id = ?)`);
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
  t: T,
  filter: PartnershipFilter,
  first: number,
  after?: string,
): Page<PartnershipSummary> {
  const { clause, params } = where(t, filter);
  const totalCount = sql.get<{ n: number }>(`SELECT count(*) AS n FROM ${t.partnerships} p ${clause}`, ...params)!.n;
  const afterClause = after === undefined ? "" : `${clause ? " AND" : "WHERE"} p.id > ?`;
  const rows = sql.all<PartnershipSummaryRow>(
    `SELECT p.* FROM ${t.partnerships} p ${clause}${afterClause} ORDER BY p.id LIMIT ?`,
    ...params,
    ...(after === undefined ? [] : [after]),
    first + 1,
  );
  return { items: rows.slice(0, first).map(toSummary), totalCount, hasNextPage: rows.length > first };
}

export function getPartnership(sql: Sql, t: T, id: string): PartnershipSummary | undefined {
  const row = sql.get<PartnershipSummaryRow>(`SELECT * FROM ${t.partnerships} WHERE id = ?`, id);
  return row && toSummary(row);
}
