import { partnershipDecider, type Partnership } from "../../domain/partnerships/partnership.decider";
import type { PartnershipEvent } from "../../events/catalogue";
import { given, meta } from "../support/decider-spec";

const P = "nimes-taiyuan";
const V1 = "1".repeat(64);
const V2 = "2".repeat(64);
const parties = ["chu-nimes", "hopital-mere-enfant-shanxi"];
const registered = { institutions: parties };

const proposed: PartnershipEvent = {
  type: "PartnershipProposed",
  data: {
    partnershipId: P,
    title: "Nîmes – Taiyuan maternal and child health",
    scope: "international",
    parties,
    themes: ["maternal-child-health"],
    countries: ["CN"],
    versionHash: V1,
    proposedOn: null,
    source: null,
  },
};
const signed = (extra: Partial<Extract<PartnershipEvent, { type: "MoUSigned" }>["data"]> = {}): PartnershipEvent => ({
  type: "MoUSigned",
  data: {
    partnershipId: P,
    signedOn: "2022-12-15",
    expiresOn: null,
    signatories: [],
    versionHash: null,
    noticePeriodMonths: null,
    agreements: 1,
    title: null,
    place: null,
    source: null,
    ...extra,
  },
});
const suspended: PartnershipEvent = {
  type: "PartnershipSuspended",
  data: { partnershipId: P, suspendedOn: "2020-03", reason: "Covid-19", source: null },
};
const terminated: PartnershipEvent = {
  type: "PartnershipTerminated",
  data: {
    partnershipId: P,
    noticeGivenOn: "2024-01-10",
    effectiveOn: "2024-04-10",
    reason: "end of programme",
    source: null,
  },
};
const started: PartnershipEvent = {
  type: "CooperationStarted",
  data: { partnershipId: P, startedOn: "2017-08", source: null },
};

