import { openSqliteEventStore } from "../events/adapters/sqlite/sqlite-event-store";
import type { EventStore } from "../events/port";
import { handleCommand } from "../services/common/command-handler";
import { loadStream } from "../services/common/load-stream";
import { institutionDecider, type InstitutionCommand } from "../domain/partnerships/institution.decider";
import {
  partnershipDecider,
  type PartnershipCommand,
  type Partnership,
} from "../domain/partnerships/partnership.decider";
import { fundingDecider, type FundingState } from "../domain/activities/funding.decider";
import { missionDecider } from "../domain/activities/mission.decider";
import { collect } from "./support/async";
import { meta } from "./support/decider-spec";

describe("command handler (SQLite in memory)", () => {
  let store: EventStore;
  const register = (institutionId: string, commandId = `reg-${institutionId}`): InstitutionCommand => ({
    type: "RegisterInstitution",
    data: { institutionId, name: institutionId, kind: "hospital", country: "FR" },
    metadata: meta(commandId),
  });
  const propose = (commandId = "prop-1", parties = ["chu-rennes", "hopital-redemption"]): PartnershipCommand => ({
    type: "ProposePartnership",
    data: {
      partnershipId: "rennes-liberia",
      title: "Rennes – Monrovia",
      scope: "international",
      parties,
      countries: ["LR"],
    },
    metadata: meta(commandId),
  });
  const count = async () => (await collect(store.readAll())).length;

  beforeEach(async () => {
    store = openSqliteEventStore({ path: ":memory:" });
    await handleCommand(store, institutionDecider, register("chu-rennes"));
    await handleCommand(store, institutionDecider, register("hopital-redemption"));
  });
  afterEach(() => store.close());

  it("appends the decided events with actor, command id, causation, business date and schema version", async () => {
    await handleCommand(store, partnershipDecider, propose());
    const result = await handleCommand(store, partnershipDecider, {
      type: "StartCooperation",
      data: { partnershipId: "rennes-liberia", startedOn: "2007" },
      metadata: { ...meta("start-1"), correlationId: "corr-9" },
    });
    expect(result).toMatchObject({
      streamId: "partnership-rennes-liberia",
      revision: 1,
      replayed: false,
      state: { status: "active" },
    });
    const [, started] = await collect(store.readStream("partnership-rennes-liberia"));
    expect(started).toMatchObject({
      type: "CooperationStarted",
      version: 1,
      position: result.position,
      metadata: {
        actor: "editor@chu-toulouse.fr",
        commandId: "start-1",
        correlationId: "corr-9",
        causationId: "start-1",
        businessDate: "2007",
      },
    });
  });

  it("knows registered institutions from their streams", async () => {
    await expect(
      handleCommand(store, partnershipDecider, propose("p", ["chu-rennes", "chu-brest"])),
    ).rejects.toMatchObject({
      rule: "PARTNERSHIP_PARTY_NOT_REGISTERED",
    });
    await handleCommand(store, institutionDecider, register("chu-brest"));
    await expect(
      handleCommand(store, partnershipDecider, propose("p2", ["chu-rennes", "chu-brest"])),
    ).resolves.toMatchObject({ revision: 0 });
  });

  it("the same command id twice appends once and returns the original result", async () => {
    const first = await handleCommand(store, partnershipDecider, propose());
    const before = await count();
    const again = await handleCommand(store, partnershipDecider, propose());
    expect(again).toMatchObject({ replayed: true, position: first.position, revision: 0 });
    expect(await count()).toBe(before);
  });

  it("a retry after the stream moved on gets the first result: its revision, position and state", async () => {
    const first = await handleCommand(store, partnershipDecider, propose());
    await handleCommand(store, partnershipDecider, {
      type: "StartCooperation",
      data: { partnershipId: "rennes-liberia", startedOn: "2007" },
      metadata: meta("start-after"),
    });
    const before = await count();
    const again = await handleCommand(store, partnershipDecider, propose());
    const { streamId, revision, position } = first;
    expect(again).toMatchObject({ streamId, revision, position, replayed: true });
    expect(again.state).toMatchObject({ status: "proposed", facts: [{ type: "PartnershipProposed" }] });
    expect(await count()).toBe(before);
  });

  it("the same command id with other input is refused with the first command's position, nothing appended", async () => {
    const first = await handleCommand(store, partnershipDecider, propose());
    const before = await count();
    const changed = {
      ...propose(),
      data: { ...propose().data, title: "Rennes – Monrovia, 2nd try" },
    } as PartnershipCommand;
    await expect(handleCommand(store, partnershipDecider, changed)).rejects.toMatchObject({
      code: "COMMAND_ID_REUSED",
      commandId: "prop-1",
      streamId: "partnership-rennes-liberia",
      position: first.position,
    });
    await expect(
      handleCommand(store, partnershipDecider, {
        ...changed,
        type: "StartCooperation",
        data: { partnershipId: "rennes-liberia", startedOn: "2007" },
      } as PartnershipCommand),
    ).rejects.toMatchObject({ code: "COMMAND_ID_REUSED" });
    expect(await count()).toBe(before);
  });

  it("an event of a type this service does not know is refused by name and position, and never retried", async () => {
    await handleCommand(store, partnershipDecider, propose());
    // A newer replica wrote it during a rolling deploy.
    const newer = await store.appendToStream("partnership-rennes-liberia", [
      {
        type: "PartnershipTwinned",
        data: { partnershipId: "rennes-liberia" },
        metadata: { actor: "v2", commandId: "n1" },
      },
    ]);
    const before = await count();
    const start: PartnershipCommand = {
      type: "StartCooperation",
      data: { partnershipId: "rennes-liberia", startedOn: "2007" },
      metadata: meta("start-blind"),
    };
    const refusal = handleCommand(store, partnershipDecider, start);
    await expect(refusal).rejects.toMatchObject({
      code: "UNKNOWN_EVENT_TYPE",
      event: { type: "PartnershipTwinned", position: newer.position, revision: 1 },
    });
    await expect(refusal).rejects.toThrow(/PartnershipTwinned.*position \d+.*this service is older than the data/);
    expect(await count()).toBe(before);
    // Every other stream stays writable.
    await expect(handleCommand(store, institutionDecider, register("chu-brest"))).resolves.toMatchObject({
      replayed: false,
    });
  });

  it("the same command id sent concurrently appends once", async () => {
    const results = await Promise.all([1, 2, 3, 4].map(() => handleCommand(store, partnershipDecider, propose())));
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(new Set(results.map((r) => r.position)).size).toBe(1);
    expect(await collect(store.readStream("partnership-rennes-liberia"))).toHaveLength(1);
  });

  it("a rejected command appends nothing", async () => {
    await handleCommand(store, partnershipDecider, propose());
    const before = await count();
    await expect(
      handleCommand(store, partnershipDecider, {
        type: "SuspendPartnership",
        data: { partnershipId: "rennes-liberia", suspendedOn: "2020", reason: "Covid" },
        metadata: meta("s"),
      }),
    ).rejects.toMatchObject({ rule: "SUSPEND_NOT_ACTIVE" });
    await expect(
      handleCommand(store, partnershipDecider, {
        type: "SignMoU",
        data: { partnershipId: "nope", signedOn: "2020" },
        metadata: meta("x"),
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      handleCommand(store, partnershipDecider, {
        ...propose("bad-id"),
        data: { ...propose().data, partnershipId: "a b" },
      } as PartnershipCommand),
    ).rejects.toMatchObject({ code: "INVALID_INPUT", field: "partnershipId" });
    expect(await count()).toBe(before);
  });

  it("a stale expected revision is a conflict carrying the actual revision, and appends nothing", async () => {
    await handleCommand(store, partnershipDecider, propose());
    const start = {
      type: "StartCooperation" as const,
      data: { partnershipId: "rennes-liberia", startedOn: "2007" },
      metadata: meta("s1"),
    };
    await handleCommand(store, partnershipDecider, start, { expectedRevision: 0 });
    const before = await count();
    const milestone: PartnershipCommand = {
      type: "RecordMilestone",
      data: { partnershipId: "rennes-liberia", occurredOn: "2020", summary: "Patient-caregiver focus" },
      metadata: meta("m1"),
    };
    await expect(handleCommand(store, partnershipDecider, milestone, { expectedRevision: 0 })).rejects.toMatchObject({
      code: "WRONG_EXPECTED_REVISION",
      actualRevision: 1,
    });
    await expect(
      handleCommand(
        store,
        partnershipDecider,
        { ...propose("new"), data: { ...propose().data } },
        { expectedRevision: -1 },
      ),
    ).rejects.toMatchObject({ actualRevision: 1 });
    expect(await count()).toBe(before);
    await expect(handleCommand(store, partnershipDecider, milestone, { expectedRevision: 1 })).resolves.toMatchObject({
      revision: 2,
    });
  });

  it("concurrent different commands on one stream all land when no revision is pinned", async () => {
    await handleCommand(store, partnershipDecider, propose());
    const milestones = Array.from({ length: 8 }, (_, n): PartnershipCommand => ({
      type: "RecordMilestone",
      data: { partnershipId: "rennes-liberia", occurredOn: "2021", summary: `Workshop ${n}` },
      metadata: meta(`ms-${n}`),
    }));
    const results = await Promise.all(milestones.map((command) => handleCommand(store, partnershipDecider, command)));
    expect(results.map((r) => r.revision).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const { state } = await loadStream(store, partnershipDecider, "partnership-rennes-liberia");
    expect((state as Partnership).milestones).toBe(8);
  });

  it("an activity knows its partnership from the partnership's stream", async () => {
    const plan = {
      type: "PlanMission" as const,
      data: { missionId: "m1", partnershipId: "rennes-liberia", purpose: "Monrovia", plannedStart: "2026" },
      metadata: meta("plan"),
    };
    await expect(handleCommand(store, missionDecider, plan)).rejects.toMatchObject({
      code: "NOT_FOUND",
      entity: "Partnership",
    });
    await handleCommand(store, partnershipDecider, propose());
    await expect(handleCommand(store, missionDecider, plan)).resolves.toMatchObject({ streamId: "mission-m1" });
  });
});

describe("upcasting: stored v1 events are read as v2 everywhere", () => {
  it("a FundingGranted v1 (one funderId) beside a v2 folds into one state with funders[]", async () => {
    const store = openSqliteEventStore({ path: ":memory:" });
    const base = { partnershipId: "p", grantedOn: "2016", period: null, purpose: null, source: null };
    await store.appendToStream("funding-old", [
      {
        type: "FundingGranted",
        version: 1,
        data: { ...base, fundingId: "old", funderId: "dgos", amount: { value: "1000", currency: "EUR" } },
        metadata: { actor: "legacy", commandId: "v1" },
      },
    ]);
    await store.appendToStream("funding-new", [
      {
        type: "FundingGranted",
        version: 2,
        data: { ...base, fundingId: "new", funders: ["dgos", "afd"], amount: null },
        metadata: { actor: "t", commandId: "v2" },
      },
    ]);
    const old = await loadStream(store, fundingDecider, "funding-old");
    expect(old.state as FundingState).toMatchObject({
      status: "granted",
      funders: ["dgos"],
      amount: { value: "1000", currency: "EUR", ceiling: false },
    });
    expect(old.events[0]).toMatchObject({ version: 2 });
    expect(old.events[0]!.data).not.toHaveProperty("funderId");
    const fresh = await loadStream(store, fundingDecider, "funding-new");
    expect(fresh.state as FundingState).toMatchObject({ funders: ["dgos", "afd"], amount: null });
    // The stored event itself is untouched: its hash covers what was written.
    const [stored] = await collect(store.readStream("funding-old"));
    expect(stored).toMatchObject({ version: 1, data: { funderId: "dgos" } });
    await store.close();
  });
});
