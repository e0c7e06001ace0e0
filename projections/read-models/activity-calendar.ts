/** Activity calendar: missions, delegations and trainings, by date, partnership and country. */
import type { Headcount } from "../../domain/decider";
import { defineProjection, type Sql, type Tables } from "../projection";
import { days, json } from "./shared";

type Table = "activities" | "partnership_countries";
type T = Tables<Table>;

export type ActivityKind = "mission" | "delegation" | "training";
export type ActivityStatus = "planned" | "postponed" | "started" | "completed" | "cancelled";

export interface ActivityRow {
  readonly id: string;
  readonly kind: ActivityKind;
  readonly partnership_id: string;
  readonly status: ActivityStatus;
  readonly title: string;
  readonly start_on: string | null;
  readonly end_on: string | null;
  readonly country: string | null;
  readonly place: string | null;
  readonly people: number | null;
  readonly people_more_than: number;
  readonly details: string;
}

interface Upsert {
  readonly id: string;
  readonly kind: ActivityKind;
  readonly partnershipId: string;
  readonly status: ActivityStatus;
  readonly title: string;
  readonly start: string | null;
  readonly end: string | null;
  readonly country: string | null;
  readonly place: string | null;
  readonly people: Headcount | null;
  readonly details: Record<string, unknown>;
}