describe("partnership decider", () => {
  describe("ProposePartnership", () => {
    const propose = (data: object = {}) => ({
      type: "ProposePartnership" as const,
      data: {
        partnershipId: P,
        title: "Nîmes – Taiyuan maternal and child health",
        scope: "international" as const,
        parties,
        themes: ["maternal-child-health"],
        countries: ["CN"],
        versionHash: V1,
        ...data,
      },
    });

    it("proposes a partnership between registered institutions", () => {
      given(partnershipDecider, [], registered).when(propose()).then([proposed]);
    });

    it("accepts more than two parties and keeps each once", () => {
      given(partnershipDecider, [], { institutions: [...parties, "dgos"] })
        .when(propose({ parties: ["chu-nimes", "hopital-mere-enfant-shanxi", "dgos", "dgos"] }))
        .then([
          {
            type: "PartnershipProposed",
            data: { parties: ["chu-nimes", "hopital-mere-enfant-shanxi", "dgos"] } as never,
          },
        ]);
    });

    it("PARTNERSHIP_ALREADY_EXISTS", () => {
      given(partnershipDecider, [proposed], registered).when(propose()).thenRejects("PARTNERSHIP_ALREADY_EXISTS");
    });

    it("PARTNERSHIP_TWO_PARTIES", () => {
      given(partnershipDecider, [], registered)
        .when(propose({ parties: ["chu-nimes", "chu-nimes"] }))
        .thenRejects("PARTNERSHIP_TWO_PARTIES");
    });

    it("PARTNERSHIP_PARTY_NOT_REGISTERED names the missing ones", () => {
      const error = given(partnershipDecider, [], { institutions: ["chu-nimes"] })
        .when(propose())
        .thenRejects("PARTNERSHIP_PARTY_NOT_REGISTERED");
      expect(error.message).toContain("hopital-mere-enfant-shanxi");
    });

    it.each([
      ["countries[0]", { countries: ["ZZ"] }],
      ["scope", { scope: "regional" }],
      ["versionHash", { versionHash: "abc" }],
      ["title", { title: "" }],
      ["proposedOn", { proposedOn: "2022-13" }],
      ["partnershipId", { partnershipId: "a/b" }],
    ])("refuses a bad %s", (field, data) => {
      given(partnershipDecider, [], registered).when(propose(data)).thenRejects("INVALID_INPUT", field);
    });

    it("FACT_IN_FUTURE for a proposal dated after today", () => {
      given(partnershipDecider, [], registered)
        .when(propose({ proposedOn: "2027" }))
        .thenRejects("FACT_IN_FUTURE");
    });
  });

  it("any other command on a partnership that does not exist is NOT_FOUND", () => {
    given(partnershipDecider, [])
      .when({ type: "SignMoU", data: { partnershipId: P, signedOn: "2022" } })
      .thenRejects("NOT_FOUND");
  });

  describe("StartCooperation", () => {
    it("makes a proposed partnership active from that date", () => {
      const state = given(partnershipDecider, [proposed])
        .when({ type: "StartCooperation", data: { partnershipId: P, startedOn: "2017-08" } })
        .thenState() as Partnership;
      expect(state).toMatchObject({ status: "active", cooperationSince: "2017-08" });
    });
    it("COOPERATION_ALREADY_STARTED", () => {
      given(partnershipDecider, [proposed, started])
        .when({ type: "StartCooperation", data: { partnershipId: P, startedOn: "2018" } })
        .thenRejects("COOPERATION_ALREADY_STARTED");
    });
    it("refuses a terminated partnership", () => {
      given(partnershipDecider, [proposed, terminated])
        .when({ type: "StartCooperation", data: { partnershipId: P, startedOn: "2018" } })
        .thenRejects("MOU_TERMINATED");
    });
  });

  describe("SignMoU", () => {
    const sign = (data: object = {}) => ({
      type: "SignMoU" as const,
      data: { partnershipId: P, signedOn: "2022-12-15", ...data },
    });

    it("signs, with signatories and their roles, and no expiry", () => {
      const signatories = [{ institutionId: "chu-nimes", person: "Nicolas Best", role: "directeur général" }];
      given(partnershipDecider, [proposed])
        .when(sign({ signatories, noticePeriodMonths: 3 }))
        .then([signed({ signatories, noticePeriodMonths: 3 })]);
    });

    it("a signed partnership is active; a second signature adds an agreement and its terms replace the first's", () => {
      const state = given(partnershipDecider, [proposed, signed({ signedOn: "2013-05-23" })])
        .when(sign({ signedOn: "2018-01-08", expiresOn: "2023" }))
        .thenState() as Partnership;
      expect(state.status).toBe("active");
      expect(state.agreement).toMatchObject({
        firstSignedOn: "2013-05-23",
        signedOn: "2018-01-08",
        expiresOn: "2023",
        signed: 2,
      });
    });

    it("counts several agreements a source reports together", () => {
      const state = given(partnershipDecider, [proposed])
        .when(sign({ signedOn: "2018", agreements: 3 }))
        .thenState() as Partnership;
      expect(state.agreement?.signed).toBe(3);
    });

    it("MOU_SIGN_TERMINATED: no signing of a terminated partnership", () => {
      given(partnershipDecider, [proposed, terminated]).when(sign()).thenRejects("MOU_SIGN_TERMINATED");
    });
    it("MOU_SIGN_SUSPENDED", () => {
      given(partnershipDecider, [proposed, started, suspended]).when(sign()).thenRejects("MOU_SIGN_SUSPENDED");
    });
    it("MOU_EXPIRY_BEFORE_SIGNING", () => {
      given(partnershipDecider, [proposed])
        .when(sign({ expiresOn: "2022-11" }))
        .thenRejects("MOU_EXPIRY_BEFORE_SIGNING");
    });
    it("an expiry in the signing's own year is not definitely before it", () => {
      given(partnershipDecider, [proposed])
        .when(sign({ expiresOn: "2022" }))
        .then([signed({ expiresOn: "2022" })]);
    });
    it("MOU_SIGNATORY_NOT_PARTY", () => {
      given(partnershipDecider, [proposed])
        .when(sign({ signatories: [{ institutionId: "aphp" }] }))
        .thenRejects("MOU_SIGNATORY_NOT_PARTY");
    });
    it("FACT_IN_FUTURE", () => {
      given(partnershipDecider, [proposed])
        .when(sign({ signedOn: "2026-12" }))
        .thenRejects("FACT_IN_FUTURE");
    });
    it.each([
      ["signedOn", { signedOn: "15/12/2022" }],
      ["noticePeriodMonths", { noticePeriodMonths: -1 }],
      ["agreements", { agreements: 0 }],
    ])("refuses a bad %s", (field, data) => {
      given(partnershipDecider, [proposed]).when(sign(data)).thenRejects("INVALID_INPUT", field);
    });
    it("signing a new text version voids approvals of the old one", () => {
      const approved: PartnershipEvent = {
        type: "AgreementVersionApproved",
        data: { partnershipId: P, institutionId: "chu-nimes", versionHash: V1, approvedOn: null, approvedBy: null },
      };
      const state = given(partnershipDecider, [proposed, approved])
        .when(sign({ versionHash: V2 }))
        .thenState() as Partnership;
      expect(state.text).toEqual({ versionHash: V2, approvals: {} });
    });
  });

  describe("ApproveAgreementVersion", () => {
    const approve = (data: object = {}) => ({
      type: "ApproveAgreementVersion" as const,
      data: { partnershipId: P, institutionId: "chu-nimes", versionHash: V1, ...data },
    });

    it("records a party's approval of the exact version it saw", () => {
      const state = given(partnershipDecider, [proposed])
        .when(approve({ approvedBy: "Relations internationales" }))
        .thenState() as Partnership;
      expect(state.text).toEqual({ versionHash: V1, approvals: { "chu-nimes": V1 } });
    });
    it("APPROVAL_NOT_PARTY", () => {
      given(partnershipDecider, [proposed])
        .when(approve({ institutionId: "aphp" }))
        .thenRejects("APPROVAL_NOT_PARTY");
    });
    it("APPROVAL_NO_TEXT", () => {
      const noText = { ...proposed, data: { ...proposed.data, versionHash: null } } as PartnershipEvent;
      given(partnershipDecider, [noText]).when(approve()).thenRejects("APPROVAL_NO_TEXT");
    });
    it("APPROVAL_SUPERSEDED_VERSION: an amendment voids what was approved before it", () => {
      const amended: PartnershipEvent = {
        type: "MoUAmended",
        data: { partnershipId: P, amendedOn: "2023-06", versionHash: V2, summary: "annexe budgétaire", source: null },
      };
      given(partnershipDecider, [proposed, signed(), amended])
        .when(approve({ versionHash: V1 }))
        .thenRejects("APPROVAL_SUPERSEDED_VERSION");
      given(partnershipDecider, [proposed, signed(), amended])
        .when(approve({ versionHash: V2 }))
        .then([{ type: "AgreementVersionApproved", data: { institutionId: "chu-nimes", versionHash: V2 } }]);
    });
    it("APPROVAL_ALREADY_GIVEN", () => {
      const approved: PartnershipEvent = {
        type: "AgreementVersionApproved",
        data: { partnershipId: P, institutionId: "chu-nimes", versionHash: V1, approvedOn: null, approvedBy: null },
      };
      given(partnershipDecider, [proposed, approved]).when(approve()).thenRejects("APPROVAL_ALREADY_GIVEN");
    });
    it("refuses a terminated partnership", () => {
      given(partnershipDecider, [proposed, terminated]).when(approve()).thenRejects("MOU_TERMINATED");
    });
  });

  describe("AmendMoU", () => {
    const amend = (data: object = {}) => ({
      type: "AmendMoU" as const,
      data: { partnershipId: P, amendedOn: "2023-06", versionHash: V2, summary: "Annexe budgétaire 2023", ...data },
    });
    it("amends a signed agreement: new version, approvals void, amendments counted", () => {
      const approved: PartnershipEvent = {
        type: "AgreementVersionApproved",
        data: { partnershipId: P, institutionId: "chu-nimes", versionHash: V1, approvedOn: null, approvedBy: null },
      };
      const state = given(partnershipDecider, [proposed, approved, signed()]).when(amend()).thenState() as Partnership;
      expect(state.text).toEqual({ versionHash: V2, approvals: {} });
      expect(state.agreement?.amendments).toBe(1);
    });
    it("MOU_NOT_SIGNED", () => {
      given(partnershipDecider, [proposed]).when(amend()).thenRejects("MOU_NOT_SIGNED");
    });
    it("MOU_DATE_BEFORE_SIGNING", () => {
      given(partnershipDecider, [proposed, signed()])
        .when(amend({ amendedOn: "2022-11" }))
        .thenRejects("MOU_DATE_BEFORE_SIGNING");
    });
    it("AMENDMENT_SAME_VERSION", () => {
      given(partnershipDecider, [proposed, signed()])
        .when(amend({ versionHash: V1 }))
        .thenRejects("AMENDMENT_SAME_VERSION");
    });
    it("refuses a terminated partnership", () => {
      given(partnershipDecider, [proposed, signed(), terminated]).when(amend()).thenRejects("MOU_TERMINATED");
    });
  });

  describe("RenewMoU", () => {
    const renew = (data: object = {}) => ({
      type: "RenewMoU" as const,
      data: { partnershipId: P, renewedOn: "2025-12", period: { from: "2026", to: "2030" }, ...data },
    });
    it("renews a signed agreement for a new period", () => {
      const state = given(partnershipDecider, [proposed, signed({ expiresOn: "2025-12-15" })])
        .when(renew())
        .thenState() as Partnership;
      expect(state.agreement).toMatchObject({ expiresOn: "2030", renewals: 1, lastRenewedOn: "2025-12" });
    });
    it("renews a suspended one and it stays suspended", () => {
      const state = given(partnershipDecider, [proposed, signed(), suspended]).when(renew()).thenState() as Partnership;
      expect(state.status).toBe("suspended");
    });
    it("MOU_NOT_SIGNED: renewal only of a signed one", () => {
      given(partnershipDecider, [proposed, started]).when(renew()).thenRejects("MOU_NOT_SIGNED");
    });
    it("RENEWAL_PERIOD_ORDER", () => {
      given(partnershipDecider, [proposed, signed()])
        .when(renew({ period: { from: "2026", to: "2025-06" } }))
        .thenRejects("RENEWAL_PERIOD_ORDER");
    });
    it("MOU_DATE_BEFORE_SIGNING", () => {
      given(partnershipDecider, [proposed, signed()])
        .when(renew({ renewedOn: "2021" }))
        .thenRejects("MOU_DATE_BEFORE_SIGNING");
    });
    it("refuses a terminated partnership", () => {
      given(partnershipDecider, [proposed, signed(), terminated]).when(renew()).thenRejects("MOU_TERMINATED");
    });
  });

  describe("SuspendPartnership and ResumePartnership", () => {
    it("suspends an active partnership with its reason", () => {
      given(partnershipDecider, [proposed, started])
        .when({ type: "SuspendPartnership", data: { partnershipId: P, suspendedOn: "2020-03", reason: "Covid-19" } })
        .then([suspended]);
    });
    it.each([
      ["proposed", [proposed]],
      ["suspended", [proposed, started, suspended]],
      ["terminated", [proposed, started, terminated]],
    ])("SUSPEND_NOT_ACTIVE when %s", (_status, history) => {
      given(partnershipDecider, history)
        .when({ type: "SuspendPartnership", data: { partnershipId: P, suspendedOn: "2020", reason: "Covid" } })
        .thenRejects("SUSPEND_NOT_ACTIVE");
    });
    it("resumes a suspended partnership, three years on", () => {
      const state = given(partnershipDecider, [proposed, started, suspended])
        .when({ type: "ResumePartnership", data: { partnershipId: P, resumedOn: "2023-03" } })
        .thenState() as Partnership;
      expect(state).toMatchObject({ status: "active", suspension: null });
    });
    it("RESUME_NOT_SUSPENDED", () => {
      given(partnershipDecider, [proposed, started])
        .when({ type: "ResumePartnership", data: { partnershipId: P, resumedOn: "2023" } })
        .thenRejects("RESUME_NOT_SUSPENDED");
    });
    it("RESUME_BEFORE_SUSPENSION", () => {
      given(partnershipDecider, [proposed, started, suspended])
        .when({ type: "ResumePartnership", data: { partnershipId: P, resumedOn: "2020-02" } })
        .thenRejects("RESUME_BEFORE_SUSPENSION");
    });
    it("resuming within the suspension's own imprecise year is accepted", () => {
      const covid: PartnershipEvent = {
        type: "PartnershipSuspended",
        data: { partnershipId: P, suspendedOn: "2020", reason: "Covid", source: null },
      };
      given(partnershipDecider, [proposed, started, covid])
        .when({ type: "ResumePartnership", data: { partnershipId: P, resumedOn: "2020-09" } })
        .then([{ type: "PartnershipResumed", data: { partnershipId: P, resumedOn: "2020-09", source: null } }]);
    });
  });

  describe("TerminatePartnership", () => {
    const terminate = (data: object = {}) => ({
      type: "TerminatePartnership" as const,
      data: {
        partnershipId: P,
        noticeGivenOn: "2024-01-10",
        effectiveOn: "2024-04-10",
        reason: "end of programme",
        ...data,
      },
    });
    it("terminates, with notice and effective dates", () => {
      given(partnershipDecider, [proposed, signed({ noticePeriodMonths: 3 })])
        .when(terminate())
        .then([terminated]);
    });
    it("TERMINATE_BEFORE_NOTICE: effective no earlier than the notice period allows", () => {
      const error = given(partnershipDecider, [proposed, signed({ noticePeriodMonths: 3 })])
        .when(terminate({ effectiveOn: "2024-04-09" }))
        .thenRejects("TERMINATE_BEFORE_NOTICE");
      expect(error.message).toContain("2024-04-10");
    });
    it("TERMINATE_BEFORE_NOTICE: with no notice period, not before the notice itself", () => {
      given(partnershipDecider, [proposed, signed()])
        .when(terminate({ effectiveOn: "2023-12" }))
        .thenRejects("TERMINATE_BEFORE_NOTICE");
    });
    it("an imprecise notice is judged from its first possible day", () => {
      given(partnershipDecider, [proposed, signed({ noticePeriodMonths: 6 })])
        .when(terminate({ noticeGivenOn: "2024", effectiveOn: "2024-07" }))
        .then([{ type: "PartnershipTerminated", data: { noticeGivenOn: "2024", effectiveOn: "2024-07" } }]);
    });
    it("TERMINATE_ALREADY_TERMINATED", () => {
      given(partnershipDecider, [proposed, terminated]).when(terminate()).thenRejects("TERMINATE_ALREADY_TERMINATED");
    });
    it("a proposal can be withdrawn by terminating it", () => {
      const state = given(partnershipDecider, [proposed]).when(terminate()).thenState();
      expect(state.status).toBe("terminated");
    });
  });

  describe("RecordCommissionReview", () => {
    const review = (data: object = {}) => ({
      type: "RecordCommissionReview" as const,
      data: { partnershipId: P, reviewedOn: "2025-06-12", outcome: "continue" as const, ...data },
    });
    it("records the outcome; the next review defaults to six months on", () => {
      given(partnershipDecider, [proposed, signed()])
        .when(review())
        .then([
          {
            type: "CommissionReviewRecorded",
            data: {
              partnershipId: P,
              reviewedOn: "2025-06-12",
              outcome: "continue",
              notes: null,
              nextReviewOn: "2025-12-12",
            },
          },
        ]);
    });
    it("takes an explicit next review date", () => {
      const state = given(partnershipDecider, [proposed, signed()])
        .when(review({ nextReviewOn: "2026-01" }))
        .thenState() as Partnership;
      expect(state).toMatchObject({
        nextReviewOn: "2026-01",
        lastReview: { reviewedOn: "2025-06-12", outcome: "continue" },
      });
    });
    it("REVIEW_NEXT_NOT_AFTER", () => {
      given(partnershipDecider, [proposed])
        .when(review({ nextReviewOn: "2025-06" }))
        .thenRejects("REVIEW_NEXT_NOT_AFTER");
    });
    it("REVIEW_NEXT_DATE_REQUIRED for a review known only by its year", () => {
      given(partnershipDecider, [proposed])
        .when(review({ reviewedOn: "2025" }))
        .thenRejects("REVIEW_NEXT_DATE_REQUIRED");
    });
    it("REVIEW_TERMINATED", () => {
      given(partnershipDecider, [proposed, terminated]).when(review()).thenRejects("REVIEW_TERMINATED");
    });
    it("refuses an unknown outcome", () => {
      given(partnershipDecider, [proposed])
        .when(review({ outcome: "maybe" }))
        .thenRejects("INVALID_INPUT", "outcome");
    });
  });

  describe("RecordMilestone", () => {
    const milestone = (data: object = {}) => ({
      type: "RecordMilestone" as const,
      data: {
        partnershipId: P,
        occurredOn: "2016",
        summary: "A container of equipment was shipped to Yaoundé.",
        ...data,
      },
    });
    it("records a dated fact with its details and source", () => {
      const source = { document: "002.txt", quote: "Un container a été envoyé en 2016." };
      given(partnershipDecider, [proposed])
        .when(milestone({ details: { containers: 1 }, source }))
        .then([
          {
            type: "MilestoneRecorded",
            data: {
              partnershipId: P,
              occurredOn: "2016",
              summary: "A container of equipment was shipped to Yaoundé.",
              planned: false,
              contextual: false,
              details: { containers: 1 },
              source,
            },
          },
        ]);
    });
    it("a planned milestone may lie in the future; a fact may not", () => {
      given(partnershipDecider, [proposed])
        .when(milestone({ occurredOn: "2027", planned: true }))
        .then([{ type: "MilestoneRecorded", data: { occurredOn: "2027", planned: true } }]);
      given(partnershipDecider, [proposed])
        .when(milestone({ occurredOn: "2027" }))
        .thenRejects("FACT_IN_FUTURE");
    });
    it("refuses details that are not plain values", () => {
      given(partnershipDecider, [proposed])
        .when(milestone({ details: { nested: { a: 1 } } }))
        .thenRejects("INVALID_INPUT", "details.nested");
    });
    it("refuses an empty source quote", () => {
      given(partnershipDecider, [proposed])
        .when(milestone({ source: { document: "002.txt", quote: "" } }))
        .thenRejects("INVALID_INPUT", "source.quote");
    });
  });

  it("decides with the time of the command, not the clock", () => {
    const past = { ...meta("c", "2019-01-01T00:00:00Z") };
    given(partnershipDecider, [proposed])
      .when({ type: "SignMoU", data: { partnershipId: P, signedOn: "2020" }, metadata: past })
      .thenRejects("FACT_IN_FUTURE");
  });
});

