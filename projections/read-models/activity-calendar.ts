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

/** A row of the activities table, as written. */
interface StoredActivity {
  id: string;
  kind: ActivityKind;
  partnership_id: string;
  status: ActivityStatus;
  title: string;
  start_on: string | null;
  end_on: string | null;
  first_day: string | null;
  last_day: string | null;
  country: string | null;
  place: string | null;
  people: number | null;
  people_more_than: number;
  details: string;
}

/**
 * The activities the batch being applied changes, as it leaves them (null: not in the table), written once
 * at its end: an activity's planning, start and completion usually come together.
 */
const changed = new Map<string, StoredActivity | null>();

/** The activity as the batch has left it so far, to change in place; undefined when there is none. */
function stored(sql: Sql, tables: CalendarTables, id: string): StoredActivity | undefined {
  if (!changed.has(id)) {
    const row = sql.get<StoredActivity>(`SELECT * FROM ${tables.activities} WHERE id = ?`, id);
    changed.set(id, row ?? null);
  }
  return changed.get(id) ?? undefined;
}

function writeActivities(sql: Sql, tables: CalendarTables): void {
  for (const row of changed.values()) {
    if (!row) continue;
    sql.run(
      `INSERT OR REPLACE INTO ${tables.activities}
         (id, kind, partnership_id, status, title, start_on, end_on, first_day, last_day,
          country, place, people, people_more_than, details)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      row.id,
      row.kind,
      row.partnership_id,
      row.status,
      row.title,
      row.start_on,
      row.end_on,
      row.first_day,
      row.last_day,
      row.country,
      row.place,
      row.people,
      row.people_more_than,
      row.details,
    );
  }
  changed.clear();
}

/** The whole row, replaced: closing events carry the activity's full description. */
function upsert(entry: CalendarEntry): void {
  const { firstDay, lastDay } = span(entry.start, entry.end);
  changed.set(entry.id, {
    id: entry.id,
    kind: entry.kind,
    partnership_id: entry.partnershipId,
    status: entry.status,
    title: entry.title,
    start_on: entry.start,
    end_on: entry.end,
    first_day: firstDay,
    last_day: lastDay,
    country: entry.country,
    place: entry.place,
    people: entry.people?.count ?? null,
    people_more_than: entry.people?.moreThan ? 1 : 0,
    details: json(entry.details),
  });
}

/** The days an activity may fall on: from the first day its start may be to the last its end may be. */
function span(start: string | null, end: string | null): { firstDay: string | null; lastDay: string | null } {
  return { firstDay: days(start ?? end).first, lastDay: days(end ?? start).last };
}

function setStatus(sql: Sql, tables: CalendarTables, id: string, status: ActivityStatus): void {
  const row = stored(sql, tables, id);
  if (row) row.status = status;
}

/** A delegation or a training, scheduled (planned) or recorded as having happened (completed). */
function scheduledActivity(
  status: "planned" | "completed",
  activity: Omit<CalendarEntry, "status" | "start" | "end"> & { readonly from: string; readonly to: string | null },
): void {
  const { from, to, ...entry } = activity;
  upsert({ ...entry, status, start: from, end: to });
}

function delegation(event: DelegationScheduled | DelegationHosted): Parameters<typeof scheduledActivity>[1] {
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

function training(event: TrainingScheduled | TrainingRecorded): Parameters<typeof scheduledActivity>[1] {
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
  batched: { begin: () => changed.clear(), end: writeActivities },
  setup(sql, tables) {
    sql.run(`CREATE TABLE ${tables.activities} (id TEXT PRIMARY KEY, kind TEXT NOT NULL, partnership_id TEXT NOT NULL, status TEXT NOT NULL,
      title TEXT NOT NULL, start_on TEXT, end_on TEXT, first_day TEXT, last_day TEXT, country TEXT, place TEXT,
      people INTEGER, people_more_than INTEGER NOT NULL, details TEXT NOT NULL)`);
    sql.run(
      `CREATE TABLE ${tables.partnership_countries} (partnership_id TEXT NOT NULL, country TEXT NOT NULL, PRIMARY KEY (country, partnership_id))`,
    );
  },
  queryIndexes: (tables) => [
    `CREATE INDEX IF NOT EXISTS ${tables.activities}_days ON ${tables.activities} (first_day, last_day)`,
    `CREATE INDEX IF NOT EXISTS ${tables.activities}_partnership ON ${tables.activities} (partnership_id)`,
  ],
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
    MissionPlanned(event) {
      const mission = event.data;
      upsert({
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
      const row = stored(sql, tables, `mission-${missionId}`);
      if (!row) return;
      const { firstDay, lastDay } = span(plannedStart, plannedEnd);
      Object.assign(row, {
        status: "postponed",
        start_on: plannedStart,
        end_on: plannedEnd,
        first_day: firstDay,
        last_day: lastDay,
      });
    },
    MissionStarted(event, sql, tables) {
      const { missionId, startedOn } = event.data;
      const row = stored(sql, tables, `mission-${missionId}`);
      if (!row) return;
      Object.assign(row, { status: "started", start_on: startedOn, first_day: days(startedOn).first });
    },
    MissionCompleted(event) {
      const mission = event.data;
      upsert({
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
    DelegationScheduled: (event) => scheduledActivity("planned", delegation(event)),
    DelegationHosted: (event) => scheduledActivity("completed", delegation(event)),
    DelegationCancelled(event, sql, tables) {
      setStatus(sql, tables, `delegation-${event.data.delegationId}`, "cancelled");
    },
    TrainingScheduled: (event) => scheduledActivity("planned", training(event)),
    TrainingRecorded: (event) => scheduledActivity("completed", training(event)),
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
