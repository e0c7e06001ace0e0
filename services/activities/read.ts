/** Read-model rows of this subgraph as GraphQL objects. */
import type { GraphQLContext } from "../common/graphql/context";
import { readModels } from "../common/graphql/context";
import { activityCalendar, getActivity, type ActivityRow } from "../../projections/read-models/activity-calendar";
import { funding, getGrant, type GrantRow } from "../../projections/read-models/funding";
import type { Activity, Delegation, Grant, Mission, Training } from "./activity.type";

export function toActivity(row: ActivityRow): Activity {
  const details = JSON.parse(row.details) as Record<string, unknown>;
  const base = {
    id: row.id.slice(row.id.indexOf("-") + 1),
    kind: row.kind,
    partnership: { id: row.partnership_id },
    status: row.status,
    title: row.title,
    startOn: row.start_on,
    endOn: row.end_on,
    country: row.country,
    place: row.place,
    people: row.people === null ? null : { count: row.people, moreThan: row.people_more_than === 1 },
  };
  switch (row.kind) {
    case "mission":
      return {
        ...base,
        trips: details.trips,
        duration: details.duration ?? null,
        recurrence: details.recurrence ?? null,
        outcome: details.outcome ?? null,
      } as Mission;
    case "delegation": {
      const origin = details.origin as { institutions: string[] };
      return { ...base, originInstitutions: origin.institutions.map((id) => ({ id })) } as Delegation;
    }
    case "training":
      return {
        ...base,
        trainees: details.trainees ?? null,
        remote: details.remote === true,
        duration: details.duration ?? null,
        recurrence: details.recurrence ?? null,
      } as Training;
  }
}

export function toGrant(row: GrantRow): Grant {
  return {
    id: row.id,
    partnership: { id: row.partnership_id },
    funders: (JSON.parse(row.funders) as string[]).map((id) => ({ id })),
    amount:
      row.amount === null || row.currency === null
        ? null
        : { value: row.amount, currency: row.currency, ceiling: row.ceiling === 1 },
    grantedOn: row.granted_on,
    purpose: row.purpose,
  };
}

export async function views(context: GraphQLContext) {
  const rm = await readModels(context);
  return {
    rm,
    calendar: context.runtime.runner.tables(activityCalendar),
    funding: context.runtime.runner.tables(funding),
  };
}

/** An activity by kind and id (`mission`, `tours-2019`). */
export async function findActivity(context: GraphQLContext, kind: string, id: string): Promise<Activity | null> {
  const { rm, calendar } = await views(context);
  const row = getActivity(rm, calendar, `${kind}-${id}`);
  return row ? toActivity(row) : null;
}

export async function findGrant(context: GraphQLContext, id: string): Promise<Grant | null> {
  const { rm, funding: tables } = await views(context);
  const row = getGrant(rm, tables, id);
  return row ? toGrant(row) : null;
}
