/**
 * Statistics for analysts and the commission: partnerships by country, theme and status; activities and
 * agreements by year and kind; agreements signed and renewed per institution — the figures the sources quote
 * ("19 MoU signés, dont 6 renouvelés"). Kept as counters, each moved by the event that changes it.
 */
import type { PasserelleEvent } from "../../events/catalogue";
import { defineProjection, type Handler, type Sql, type Tables } from "../projection";
import { onStatusChange, yearOf } from "./shared";

type Table = "counters" | "partnerships";
type StatisticsTables = Tables<Table>;

export type StatisticDimension = "country" | "theme" | "status" | "year" | "activity_kind" | "institution";

export interface Counter {
  readonly dimension: StatisticDimension;
  readonly key: string;
  readonly metric: string;
  readonly value: number;
}

/**
 * The counters' changes in the batch being applied, summed by counter and written once at its end: most events
 * move two or more counters, and a counter is never read while a batch applies.
 */
const pending = new Map<
  string,
  Map<string, { dimension: StatisticDimension; key: string; metric: string; by: number }>
>();

function bump(dimension: StatisticDimension, key: string, metric: string, by = 1): void {
  // By dimension and metric (this file's words, never a space in them), then by key (any text, as given).
  const group = `${dimension} ${metric}`;
  let changes = pending.get(group);
  if (!changes) pending.set(group, (changes = new Map()));
  const change = changes.get(key);
  if (change) change.by += by;
  else changes.set(key, { dimension, key, metric, by });
}

function writeCounters(sql: Sql, tables: StatisticsTables): void {
  for (const changes of pending.values()) for (const change of changes.values()) writeCounter(sql, tables, change);
  pending.clear();
}

function writeCounter(sql: Sql, tables: StatisticsTables, change: Omit<Counter, "value"> & { by: number }): void {
  const { dimension, key, metric, by } = change;
  if (by === 0) return;
  const { value } = sql.get<{ value: number }>(
    `INSERT INTO ${tables.counters} (dimension, key, metric, value) VALUES (?, ?, ?, ?)
     ON CONFLICT (dimension, key, metric) DO UPDATE SET value = value + excluded.value RETURNING value`,
    dimension,
    key,
    metric,
    by,
  )!;
  // A counter back at zero is as if never counted: a rebuild would not have it either.
  if (value === 0)
    sql.run(`DELETE FROM ${tables.counters} WHERE dimension = ? AND key = ? AND metric = ?`, dimension, key, metric);
}

function partiesOf(sql: Sql, tables: StatisticsTables, partnershipId: string): string[] {
  const row = sql.get<{ parties: string }>(`SELECT parties FROM ${tables.partnerships} WHERE id = ?`, partnershipId);
  return row ? (JSON.parse(row.parties) as string[]) : [];
}

const followStatus = onStatusChange<Table>((sql, tables, id, next) => {
  const row = sql.get<{ status: string }>(`SELECT status FROM ${tables.partnerships} WHERE id = ?`, id);
  if (!row || row.status === next) return;
  bump("status", row.status, "partnerships", -1);
  bump("status", next, "partnerships");
  sql.run(`UPDATE ${tables.partnerships} SET status = ? WHERE id = ?`, next, id);
});

/**
 * An activity that happened (or was planned) in a year: counted by year as `<kind>s_<metric>`
 * (`missions_completed` in 2022) and by kind as `<metric>`.
 */
const happened =
  (
    kind: string,
    metric: string,
    dateOf: (data: never) => string,
    weight: (data: never) => number = () => 1,
  ): Handler<PasserelleEvent["type"], Table> =>
  (event) => {
    const data = event.data as never;
    bump("year", String(yearOf(dateOf(data))), `${kind}s_${metric}`, weight(data));
    bump("activity_kind", kind, metric, weight(data));
  };

