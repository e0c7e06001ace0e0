/** Each read model from an event history (with an upcast v1 event) to exact rows. */
import { openSqliteEventStore } from "../../events/adapters/sqlite/sqlite-event-store";
import type { ProjectionDefinition } from "../../projections/projection";
import { tablesOf } from "../../projections/projection";
import { ReadModelDatabase } from "../../projections/read-model-db";
import { rebuildProjection } from "../../projections/rebuild";
import { activityCalendar, calendar } from "../../projections/read-models/activity-calendar";
import { funding, fundingTotals, grantsOf } from "../../projections/read-models/funding";
import {
  getInstitution,
  institutionDirectory,
  institutionsByCountry,
  listInstitutions,
  membershipsOf,
} from "../../projections/read-models/institution-directory";
import {
  getPartnership,
  listPartnerships,
  partnershipSummary,
} from "../../projections/read-models/partnership-summary";
import { expiringWithin, reviewReminders, reviewsOverdue } from "../../projections/read-models/review-reminders";
import { counters, statistics } from "../../projections/read-models/statistics";
import { writeHistory } from "../support/history";

let rm: ReadModelDatabase;
const t = <N extends string>(definition: ProjectionDefinition<N>) =>
  tablesOf(definition.name, definition.version, definition.tables);

beforeAll(async () => {
  const store = openSqliteEventStore({ path: ":memory:" });
  await writeHistory(store);
  rm = new ReadModelDatabase(":memory:");
  for (const definition of [
    partnershipSummary,
    institutionDirectory,
    reviewReminders,
    activityCalendar,
    funding,
    statistics,
  ] as ProjectionDefinition[]) {
    await rebuildProjection(store, rm, definition, { batchSize: 7 });
  }
  await store.close();
});
afterAll(() => rm.close());

describe("partnership summary", () => {
  it("has one exact row per partnership", () => {
    const { items, totalCount } = listPartnerships(rm, t(partnershipSummary), {}, 10);
    expect(totalCount).toBe(3);
    expect(items).toEqual([
      {
        id: "nimes-taiyuan",
        title: "Nîmes – Taiyuan",
        scope: "international",
        status: "active",
        parties: ["chu-nimes", "hopital-shanxi"],
        countries: ["CN"],
        themes: ["maternal-child-health", "cardiology"],
        cooperation_since: null,
        first_signed_on: "2019-01",
        signed_on: "2019-01",
        expires_on: "2027-06",
        agreements_signed: 1,
        amendments: 0,
        renewals: 1,
        suspended_since: null,
        terminated_on: null,
        last_activity_on: "2022-12",
        last_activity_kind: "funding",
        last_review_on: null,
        last_review_outcome: null,
        next_review_on: null,
        missions: 1,
        delegations: 1,
        trainings: 0,
        fundings: 2,
        milestones: 0,
      },
      {
        id: "tours-hogip",
        title: "Tours – HOGIP",
        scope: "international",
        status: "active",
        parties: ["chu-tours", "hogip"],
        countries: ["SN"],
        themes: ["cardiology"],
        cooperation_since: null,
        first_signed_on: "2018",
        signed_on: "2018",
        expires_on: null,
        agreements_signed: 1,
        amendments: 0,
        renewals: 0,
        suspended_since: null,
        terminated_on: null,
        last_activity_on: "2022",
        last_activity_kind: "funding",
        last_review_on: "2022-06-15",
        last_review_outcome: "continue",
        next_review_on: "2022-12-15",
        missions: 1,
        delegations: 0,
        trainings: 1,
        fundings: 2,
        milestones: 1,
      },
      {
        id: "withdrawn",
        title: "Withdrawn proposal",
        scope: "domestic",
        status: "terminated",
        parties: ["chu-tours", "chu-nimes"],
        countries: ["FR"],
        themes: [],
        cooperation_since: null,
        first_signed_on: null,
        signed_on: null,
        expires_on: null,
        agreements_signed: 0,
        amendments: 0,
        renewals: 0,
        suspended_since: null,
        terminated_on: "2024",
        last_activity_on: null,
        last_activity_kind: null,
        last_review_on: null,
        last_review_outcome: null,
        next_review_on: null,
        missions: 0,
        delegations: 0,
        trainings: 0,
        fundings: 0,
        milestones: 0,
      },
    ]);
  });

  it("filters by theme, country, institution and status, and pages by cursor", () => {
    const ids = (filter: Parameters<typeof listPartnerships>[2]) =>
      listPartnerships(rm, t(partnershipSummary), filter, 10).items.map((p) => p.id);
    expect(ids({ theme: "cardiology" })).toEqual(["nimes-taiyuan", "tours-hogip"]);
    expect(ids({ country: "SN" })).toEqual(["tours-hogip"]);
    expect(ids({ institution: "chu-tours" })).toEqual(["tours-hogip", "withdrawn"]);
    expect(ids({ status: "terminated" })).toEqual(["withdrawn"]);
    expect(ids({ theme: "cardiology", country: "CN" })).toEqual(["nimes-taiyuan"]);
    const first = listPartnerships(rm, t(partnershipSummary), {}, 2);
    expect([first.items.map((p) => p.id), first.hasNextPage, first.totalCount]).toEqual([
      ["nimes-taiyuan", "tours-hogip"],
      true,
      3,
    ]);
    const second = listPartnerships(rm, t(partnershipSummary), {}, 2, "tours-hogip");
    expect([second.items.map((p) => p.id), second.hasNextPage]).toEqual([["withdrawn"], false]);
    expect(getPartnership(rm, t(partnershipSummary), "nope")).toBeUndefined();
  });
});

