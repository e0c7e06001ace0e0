/**
 * Properties over any sequence of commands: accepted events replayed from zero give the state reached one by
 * one; evolve never throws on accepted histories; a rejected command changes nothing and fails only with a
 * domain error.
 */
import fc from "fast-check";
import { DomainError } from "../../domain/decider";
import { deciderOfCategory, type PasserelleCommand, type StreamCategory } from "../../domain/deciders";
import { PureWorld } from "../support/pure-world";
import { NOW } from "../support/decider-spec";

const institutions = ["i1", "i2", "i3"];
const partnerships = ["p1", "p2"];
const date = fc.constantFrom(
  "2018",
  "2019-05",
  "2019-05-12",
  "2020",
  "2021-03-01",
  "2022",
  "2024-06",
  "2026-11-23",
  "2027",
);
const maybeDate = fc.option(date, { nil: undefined });
const text = fc.constantFrom("Covid-19", "Annexe budgétaire", " ", "Coopération hospitalière");
const hash = fc.constantFrom("1".repeat(64), "2".repeat(64), "not-a-hash");
const pid = fc.constantFrom(...partnerships);
const iid = fc.constantFrom(...institutions, "unknown");
const missionId = fc.constantFrom("m1", "m2");

type Unsent = PasserelleCommand extends infer C ? (C extends PasserelleCommand ? Omit<C, "metadata"> : never) : never;

const unsent: fc.Arbitrary<Unsent> = fc.oneof(
  fc.record({
    type: fc.constant("RegisterInstitution"),
    data: fc.record({
      institutionId: iid,
      name: text,
      kind: fc.constantFrom("hospital", "ngo", "funder"),
      country: fc.constantFrom("FR", "SN", "ZZ", null),
    }),
  }),
  fc.record({ type: fc.constant("RenameInstitution"), data: fc.record({ institutionId: iid, name: text }) }),
  fc.record({
    type: fc.constant("ProposePartnership"),
    data: fc.record({
      partnershipId: pid,
      title: text,
      scope: fc.constantFrom("domestic", "international"),
      parties: fc.subarray([...institutions, "unknown"]),
      countries: fc.subarray(["SN", "CN", "XX"]),
      versionHash: fc.option(hash, { nil: undefined }),
    }),
  }),
  fc.record({ type: fc.constant("StartCooperation"), data: fc.record({ partnershipId: pid, startedOn: date }) }),
  fc.record({
    type: fc.constant("SignMoU"),
    data: fc.record({
      partnershipId: pid,
      signedOn: date,
      expiresOn: maybeDate,
      noticePeriodMonths: fc.option(fc.integer({ min: -1, max: 12 }), { nil: undefined }),
      versionHash: fc.option(hash, { nil: undefined }),
    }),
  }),
  fc.record({
    type: fc.constant("ApproveAgreementVersion"),
    data: fc.record({ partnershipId: pid, institutionId: iid, versionHash: hash }),
  }),
  fc.record({
    type: fc.constant("AmendMoU"),
    data: fc.record({ partnershipId: pid, amendedOn: date, versionHash: hash, summary: text }),
  }),
  fc.record({
    type: fc.constant("RenewMoU"),
    data: fc.record({ partnershipId: pid, renewedOn: date, period: fc.record({ from: date, to: maybeDate }) }),
  }),
  fc.record({
    type: fc.constant("SuspendPartnership"),
    data: fc.record({ partnershipId: pid, suspendedOn: date, reason: text }),
  }),
  fc.record({ type: fc.constant("ResumePartnership"), data: fc.record({ partnershipId: pid, resumedOn: date }) }),
  fc.record({
    type: fc.constant("TerminatePartnership"),
    data: fc.record({ partnershipId: pid, noticeGivenOn: date, effectiveOn: date, reason: text }),
  }),
  fc.record({
    type: fc.constant("RecordCommissionReview"),
    data: fc.record({
      partnershipId: pid,
      reviewedOn: date,
      outcome: fc.constantFrom("continue", "renew"),
      nextReviewOn: maybeDate,
    }),
  }),
  fc.record({
    type: fc.constant("RecordMilestone"),
    data: fc.record({ partnershipId: pid, occurredOn: date, summary: text, planned: fc.boolean() }),
  }),
  // Corrections need an earlier fact at the revision they name: weighted up so enough of them land.
  {
    weight: 5,
    arbitrary: fc.record({
      type: fc.constant("CorrectFact"),
      data: fc.record({
        partnershipId: pid,
        revision: fc.integer({ min: 0, max: 4 }),
        reason: text,
        data: fc.record({
          startedOn: date,
          signedOn: date,
          suspendedOn: date,
          resumedOn: date,
          occurredOn: date,
          reviewedOn: date,
          outcome: fc.constant("continue"),
          summary: text,
          reason: text,
        }),
      }),
    }),
  },
  fc.record({
    type: fc.constant("PlanMission"),
    data: fc.record({ missionId, partnershipId: pid, purpose: text, plannedStart: date, plannedEnd: maybeDate }),
  }),
  fc.record({
    type: fc.constant("PostponeMission"),
    data: fc.record({ missionId, reason: text, plannedStart: maybeDate }),
  }),
  fc.record({ type: fc.constant("StartMission"), data: fc.record({ missionId, startedOn: date }) }),
  fc.record({
    type: fc.constant("CompleteMission"),
    data: fc.record({
      missionId,
      partnershipId: fc.option(pid, { nil: undefined }),
      purpose: fc.option(text, { nil: undefined }),
      completedOn: date,
      startedOn: maybeDate,
    }),
  }),
  fc.record({ type: fc.constant("CancelMission"), data: fc.record({ missionId, reason: text }) }),
  fc.record({
    type: fc.constant("ScheduleDelegation"),
    data: fc.record({ delegationId: fc.constant("d1"), partnershipId: pid, purpose: text, from: date, to: maybeDate }),
  }),
  fc.record({
    type: fc.constant("HostDelegation"),
    data: fc.record({
      delegationId: fc.constant("d1"),
      partnershipId: fc.option(pid, { nil: undefined }),
      purpose: fc.option(text, { nil: undefined }),
      from: maybeDate,
    }),
  }),
  fc.record({
    type: fc.constant("CancelDelegation"),
    data: fc.record({ delegationId: fc.constant("d1"), reason: text }),
  }),
  fc.record({
    type: fc.constant("ScheduleTraining"),
    data: fc.record({ trainingId: fc.constant("t1"), partnershipId: pid, topic: text, from: date }),
  }),
  fc.record({
    type: fc.constant("RecordTraining"),
    data: fc.record({
      trainingId: fc.constant("t1"),
      partnershipId: fc.option(pid, { nil: undefined }),
      topic: fc.option(text, { nil: undefined }),
      from: maybeDate,
    }),
  }),
  fc.record({ type: fc.constant("CancelTraining"), data: fc.record({ trainingId: fc.constant("t1"), reason: text }) }),
  fc.record({
    type: fc.constant("GrantFunding"),
    data: fc.record({
      fundingId: fc.constantFrom("f1", "f2"),
      partnershipId: pid,
      funders: fc.subarray(institutions),
      grantedOn: date,
      amount: fc.option(
        fc.record({ value: fc.constantFrom("0", "12.5", "1000"), currency: fc.constantFrom("EUR", "XOF", "ABC") }),
        { nil: undefined },
      ),
    }),
  }),
) as fc.Arbitrary<Unsent>;

