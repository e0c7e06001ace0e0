/** Activity calendar: missions, delegations and trainings, by date, partnership and country. */
import type {
  DelegationHosted,
  DelegationScheduled,
  Headcount,
  TrainingRecorded,
  TrainingScheduled,
} from "../../events/catalogue";
import { defineProjection, type Sql, type Tables } from "../projection";
import { days, json } from "./shared";

type Table = "activities" | "partnership_countries";
type CalendarTables = Tables<Table>;

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

/** An activity as the calendar lists it, before it becomes a row. */
interface CalendarEntry {
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
function upsert(sql: Sql, tables: CalendarTables, entry: CalendarEntry): void {
  sql.run(
    `INSERT OR REPLACE INTO ${tables.activities}
       (id, kind, partnership_id, status, title, start_on, end_on, first_day, last_day,
        country, place, people, people_more_than, details)
     VALUES (@id, @kind, @partnershipId, @status, @title, @start, @end, @firstDay, @lastDay,
        @country, @place, @people, @peopleMoreThan, @details)`,
    {
      ...entry,
      ...span(entry.start, entry.end),
      people: entry.people?.count ?? null,
      peopleMoreThan: entry.people?.moreThan ? 1 : 0,
      details: json(entry.details),
    },
  );
}

/** The days an activity may fall on: from the first day its start may be to the last its end may be. */
function span(start: string | null, end: string | null): { firstDay: string | null; lastDay: string | null } {
  return { firstDay: days(start ?? end).first, lastDay: days(end ?? start).last };
}

function setStatus(sql: Sql, tables: CalendarTables, id: string, status: ActivityStatus): void {
  sql.run(`UPDATE ${tables.activities} SET status = @status WHERE id = @id`, { id, status });
}

/** A delegation or a training, scheduled (planned) or recorded as having happened (completed). */
function scheduledActivity(
  sql: Sql,
  tables: CalendarTables,
  status: "planned" | "completed",
  activity: Omit<CalendarEntry, "status" | "start" | "end"> & { readonly from: string; readonly to: string | null },
): void {
  const { from, to, ...entry } = activity;
  upsert(sql, tables, { ...entry, status, start: from, end: to });
}

function delegation(event: DelegationScheduled | DelegationHosted): Parameters<typeof scheduledActivity>[3] {
  const { delegationId, partnershipId, purpose, from, to, origin, place, visitors } = event.data;
  return {
    id: `delegation-${delegationId}`,
    kind: "delegation",
    partnershipId,
    title: purpose,
    from,
    to,
    country: origin.country,
    place,
    people: visitors,
    details: { origin },
  };
}

function training(event: TrainingScheduled | TrainingRecorded): Parameters<typeof scheduledActivity>[3] {
  const { trainingId, partnershipId, topic, from, to, place, traineeCount, trainees, duration, recurrence, remote } =
    event.data;
  return {
    id: `training-${trainingId}`,
    kind: "training",
    partnershipId,
    title: topic,
    from,
    to,
    country: null,
    place,
    people: traineeCount,
    details: { trainees, duration, recurrence, remote },
  };
}

export const activityCalendar = defineProjection<Table>({
  name: "activity_calendar",
  version: 1,
  tables: ["activities", "partnership_countries"],
  setup(sql, tables) {
    sql.run(`CREATE TABLE ${tables.activities} (id TEXT PRIMARY KEY, kind TEXT NOT NULL, partnership_id TEXT NOT NULL, status TEXT NOT NULL,
      title TEXT NOT NULL, start_on TEXT, end_on TEXT, first_day TEXT, last_day TEXT, country TEXT, place TEXT,
      people INTEGER, people_more_than INTEGER NOT NULL, details TEXT NOT NULL)`);
    sql.run(`CREATE INDEX ${tables.activities}_days ON ${tables.activities} (first_day, last_day)`);
    sql.run(`CREATE INDEX ${tables.activities}_partnership ON ${tables.activities} (partnership_id)`);
    sql.run(
      `CREATE TABLE ${tables.partnership_countries} (partnership_id TEXT NOT NULL, country TEXT NOT NULL, PRIMARY KEY (country, partnership_id))`,
    );
  },
  handlers: {
    PartnershipProposed(event, sql, tables) {
      const { partnershipId, countries } = event.data;
      for (const country of countries) {
        sql.run(`INSERT INTO ${tables.partnership_countries} VALUES (@partnershipId, @country)`, {
          partnershipId,
          country,
        });
      }
    },
    MissionPlanned(event, sql, tables) {
      const mission = event.data;
      upsert(sql, tables, {
        id: `mission-${mission.missionId}`,
        kind: "mission",
        partnershipId: mission.partnershipId,
        status: "planned",
        title: mission.purpose,
        start: mission.plannedStart,
        end: mission.plannedEnd,
        country: mission.destination.country,
        place: mission.destination.place,
        people: mission.participants,
        details: { trips: mission.trips, duration: mission.duration, recurrence: mission.recurrence },
      });
    },
    MissionPostponed(event, sql, tables) {
      const { missionId, plannedStart, plannedEnd } = event.data;
      sql.run(
        `UPDATE ${tables.activities} SET status = 'postponed', start_on = @start, end_on = @end,
           first_day = @firstDay, last_day = @lastDay WHERE id = @id`,
        { id: `mission-${missionId}`, start: plannedStart, end: plannedEnd, ...span(plannedStart, plannedEnd) },
      );
    },
    MissionStarted(event, sql, tables) {
      const { missionId, startedOn } = event.data;
      sql.run(
        `UPDATE ${tables.activities} SET status = 'started', start_on = @startedOn, first_day = @firstDay WHERE id = @id`,
        { id: `mission-${missionId}`, startedOn, firstDay: days(startedOn).first },
      );
    },
    MissionCompleted(event, sql, tables) {
      const mission = event.data;
      upsert(sql, tables, {
        id: `mission-${mission.missionId}`,
        kind: "mission",
        partnershipId: mission.partnershipId,
        status: "completed",
        title: mission.purpose,
        start: mission.startedOn,
        end: mission.completedOn,
        country: mission.destination.country,
        place: mission.destination.place,
        people: mission.participants,
        details: {
          trips: mission.trips,
          duration: mission.duration,
          recurrence: mission.recurrence,
          outcome: mission.outcome,
        },
      });
    },
    MissionCancelled(event, sql, tables) {
      setStatus(sql, tables, `mission-${event.data.missionId}`, "cancelled");
    },
    DelegationScheduled: (event, sql, tables) => scheduledActivity(sql, tables, "planned", delegation(event)),
    DelegationHosted: (event, sql, tables) => scheduledActivity(sql, tables, "completed", delegation(event)),
    DelegationCancelled(event, sql, tables) {
      setStatus(sql, tables, `delegation-${event.data.delegationId}`, "cancelled");
    },
    TrainingScheduled: (event, sql, tables) => scheduledActivity(sql, tables, "planned", training(event)),
    TrainingRecorded: (event, sql, tables) => scheduledActivity(sql, tables, "completed", training(event)),
    TrainingCancelled(event, sql, tables) {
      setStatus(sql, tables, `training-${event.data.trainingId}`, "cancelled");
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
  tables: CalendarTables,
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
      `(a.country = ? OR (a.country IS NULL AND a.partnership_id IN (SELECT partnership_id FROM ${tables.partnership_countries} WHERE country = ?)))`,
    );
    params.push(filter.country, filter.country);
  }
  const clause = conditions.length ? `WHERE ${conditions.join(" AND ")}` : "";
  const totalCount = sql.get<{ n: number }>(`SELECT count(*) AS n FROM ${tables.activities} a ${clause}`, ...params)!.n;
  const items = sql.all<ActivityRow>(
    `SELECT a.id, a.kind, a.partnership_id, a.status, a.title, a.start_on, a.end_on, a.country, a.place, a.people, a.people_more_than, a.details
     FROM ${tables.activities} a ${clause}
     ORDER BY a.last_day IS NULL, a.last_day, (julianday(a.last_day) - julianday(a.first_day)), a.id LIMIT ? OFFSET ?`,
    ...params,
    first,
    offset,
  );
  return { items, totalCount };
}

export function getActivity(sql: Sql, tables: CalendarTables, id: string): ActivityRow | undefined {
  return sql.get<ActivityRow>(
    `SELECT id, kind, partnership_id, status, title, start_on, end_on, country, place, people, people_more_than, details FROM ${tables.activities} WHERE id = ?`,
    id,
  );
}