describe("institution directory", () => {
  it("lists institutions with their partnership counts, renamed ones under their new name", () => {
    const { items } = listInstitutions(rm, t(institutionDirectory), {}, 10);
    expect(items.map((i) => [i.id, i.name, i.kind, i.country, i.partnerships])).toEqual([
      ["afd", "AFD", "funder", "FR", 0],
      ["chu-nimes", "CHU-NIMES", "hospital", "FR", 2],
      ["chu-tours", "CHU-TOURS", "hospital", "FR", 2],
      ["dgos", "DGOS", "funder", "FR", 0],
      ["hogip", "Hôpital Général Idrissa Pouye", "hospital", "SN", 1],
      ["hopital-shanxi", "HOPITAL-SHANXI", "hospital", "CN", 1],
    ]);
    expect(
      listInstitutions(rm, t(institutionDirectory), { country: "FR", kind: "funder" }, 10).items.map((i) => i.id),
    ).toEqual(["afd", "dgos"]);
    expect(getInstitution(rm, t(institutionDirectory), "hogip")).toMatchObject({
      name: "Hôpital Général Idrissa Pouye",
      partnerships: 1,
    });
  });

  it("gives each institution its partnerships with their current status", () => {
    expect(membershipsOf(rm, t(institutionDirectory), "chu-tours")).toEqual([
      { institution_id: "chu-tours", partnership_id: "tours-hogip", title: "Tours – HOGIP", status: "active" },
      { institution_id: "chu-tours", partnership_id: "withdrawn", title: "Withdrawn proposal", status: "terminated" },
    ]);
  });

  it("counts institutions and their partnerships by country", () => {
    expect(institutionsByCountry(rm, t(institutionDirectory))).toEqual([
      { country: "CN", institutions: 1, partnerships: 1 },
      { country: "FR", institutions: 4, partnerships: 3 },
      { country: "SN", institutions: 1, partnerships: 1 },
    ]);
  });
});

describe("activity calendar", () => {
  const ids = (filter: Parameters<typeof calendar>[2]) =>
    calendar(rm, t(activityCalendar), filter, 50).items.map((a) => a.id);

  it("lists activities in date order with their status, dates and place", () => {
    const { items, totalCount } = calendar(rm, t(activityCalendar), {}, 50);
    expect(totalCount).toBe(5);
    expect(
      items.map((a) => [
        a.id,
        a.kind,
        a.status,
        a.start_on,
        a.end_on,
        a.country,
        a.place,
        a.people,
        a.people_more_than,
      ]),
    ).toEqual([
      ["delegation-nimes-d1", "delegation", "completed", "2019-02", null, "CN", "Nîmes", 6, 0],
      ["mission-nimes-1", "mission", "completed", "2019-09-10", "2019-09-20", "CN", "Taiyuan", 4, 0],
      ["training-tours-t1", "training", "completed", "2019", null, null, "Tours", 3, 0],
      ["mission-tours-1", "mission", "completed", null, "2022", "SN", "Dakar", 3, 0],
      ["mission-tours-2", "mission", "cancelled", "2023-04", "2023-05", "SN", "Dakar", null, 0],
    ]);
    expect(JSON.parse(items[1]!.details)).toEqual({
      trips: 1,
      duration: null,
      recurrence: null,
      outcome: "Joint congress held",
    });
  });

  it("filters by dates (overlap), partnership, country (the partnership's when the activity has none), kind and status", () => {
    expect(ids({ from: "2022-01-01" })).toEqual(["mission-tours-1", "mission-tours-2"]);
    expect(ids({ to: "2019-06-30" })).toEqual(["delegation-nimes-d1", "training-tours-t1"]);
    expect(ids({ partnershipId: "nimes-taiyuan" })).toEqual(["delegation-nimes-d1", "mission-nimes-1"]);
    expect(ids({ country: "SN" })).toEqual(["training-tours-t1", "mission-tours-1", "mission-tours-2"]);
    expect(ids({ kind: "mission", status: "completed" })).toEqual(["mission-nimes-1", "mission-tours-1"]);
  });
});