/** Insert or replace the whole row: closing events carry the activity's full description. */
function upsert(sql: Sql, t: T, a: Upsert): void {
  const span = { first: days(a.start ?? a.end).first, last: days(a.end ?? a.start).last };
  sql.run(
    `INSERT OR REPLACE INTO ${t.activities} (id, kind, partnership_id, status, title, start_on, end_on, first_day, last_day,
       country, place, people, people_more_than, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    a.id,
    a.kind,
    a.partnershipId,
    a.status,
    a.title,
    a.start,
    a.end,
    span.first,
    span.last,
    a.country,
    a.place,
    a.people?.count ?? null,
    a.people?.moreThan ? 1 : 0,
    json(a.details),
  );
}

function setStatus(sql: Sql, t: T, id: string, status: ActivityStatus): void {
  sql.run(`UPDATE ${t.activities} SET status = ? WHERE id = ?`, status, id);
}

export const activityCalendar = defineProjection<Table>({
  name: "activity_calendar",
  version: 1,
  tables: ["activities", "partnership_countries"],
  setup(sql, t) {
    sql.run(`CREATE TABLE ${t.activities} (id TEXT PRIMARY KEY, kind TEXT NOT NULL, partnership_id TEXT NOT NULL, status TEXT NOT NULL,
      title TEXT NOT NULL, start_on TEXT, end_on TEXT, first_day TEXT, last_day TEXT, country TEXT, place TEXT,
      people INTEGER, people_more_than INTEGER NOT NULL, details TEXT NOT NULL)`);
    sql.run(`CREATE INDEX ${t.activities}_days ON ${t.activities} (first_day, last_day)`);
    sql.run(`CREATE INDEX ${t.activities}_partnership ON ${t.activities} (partnership_id)`);
    sql.run(
      `CREATE TABLE ${t.partnership_countries} (partnership_id TEXT NOT NULL, country TEXT NOT NULL, PRIMARY KEY (country, partnership_id))`,
    );
  },
  handlers: {
    PartnershipProposed(event, sql, t) {
      for (const country of event.data.countries)
        sql.run(`INSERT INTO ${t.partnership_countries} VALUES (?, ?)`, event.data.partnershipId, country);
    },
    MissionPlanned(event, sql, t) {
      const d = event.data;
      upsert(sql, t, {
        id: `mission-${d.missionId}`,
        kind: "mission",
        partnershipId: d.partnershipId,
        status: "planned",
        title: d.purpose,
        start: d.plannedStart,
        end: d.plannedEnd,
        country: d.destination.country,
        place: d.destination.place,
        people: d.participants,
        details: { trips: d.trips, duration: d.duration, recurrence: d.recurrence },
      });
    },
    MissionPostponed(event, sql, t) {
      const { missionId, plannedStart, plannedEnd } = event.data;
      const span = { first: days(plannedStart ?? plannedEnd).first, last: days(plannedEnd ?? plannedStart).last };
      sql.run(
        `UPDATE ${t.activities} SET status = 'postponed', start_on = ?, end_on = ?, first_day = ?, last_day = ? WHERE id = ?`,
        plannedStart,
        plannedEnd,
        span.first,
        span.last,
        `mission-${missionId}`,
      );
    },
    MissionStarted(event, sql, t) {
      const span = days(event.data.startedOn);
      sql.run(
        `UPDATE ${t.activities} SET status = 'started', start_on = ?, first_day = ? WHERE id = ?`,
        event.data.startedOn,
        span.first,
        `mission-${event.data.missionId}`,
      );
    },
    MissionCompleted(event, sql, t) {
      const d = event.data;
      upsert(sql, t, {
        id: `mission-${d.missionId}`,
        kind: "mission",
        partnershipId: d.partnershipId,
        status: "completed",
        title: d.purpose,
        start: d.startedOn,
        end: d.completedOn,
        country: d.destination.country,
        place: d.destination.place,
        people: d.participants,
        details: { trips: d.trips, duration: d.duration, recurrence: d.recurrence, outcome: d.outcome },
      });
    },
    MissionCancelled(event, sql, t) {
      setStatus(sql, t, `mission-${event.data.missionId}`, "cancelled");
    },
    DelegationScheduled(event, sql, t) {
      const d = event.data;
      upsert(sql, t, {
        id: `delegation-${d.delegationId}`,
        kind: "delegation",
        partnershipId: d.partnershipId,
        status: "planned",
        title: d.purpose,
        start: d.from,
        end: d.to,
        country: d.origin.country,
        place: d.place,
        people: d.visitors,
        details: { origin: d.origin },
      });
    },
    DelegationHosted(event, sql, t) {
      const d = event.data;
      upsert(sql, t, {
        id: `delegation-${d.delegationId}`,
        kind: "delegation",
        partnershipId: d.partnershipId,
        status: "completed",
        title: d.purpose,
        start: d.from,
        end: d.to,
        country: d.origin.country,
        place: d.place,
        people: d.visitors,
        details: { origin: d.origin },
      });
    },
    DelegationCancelled(event, sql, t) {
      setStatus(sql, t, `delegation-${event.data.delegationId}`, "cancelled");
    },
    TrainingScheduled(event, sql, t) {
      const d = event.data;
      upsert(sql, t, {
        id: `training-${d.trainingId}`,
        kind: "training",
        partnershipId: d.partnershipId,
        status: "planned",
        title: d.topic,
        start: d.from,
        end: d.to,
        country: null,
        place: d.place,
        people: d.traineeCount,
        details: { trainees: d.trainees, duration: d.duration, recurrence: d.recurrence, remote: d.remote },
      });
    },
    TrainingRecorded(event, sql, t) {
      const d = event.data;
      upsert(sql, t, {
        id: `training-${d.trainingId}`,
        kind: "training",
        partnershipId: d.partnershipId,
        status: "completed",
        title: d.topic,
        start: d.from,
        end: d.to,
        country: null,
        place: d.place,
        people: d.traineeCount,
        details: { trainees: d.trainees, duration: d.duration, recurrence: d.recurrence, remote: d.remote },
      });
    },
    TrainingCancelled(event, sql, t) {
      setStatus(sql, t, `training-${event.data.trainingId}`, "cancelled");
    },
  },
});

export interface CalendarFilter {
  /** Activities whose dates may fall on or after this day (`YYYY-MM-DD`). */
  readonly from?: string;
  /** Activities whose dates may fall on or before this day. */
  readonly to?: string;
  readonly partnershipId?: string;
  /** The activity's country, or its partnership's when the activity names none. */
  readonly country?: string;
  readonly kind?: ActivityKind;
  readonly status?: ActivityStatus;
}

/** Activities in date order (undated last), the imprecise after the precise, as timelines read. */
export function calendar(
  sql: Sql,
  t: T,
  filter: CalendarFilter,
  first: number,
  offset = 0,
): { items: ActivityRow[]; totalCount: number } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (condition: string, value: unknown) => {
    conditions.push(condition);
    params.push(value);
  };
  if (filter.from) add("a.last_day >= ?", filter.from);
  if (filter.to) add("a.first_day <= ?", filter.to);
  if (filter.partnershipId) add("a.partnership_id = ?", filter.partnershipId);
  if (filter.kind) add("a.kind = ?", filter.kind);
  if (filter.status) add("a.status = ?", filter.status);
  if (filter.country) {
    conditions.push(
      `(a.country = ? OR (a.country IS NULL AND a.partnership_id IN (SELECT partnership_id FROM ${t.partnership_countries} WHERE country = ?)))`,
    );
    params.push(filter.country, filter.country);
  }
  const clause = conditions.length ? `WHERE ${conditions.join(" AND ")}` : "";
  const totalCount = sql.get<{ n: number }>(`SELECT count(*) AS n FROM ${t.activities} a ${clause}`, ...params)!.n;
  const items = sql.all<ActivityRow>(
    `SELECT a.id, a.kind, a.partnership_id, a.status, a.title, a.start_on, a.end_on, a.country, a.place, a.people, a.people_more_than, a.details
     FROM ${t.activities} a ${clause}
     ORDER BY a.last_day IS NULL, a.last_day, (julianday(a.last_day) - julianday(a.first_day)), a.id LIMIT ? OFFSET ?`,
    ...params,
    first,
    offset,
  );
  return { items, totalCount };
}

export function getActivity(sql: Sql, t: T, id: string): ActivityRow | undefined {
  return sql.get<ActivityRow>(
    `SELECT id, kind, partnership_id, status, title, start_on, end_on, country, place, people, people_more_than, details FROM ${t.activities} WHERE id = ?`,
    id,
  );
}