export const statistics = defineProjection<Table>({
  name: "statistics",
  version: 1,
  tables: ["counters", "partnerships"],
  setup(sql, tables) {
    sql.run(`CREATE TABLE ${tables.counters} (dimension TEXT NOT NULL, key TEXT NOT NULL, metric TEXT NOT NULL, value INTEGER NOT NULL,
      PRIMARY KEY (dimension, key, metric))`);
    sql.run(`CREATE TABLE ${tables.partnerships} (id TEXT PRIMARY KEY, status TEXT NOT NULL, parties TEXT NOT NULL)`);
  },
  batched: { begin: () => pending.clear(), end: writeCounters },
  handlers: {
    PartnershipProposed(event, sql, tables) {
      const { partnershipId, parties, countries, themes } = event.data;
      sql.run(`INSERT INTO ${tables.partnerships} VALUES (?, 'proposed', ?)`, partnershipId, JSON.stringify(parties));
      bump("status", "proposed", "partnerships");
      for (const country of countries) bump("country", country, "partnerships");
      for (const theme of themes) bump("theme", theme, "partnerships");
      for (const party of parties) bump("institution", party, "partnerships");
    },
    CooperationStarted: followStatus,
    PartnershipSuspended: followStatus,
    PartnershipResumed: followStatus,
    PartnershipTerminated: followStatus,
    MoUSigned(event, sql, tables) {
      followStatus(event, sql, tables);
      const { partnershipId, signedOn, agreements } = event.data;
      bump("year", String(yearOf(signedOn)), "agreements_signed", agreements);
      for (const party of partiesOf(sql, tables, partnershipId))
        bump("institution", party, "agreements_signed", agreements);
    },
    FactCorrected(event, sql, tables) {
      // Counters move by what the correction changed: the old fact counted out, the new one in.
      const { partnershipId, corrects, before, after } = event.data;
      const parties = partiesOf(sql, tables, partnershipId);
      const recount = (data: typeof before, sign: number) => {
        if (corrects.type === "MoUSigned") {
          const { signedOn, agreements } = data as { signedOn: string; agreements: number };
          bump("year", String(yearOf(signedOn)), "agreements_signed", sign * agreements);
          for (const party of parties) bump("institution", party, "agreements_signed", sign * agreements);
        }
        if (corrects.type === "MoURenewed")
          bump("year", String(yearOf((data as { renewedOn: string }).renewedOn)), "agreements_renewed", sign);
      };
      recount(before, -1);
      recount(after, +1);
    },
    MoURenewed(event, sql, tables) {
      const { partnershipId, renewedOn } = event.data;
      bump("year", String(yearOf(renewedOn)), "agreements_renewed");
      for (const party of partiesOf(sql, tables, partnershipId)) bump("institution", party, "agreements_renewed");
    },
    MissionCompleted: happened(
      "mission",
      "completed",
      (d: { completedOn: string }) => d.completedOn,
      (d: { trips: number }) => d.trips,
    ),
    MissionPlanned: happened("mission", "planned", (d: { plannedStart: string }) => d.plannedStart),
    DelegationHosted: happened("delegation", "completed", (d: { from: string }) => d.from),
    DelegationScheduled: happened("delegation", "planned", (d: { from: string }) => d.from),
    TrainingRecorded: happened("training", "completed", (d: { from: string }) => d.from),
    TrainingScheduled: happened("training", "planned", (d: { from: string }) => d.from),
    FundingGranted: happened("funding", "granted", (d: { grantedOn: string }) => d.grantedOn),
  },
});

/** Counters, optionally of one dimension and metric, in key order; zero counts left out. */
export function counters(
  sql: Sql,
  tables: StatisticsTables,
  dimension?: StatisticDimension,
  metric?: string,
): Counter[] {
  const conditions = ["value <> 0"];
  const params: unknown[] = [];
  if (dimension) {
    conditions.push("dimension = ?");
    params.push(dimension);
  }
  if (metric) {
    conditions.push("metric = ?");
    params.push(metric);
  }
  return sql.all<Counter>(
    `SELECT dimension, key, metric, value FROM ${tables.counters} WHERE ${conditions.join(" AND ")} ORDER BY dimension, key, metric`,
    ...params,
  );
}
