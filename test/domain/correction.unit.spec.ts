/**
 * A correction is a merge patch: what it names changes, `null` clears an optional field, what it omits keeps
 * its value. Checked for every correctable fact type and every optional field, on a history where each fact
 * has every optional field filled.
 */
import {
  partnershipDecider,
  type Partnership,
  type PartnershipCommand,
  type PartnershipState,
} from "../../domain/partnerships/partnership.decider";
import { CORRECTABLE_FACTS, type PartnershipEvent } from "../../events/catalogue";
import { given, known, meta } from "../support/decider-spec";

const P = "nimes-taiyuan";
const parties = ["chu-nimes", "hopital-shanxi"];
const source = { document: "002.txt", quote: "une convention a été signée", dateBasis: "the letter's date" };

/** One fact of each correctable type, every optional field given; index + 1 is the fact's revision. */
const facts: Omit<PartnershipCommand, "metadata">[] = [
  { type: "StartCooperation", data: { partnershipId: P, startedOn: "2015", source } },
  {
    type: "SignMoU",
    data: {
      partnershipId: P,
      signedOn: "2016-05-12",
      expiresOn: "2021-05-12",
      signatories: [{ institutionId: "chu-nimes", person: "A. Martin", role: "Directeur général" }],
      versionHash: "1".repeat(64),
      noticePeriodMonths: 3,
      agreements: 2,
      title: "Convention-cadre",
      place: "Nîmes",
      source,
    },
  },
  {
    type: "AmendMoU",
    data: { partnershipId: P, amendedOn: "2017", versionHash: "2".repeat(64), summary: "Annexe", source },
  },
  {
    type: "RenewMoU",
    data: { partnershipId: P, renewedOn: "2021-05", period: { from: "2021-05-12", to: "2026-05-12" }, source },
  },
  {
    type: "RecordCommissionReview",
    data: {
      partnershipId: P,
      reviewedOn: "2021-06-15",
      outcome: "continue",
      notes: "En bonne voie",
      nextReviewOn: "2022-06-15",
    },
  },
  {
    type: "RecordMilestone",
    data: {
      partnershipId: P,
      occurredOn: "2019",
      summary: "Mission d'évaluation",
      planned: true,
      contextual: true,
      details: { doctors: 8 },
      source,
    },
  },
  { type: "SuspendPartnership", data: { partnershipId: P, suspendedOn: "2020-03", reason: "Covid-19", source } },
  { type: "ResumePartnership", data: { partnershipId: P, resumedOn: "2022", source } },
  {
    type: "TerminatePartnership",
    data: {
      partnershipId: P,
      noticeGivenOn: "2024-01-10",
      effectiveOn: "2024-05-01",
      reason: "Fin du programme",
      source,
    },
  },
];

/** The history those commands decide, from a proposal (revision 0). */
function history(): PartnershipEvent[] {
  const proposal: PartnershipCommand = {
    type: "ProposePartnership",
    data: { partnershipId: P, title: "Nîmes – Taiyuan", scope: "international", parties },
    metadata: meta("c0"),
  };
  const events: PartnershipEvent[] = [];
  let state: PartnershipState = partnershipDecider.initialState;
  [
    proposal,
    ...facts.map((fact, index) => ({ ...fact, metadata: meta(`c${index + 1}`) }) as PartnershipCommand),
  ].forEach((command) => {
    for (const event of partnershipDecider.decide(command, state, known({ institutions: parties }))) {
      events.push(event);
      state = partnershipDecider.evolve(state, event);
    }
  });
  return events;
}

const correct = (revision: number, data: Record<string, unknown>) => ({
  type: "CorrectFact" as const,
  data: { partnershipId: P, revision, data, reason: "Le dossier dit autre chose" },
});