describe("funding", () => {
  it("totals by funder per currency, exactly, counting co-funded grants and ceilings (upcast v1 included)", () => {
    expect(fundingTotals(rm, t(funding), "funder")).toEqual([
      { key: "afd", currency: "EUR", amount: "5000.00", grants: 1, cofunded: 1, includesCeilings: true },
      { key: "afd", currency: "XOF", amount: "1500000", grants: 1, cofunded: 0, includesCeilings: false },
      { key: "dgos", currency: "EUR", amount: "15000.50", grants: 2, cofunded: 1, includesCeilings: true },
      { key: "dgos", currency: null, amount: null, grants: 1, cofunded: 0, includesCeilings: false },
    ]);
  });

  it("totals by year and by partnership", () => {
    expect(fundingTotals(rm, t(funding), "year").map((r) => [r.key, r.currency, r.amount, r.grants])).toEqual([
      ["2018", "EUR", "10000.50", 1],
      ["2018", null, null, 1],
      ["2022", "EUR", "5000.00", 1],
      ["2022", "XOF", "1500000", 1],
    ]);
    expect(fundingTotals(rm, t(funding), "partnership", { partnershipId: "tours-hogip" })).toEqual([
      { key: "tours-hogip", currency: "EUR", amount: "15000.50", grants: 2, cofunded: 0, includesCeilings: true },
    ]);
    expect(fundingTotals(rm, t(funding), "funder", { year: 2018 }).map((r) => r.key)).toEqual(["dgos", "dgos"]);
  });

  it("lists a partnership's grants with the upcast funder list", () => {
    expect(
      grantsOf(rm, t(funding), "tours-hogip").map((g) => [g.id, g.funders, g.amount, g.currency, g.ceiling]),
    ).toEqual([
      ["tours-f1", '["dgos"]', "10000.50", "EUR", 0],
      ["tours-f2", '["dgos","afd"]', "5000", "EUR", 1],
    ]);
  });
});

describe("statistics", () => {
  const of = (dimension: Parameters<typeof counters>[2]) =>
    counters(rm, t(statistics), dimension).map((c) => `${c.key}:${c.metric}=${c.value}`);

  it("counts partnerships by status, country and theme", () => {
    expect(of("status")).toEqual(["active:partnerships=2", "terminated:partnerships=1"]);
    expect(of("country")).toEqual(["CN:partnerships=1", "FR:partnerships=1", "SN:partnerships=1"]);
    expect(of("theme")).toEqual(["cardiology:partnerships=2", "maternal-child-health:partnerships=1"]);
  });

  it("counts agreements signed and renewed per institution", () => {
    expect(of("institution")).toEqual([
      "chu-nimes:agreements_renewed=1",
      "chu-nimes:agreements_signed=1",
      "chu-nimes:partnerships=2",
      "chu-tours:agreements_signed=1",
      "chu-tours:partnerships=2",
      "hogip:agreements_signed=1",
      "hogip:partnerships=1",
      "hopital-shanxi:agreements_renewed=1",
      "hopital-shanxi:agreements_signed=1",
      "hopital-shanxi:partnerships=1",
    ]);
  });

  it("counts activities and agreements by year and by kind (trips count for missions)", () => {
    expect(of("year")).toEqual([
      "2018:agreements_signed=1",
      "2018:fundings_granted=2",
      "2019:agreements_signed=1",
      "2019:delegations_completed=1",
      "2019:missions_completed=1",
      "2019:missions_planned=1",
      "2019:trainings_completed=1",
      "2022:fundings_granted=2",
      "2022:missions_completed=2",
      "2023:missions_planned=1",
      "2024:agreements_renewed=1",
    ]);
    expect(of("activity_kind")).toEqual([
      "delegation:completed=1",
      "funding:granted=4",
      "mission:completed=3",
      "mission:planned=2",
      "training:completed=1",
    ]);
  });
});

describe("review reminders", () => {
  it("names open-ended agreements whose last review is older than the commission's six months", () => {
    expect(reviewsOverdue(rm, t(reviewReminders), "2023-01-10").map((r) => r.partnership_id)).toEqual(["tours-hogip"]);
    expect(reviewsOverdue(rm, t(reviewReminders), "2022-12-01")).toEqual([]);
  });

  it("names agreements expiring within N months", () => {
    expect(expiringWithin(rm, t(reviewReminders), "2027-01-15", 6)).toEqual([
      {
        partnership_id: "nimes-taiyuan",
        title: "Nîmes – Taiyuan",
        status: "active",
        signed_on: "2019-01",
        expires_on: "2027-06",
        last_review_on: null,
        next_review_on: null,
      },
    ]);
    expect(expiringWithin(rm, t(reviewReminders), "2026-01-01", 6)).toEqual([]);
  });
});