describe("CorrectFact: an erroneous fact is corrected by an event that references it", () => {
  // revisions: 0 proposed, 1 started, 2 signed 2022-12-15, 3 suspended 2020-03
  const history = (): PartnershipEvent[] => [proposed, started, signed(), suspended];
  const correct = (data: { revision: number; data: Record<string, unknown>; reason?: string }) => ({
    type: "CorrectFact" as const,
    data: { partnershipId: P, reason: "The dossier gives 2021-12-15", ...data },
  });

  it("replaces the fact's data, keeps what it said before, and the state reads as corrected", () => {
    const [event] = given(partnershipDecider, history())
      .when(correct({ revision: 2, data: { signedOn: "2021-12-15", noticePeriodMonths: 3 } }))
      .then([
        {
          type: "FactCorrected",
          data: {
            partnershipId: P,
            corrects: { revision: 2, type: "MoUSigned" },
            before: signed().data,
            after: { ...signed().data, signedOn: "2021-12-15", noticePeriodMonths: 3 },
            reason: "The dossier gives 2021-12-15",
            source: null,
          },
        } as never,
      ]);
    const state = [...history(), event!].reduce(
      partnershipDecider.evolve,
      partnershipDecider.initialState,
    ) as Partnership;
    expect(state.agreement).toMatchObject({
      signedOn: "2021-12-15",
      firstSignedOn: "2021-12-15",
      noticePeriodMonths: 3,
    });
    expect(state.status).toBe("suspended");
    expect(state.facts).toHaveLength(5);
    expect(state.facts[4]).toBeNull();
  });

  it("a second correction corrects what the first made it say", () => {
    const first = given(partnershipDecider, history())
      .when(correct({ revision: 3, data: { suspendedOn: "2020-04", reason: "Covid-19" } }))
      .then([{ type: "FactCorrected", data: { corrects: { revision: 3, type: "PartnershipSuspended" } } }]);
    const [second] = given(partnershipDecider, [...history(), ...first])
      .when(correct({ revision: 3, data: { suspendedOn: "2020-05", reason: "Covid-19" } }))
      .then([{ type: "FactCorrected", data: { corrects: { revision: 3, type: "PartnershipSuspended" } } }]);
    expect(second!.data).toMatchObject({ before: { suspendedOn: "2020-04" }, after: { suspendedOn: "2020-05" } });
  });

  it("re-decides the corrected history: a correction the rules would refuse is refused", () => {
    // A signing moved after the expiry it states.
    given(partnershipDecider, history())
      .when(correct({ revision: 2, data: { signedOn: "2022-12-15", expiresOn: "2020" } }))
      .thenRejects("MOU_EXPIRY_BEFORE_SIGNING");
    const resumed: PartnershipEvent = {
      type: "PartnershipResumed",
      data: { partnershipId: P, resumedOn: "2021", source: null },
    };
    // A suspension moved after the resumption that follows it.
    given(partnershipDecider, [...history(), resumed])
      .when(correct({ revision: 3, data: { suspendedOn: "2022-06", reason: "Covid" } }))
      .thenRejects("RESUME_BEFORE_SUSPENSION");
  });

  it("refuses unknown revisions, proposals, corrections of corrections and changes that change nothing", () => {
    given(partnershipDecider, history())
      .when(correct({ revision: 9, data: {} }))
      .thenRejects("CORRECTION_UNKNOWN_FACT");
    given(partnershipDecider, history())
      .when(correct({ revision: 0, data: { title: "x" } }))
      .thenRejects("CORRECTION_NOT_CORRECTABLE");
    const first = given(partnershipDecider, history())
      .when(correct({ revision: 3, data: { suspendedOn: "2020-04", reason: "Covid-19" } }))
      .then([{ type: "FactCorrected", data: { corrects: { revision: 3, type: "PartnershipSuspended" } } }]);
    given(partnershipDecider, [...history(), ...first])
      .when(correct({ revision: 4, data: {} }))
      .thenRejects("CORRECTION_NOT_CORRECTABLE");
    given(partnershipDecider, history())
      .when(correct({ revision: 2, data: { signedOn: "2022-12-15" } }))
      .thenRejects("CORRECTION_NO_CHANGE");
    given(partnershipDecider, history())
      .when(correct({ revision: 2, data: { signedOn: "2022-12-15" }, reason: " " }))
      .thenRejects("INVALID_INPUT", "reason");
  });
});

describe("texts the ledger keeps", () => {
  it("refuse NUL and other control characters, and bidirectional overrides; tabs and newlines pass", () => {
    const milestone = (summary: string) => ({
      type: "RecordMilestone" as const,
      data: { partnershipId: P, occurredOn: "2016", summary },
    });
    for (const summary of ["Convention\u0000signée", "Mission\u001b[31m", "Accord \u202Eeégnis\u202C", "x\u2066y"]) {
      given(partnershipDecider, [proposed]).when(milestone(summary)).thenRejects("INVALID_INPUT", "summary");
    }
    given(partnershipDecider, [proposed])
      .when(milestone("Ligne 1\n\tLigne 2"))
      .then([{ type: "MilestoneRecorded", data: { summary: "Ligne 1\n\tLigne 2" } }]);
  });
});