/** The corrected fact's data, as the FactCorrected event stores it. */
function corrected(revision: number, patch: Record<string, unknown>): { before: object; after: object } {
  const [event] = given(partnershipDecider, history())
    .when(correct(revision, patch))
    .then([{ type: "FactCorrected", data: { partnershipId: P, reason: "Le dossier dit autre chose" } }]);
  const { before, after } = (event as Extract<PartnershipEvent, { type: "FactCorrected" }>).data;
  return { before, after };
}

describe("CorrectFact is a merge patch of the fact it corrects", () => {
  it("the history covers every correctable fact type", () => {
    const types = history()
      .slice(1)
      .map((event) => event.type);
    expect(new Set(types)).toEqual(new Set(CORRECTABLE_FACTS));
  });

  // One field each fact type states, changed to a value its rules accept.
  const changes: Array<[string, number, Record<string, unknown>]> = [
    ["CooperationStarted", 1, { startedOn: "2014" }],
    ["MoUSigned", 2, { signedOn: "2016-05-13" }],
    ["MoUAmended", 3, { summary: "Annexe 2" }],
    ["MoURenewed", 4, { renewedOn: "2021-06" }],
    ["CommissionReviewRecorded", 5, { reviewedOn: "2021-06-16" }],
    ["MilestoneRecorded", 6, { summary: "Mission d'évaluation à Taiyuan" }],
    ["PartnershipSuspended", 7, { suspendedOn: "2020-04" }],
    ["PartnershipResumed", 8, { resumedOn: "2021-11" }],
    ["PartnershipTerminated", 9, { reason: "Fin du financement" }],
  ];
  it.each(changes)("%s: the field named changes, every other field keeps its value", (_type, revision, patch) => {
    const { before, after } = corrected(revision, patch);
    expect(after).toEqual({ ...before, ...patch });
    if ("source" in before) expect(after).toHaveProperty("source", source);
  });

  // Every optional field, cleared with null, reads as its default; the rest is kept.
  const cleared: Array<[number, string, Record<string, unknown>, Record<string, unknown>]> = [
    [1, "source", { source: null }, { source: null }],
    [2, "expiresOn", { expiresOn: null }, { expiresOn: null }],
    [2, "signatories", { signatories: null }, { signatories: [] }],
    [2, "versionHash", { versionHash: null }, { versionHash: null }],
    [2, "noticePeriodMonths", { noticePeriodMonths: null }, { noticePeriodMonths: null }],
    [2, "agreements", { agreements: null }, { agreements: 1 }],
    [2, "title", { title: null }, { title: null }],
    [2, "place", { place: null }, { place: null }],
    [2, "source", { source: null }, { source: null }],
    [3, "source", { source: null }, { source: null }],
    [4, "period.to", { period: { to: null } }, { period: { from: "2021-05-12", to: null } }],
    [4, "source", { source: null }, { source: null }],
    [5, "notes", { notes: null }, { notes: null }],
    // The default next review: six months after the review.
    [5, "nextReviewOn", { nextReviewOn: null }, { nextReviewOn: "2021-12-15" }],
    [6, "planned", { planned: null }, { planned: false }],
    [6, "contextual", { contextual: null }, { contextual: false }],
    [6, "details", { details: null }, { details: {} }],
    [6, "source", { source: null }, { source: null }],
    [7, "source", { source: null }, { source: null }],
    [8, "source", { source: null }, { source: null }],
    [9, "source", { source: null }, { source: null }],
  ];
  it.each(cleared)("revision %i: null clears %s to its default", (revision, _field, patch, expected) => {
    const { before, after } = corrected(revision, patch);
    expect(after).toEqual({ ...before, ...expected });
  });

  it("every optional field of every correctable fact is covered above", () => {
    const covered = new Set(cleared.map(([revision, field]) => `${revision}:${field.split(".")[0]}`));
    const required: Record<string, readonly string[]> = {
      StartCooperation: ["startedOn"],
      SignMoU: ["signedOn"],
      AmendMoU: ["amendedOn", "versionHash", "summary"],
      RenewMoU: ["renewedOn"],
      RecordCommissionReview: ["reviewedOn", "outcome"],
      RecordMilestone: ["occurredOn", "summary"],
      SuspendPartnership: ["suspendedOn", "reason"],
      ResumePartnership: ["resumedOn"],
      TerminatePartnership: ["noticeGivenOn", "effectiveOn", "reason"],
    };
    facts.forEach((fact, index) => {
      const optional = Object.keys(fact.data).filter(
        (field) => field !== "partnershipId" && !required[fact.type]!.includes(field),
      );
      for (const field of optional) expect(covered).toContain(`${index + 1}:${field}`);
    });
  });

  it("a patch changes nested fields one by one: period.to alone keeps period.from", () => {
    const { before, after } = corrected(4, { period: { to: "2027-05-12" } });
    expect(after).toEqual({ ...before, period: { from: "2021-05-12", to: "2027-05-12" } });
  });

  it("the corrected fact must still pass the rules: clearing a required field is refused", () => {
    given(partnershipDecider, history())
      .when(correct(7, { reason: null }))
      .thenRejects("INVALID_INPUT", "reason");
    // A required object, cleared whole.
    given(partnershipDecider, history())
      .when(correct(4, { period: null }))
      .thenRejects("INVALID_INPUT", "period");
    given(partnershipDecider, history())
      .when(correct(1, { startedOn: null }))
      .thenRejects("INVALID_INPUT", "startedOn");
  });

  it("a field set to a value of another shape is refused, naming it", () => {
    const when = (patch: Record<string, unknown>) => given(partnershipDecider, history()).when(correct(2, patch));
    when({ signatories: "A. Martin" }).thenRejects("INVALID_INPUT", "data.signatories");
    when({ source: { quote: 42 } }).thenRejects("INVALID_INPUT", "data.source.quote");
    when({ signedOn: 2016 }).thenRejects("INVALID_INPUT", "data.signedOn");
    when({ signatories: [null] }).thenRejects("INVALID_INPUT", "signatories[0]");
    when({ title: 7 }).thenRejects("INVALID_INPUT", "data.title");
    when({ expiresOn: 7 }).thenRejects("INVALID_INPUT", "data.expiresOn");
  });

  it("a correction naming a signatory names a recorded person, not a name in clear; the facts it re-decides keep theirs", () => {
    const when = (patch: Record<string, unknown>) => given(partnershipDecider, history()).when(correct(2, patch));
    when({ signatories: [{ institutionId: "chu-nimes", person: "B. Durand" }] }).thenRejects(
      "INVALID_INPUT",
      "data.signatories[0].person",
    );
    // The agreement at revision 2 was recorded with a name in clear (before people were records): a correction of
    // another of its fields still goes through, and one naming a recorded person (sealed) too.
    expect(() => when({ signedOn: "2016-05" }).thenState()).not.toThrow();
    const person = "⟦sealed:v1:person-durand:AAAA⟧";
    expect(() => when({ signatories: [{ institutionId: "chu-nimes", person }] }).thenState()).not.toThrow();
  });

  it("a second correction patches what the first made the fact say", () => {
    const first = given(partnershipDecider, history())
      .when(correct(8, { resumedOn: "2021-11" }))
      .then([{ type: "FactCorrected", data: { partnershipId: P, reason: "Le dossier dit autre chose" } }]);
    const [second] = given(partnershipDecider, [...history(), ...first])
      .when(correct(8, { source: null }))
      .then([{ type: "FactCorrected", data: { partnershipId: P, reason: "Le dossier dit autre chose" } }]);
    expect(second!.data).toMatchObject({ after: { resumedOn: "2021-11", source: null } });
    const state = [...history(), ...first, second!].reduce(
      partnershipDecider.evolve,
      partnershipDecider.initialState,
    ) as Partnership;
    expect(state.status).toBe("terminated");
  });
});