const setupMetadata = (commandId: string) => ({ commandId, actor: "prop", now: NOW });
/** Registered institutions and two proposed partnerships, so random commands have something to act on. */
const SETUP: PasserelleCommand[] = [
  ...institutions.map((institutionId): PasserelleCommand => ({
    type: "RegisterInstitution",
    data: { institutionId, name: institutionId, kind: "hospital" },
    metadata: setupMetadata(`setup-${institutionId}`),
  })),
  {
    type: "ProposePartnership",
    data: {
      partnershipId: "p1",
      title: "P1",
      scope: "international",
      parties: ["i1", "i2"],
      versionHash: "1".repeat(64),
    },
    metadata: setupMetadata("setup-p1"),
  },
  {
    type: "ProposePartnership",
    data: { partnershipId: "p2", title: "P2", scope: "domestic", parties: ["i2", "i3"] },
    metadata: setupMetadata("setup-p2"),
  },
];

const commandSequence = fc
  .array(
    fc
      .tuple(unsent, fc.integer({ min: 0, max: 300 }))
      .map(
        ([command, id]) =>
          ({ ...command, metadata: { commandId: `c${id}`, actor: "prop", now: NOW } }) as PasserelleCommand,
      ),
    { minLength: 10, maxLength: 60 },
  )
  .map((commands) => [...SETUP, ...commands]);

/** Everything a world holds, as comparable JSON. */
const snapshot = (world: PureWorld) =>
  JSON.stringify([...world.streams.entries()].map(([id, s]) => [id, s.events, s.state, [...s.commandIds]]));

function replay(world: PureWorld): void {
  for (const [streamId, stream] of world.streams) {
    const decider = deciderOfCategory(streamId.slice(0, streamId.indexOf("-")) as StreamCategory);
    expect(stream.events.reduce(decider.evolve, decider.initialState)).toEqual(stream.state);
  }
}

describe("decider properties", () => {
  it("accepted events replayed from zero give the state reached one by one, and evolve never throws", () => {
    fc.assert(
      fc.property(commandSequence, (commands) => {
        const world = new PureWorld();
        for (const command of commands) {
          try {
            world.execute(command);
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
          }
        }
        replay(world);
      }),
      { numRuns: 300 },
    );
  });

  it("a rejected command appends nothing, changes no state, and fails with a domain error only", () => {
    fc.assert(
      fc.property(commandSequence, (commands) => {
        const world = new PureWorld();
        let rejected = 0;
        for (const command of commands) {
          const before = snapshot(world);
          try {
            world.execute(command);
          } catch (error) {
            expect(error).toBeInstanceOf(DomainError);
            expect(snapshot(world)).toEqual(before);
            rejected += 1;
          }
        }
        return rejected >= 0;
      }),
      { numRuns: 300 },
    );
  });

  it("the generated sequences exercise both outcomes", () => {
    let accepted = 0;
    let rejected = 0;
    let corrections = 0;
    fc.assert(
      fc.property(commandSequence, (commands) => {
        const world = new PureWorld();
        for (const command of commands) {
          try {
            const events = world.execute(command);
            accepted += events.length > 0 ? 1 : 0;
            corrections += events.filter((e) => e.type === "FactCorrected").length;
          } catch {
            rejected += 1;
          }
        }
      }),
      { numRuns: 200 },
    );
    // Beyond the setup's 5 commands a run, both outcomes must be common, or the properties above prove little.
    expect(accepted - 5 * 200).toBeGreaterThan(500);
    expect(rejected).toBeGreaterThan(1000);
    expect(corrections).toBeGreaterThan(10);
  });
});
