/**
 * Every text column of every read model classified as the events' fields are (events/catalogue/classification.ts):
 * what the DPO's record of processing says of the read models. A test opens every projection's tables and fails
 * on a text column missing here, or one listed here that no table has.
 */
import type { DataCategory } from "../events/catalogue/classification";
import type { SERVICE_PROJECTIONS } from "./registry";

/** A column holding an event's data as JSON: its fields are classified as the event's. */
export const AS_EVENT_DATA = "as-event-data";

type Projection = (typeof SERVICE_PROJECTIONS)[keyof typeof SERVICE_PROJECTIONS][number];
type ColumnCategory = DataCategory | typeof AS_EVENT_DATA;
type ReadModelClassification = {
  readonly [P in Projection as P["name"]]: {
    readonly [T in P["tables"][number]]: Readonly<Record<string, ColumnCategory>>;
  };
};

const DATES = (...columns: string[]) =>
  Object.fromEntries(columns.map((column) => [column, "reference"])) as Record<string, "reference">;

export const READ_MODEL_COLUMNS: ReadModelClassification = {
  partnership_summary: {
    partnerships: {
      id: "reference",
      title: "institutional",
      scope: "reference",
      status: "reference",
      parties: "reference",
      countries: "reference",
      themes: "institutional",
      last_activity_kind: "reference",
      last_review_outcome: "reference",
      ...DATES(
        "cooperation_since",
        "first_signed_on",
        "signed_on",
        "expires_on",
        "suspended_since",
        "terminated_on",
        "last_activity_on",
        "last_review_on",
        "next_review_on",
      ),
    },
    parties: { partnership_id: "reference", institution_id: "reference" },
    countries: { partnership_id: "reference", country: "reference" },
    themes: { partnership_id: "reference", theme: "institutional" },
    facts: { partnership_id: "reference", type: "reference", data: AS_EVENT_DATA },
  },
  institution_directory: {
    institutions: {
      id: "reference",
      name: "institutional",
      kind: "reference",
      country: "reference",
      city: "institutional",
    },
    memberships: {
      institution_id: "reference",
      partnership_id: "reference",
      title: "institutional",
      status: "reference",
    },
  },
  review_reminders: {
    agreements: {
      partnership_id: "reference",
      title: "institutional",
      status: "reference",
      ...DATES(
        "signed_on",
        "signed_last_day",
        "expires_on",
        "expires_first_day",
        "expires_last_day",
        "last_review_on",
        "last_review_last_day",
        "next_review_on",
      ),
    },
    facts: { partnership_id: "reference", type: "reference", data: AS_EVENT_DATA },
  },
  access_grants: {
    grants: {
      grantee: "recorder",
      institution_id: "reference",
      granted_at: "reference",
      granted_by: "recorder",
      granted_position: "reference",
      revoked_at: "reference",
      revoked_by: "recorder",
    },
  },
  people: {
    people: {
      id: "reference",
      institution_id: "reference",
      identity: "sealed",
      recorded_at: "reference",
      forgotten_at: "reference",
      basis: "reference",
    },
  },
  activity_calendar: {
    activities: {
      id: "reference",
      kind: "reference",
      partnership_id: "reference",
      status: "reference",
      title: "free-text",
      country: "reference",
      place: "institutional",
      details: AS_EVENT_DATA,
      ...DATES("start_on", "end_on", "first_day", "last_day"),
    },
    partnership_countries: { partnership_id: "reference", country: "reference" },
  },
  funding: {
    grants: {
      id: "reference",
      partnership_id: "reference",
      funders: "reference",
      granted_on: "reference",
      amount: "reference",
      currency: "reference",
      purpose: "free-text",
    },
    grant_funders: { grant_id: "reference", funder_id: "reference" },
  },
  statistics: {
    counters: { dimension: "reference", key: "institutional", metric: "reference" },
    partnerships: { id: "reference", status: "reference", parties: "reference" },
  },
  event_index: {
    entries: { position: "reference", stream_id: "reference", hash: "reference", partnership_id: "reference" },
    partnerships: { id: "reference", parties: "reference", countries: "reference" },
  },
  ledger_tree: {
    leaves: { position: "reference" },
    nodes: {},
  },
};
