import { delegationDecider } from "../../domain/activities/delegation.decider";
import { trainingDecider } from "../../domain/activities/training.decider";
import { fundingDecider } from "../../domain/activities/funding.decider";
import type { DelegationEvent, TrainingEvent } from "../../events/catalogue";
import { given } from "../support/decider-spec";

const P = "limoges-china";
const partnership = { partnerships: [{ id: P }] };

describe("delegation decider", () => {
  const D = "limoges-2013";
  const scheduled: DelegationEvent = {
    type: "DelegationScheduled",
    data: {
      delegationId: D,
      partnershipId: P,
      purpose: "Pole organisation",
      origin: { country: "CN", institutions: [] },
      visitors: { count: 8 },
      from: "2013-10-26",
      to: "2013-11-01",
      place: "Limoges",
      source: null,
    },
  };
  const schedule = (data: object = {}) => ({
    type: "ScheduleDelegation" as const,
    data: {
      delegationId: D,
      partnershipId: P,
      purpose: "Pole organisation",
      origin: { country: "CN" },
      visitors: { count: 8 },
      from: "2013-10-26",
      to: "2013-11-01",
      place: "Limoges",
      ...data,
    },
  });

  it("schedules a visit", () => {
    given(delegationDecider, [], partnership).when(schedule()).then([scheduled]);
  });
  it("hosts a scheduled visit, keeping what was scheduled and taking what changed", () => {
    given(delegationDecider, [scheduled])
      .when({ type: "HostDelegation", data: { delegationId: D, visitors: { count: 7 } } })
      .then([{ type: "DelegationHosted", data: { ...scheduled.data, visitors: { count: 7 } } }]);
  });
  it("records a past visit directly", () => {
    given(delegationDecider, [], partnership)
      .when({
        type: "HostDelegation",
        data: { delegationId: "lille-2022", partnershipId: P, purpose: "Maternity", from: "2022-12", place: "Lille" },
      })
      .then([{ type: "DelegationHosted", data: { from: "2022-12", to: null, visitors: null } as never }]);
  });
  it("names registered origin institutions only", () => {
    given(delegationDecider, [], partnership)
      .when(schedule({ origin: { country: "CN", institutions: ["hopital-calmette-kunming"] } }))
      .thenRejects("INSTITUTION_NOT_REGISTERED");
    given(delegationDecider, [], { ...partnership, institutions: ["hopital-calmette-kunming"] })
      .when(schedule({ origin: { country: "CN", institutions: ["hopital-calmette-kunming"] } }))
      .then([
        {
          type: "DelegationScheduled",
          data: { partnershipId: P, origin: { country: "CN", institutions: ["hopital-calmette-kunming"] } },
        },
      ]);
  });
  it("ACTIVITY_DATES_ORDER", () => {
    given(delegationDecider, [], partnership)
      .when(schedule({ to: "2013-10-25" }))
      .thenRejects("ACTIVITY_DATES_ORDER");
  });
  it("ACTIVITY_ALREADY_EXISTS", () => {
    given(delegationDecider, [scheduled], partnership).when(schedule()).thenRejects("ACTIVITY_ALREADY_EXISTS");
  });
  it("ACTIVITY_PARTNERSHIP_TERMINATED for a new schedule", () => {
    given(delegationDecider, [], { partnerships: [{ id: P, status: "terminated" }] })
      .when(schedule())
      .thenRejects("ACTIVITY_PARTNERSHIP_TERMINATED");
  });
  it("FACT_IN_FUTURE: a visit not yet come cannot be hosted", () => {
    given(delegationDecider, [], partnership)
      .when({ type: "HostDelegation", data: { delegationId: D, partnershipId: P, purpose: "x", from: "2027-03" } })
      .thenRejects("FACT_IN_FUTURE");
  });
  it("ACTIVITY_ALREADY_DONE and ACTIVITY_CANCELLED", () => {
    const hosted: DelegationEvent = { ...scheduled, type: "DelegationHosted" } as DelegationEvent;
    const cancelled: DelegationEvent = {
      type: "DelegationCancelled",
      data: { delegationId: D, partnershipId: P, reason: "visas refused", cancelledOn: null },
    };
    given(delegationDecider, [hosted])
      .when({ type: "HostDelegation", data: { delegationId: D } })
      .thenRejects("ACTIVITY_ALREADY_DONE");
    given(delegationDecider, [scheduled])
      .when({ type: "CancelDelegation", data: { delegationId: D, reason: "visas refused" } })
      .then([cancelled]);
    given(delegationDecider, [scheduled, cancelled])
      .when({ type: "HostDelegation", data: { delegationId: D } })
      .thenRejects("ACTIVITY_CANCELLED");
    given(delegationDecider, [hosted])
      .when({ type: "CancelDelegation", data: { delegationId: D, reason: "late" } })
      .thenRejects("ACTIVITY_ALREADY_DONE");
    given(delegationDecider, [])
      .when({ type: "CancelDelegation", data: { delegationId: D, reason: "late" } })
      .thenRejects("NOT_FOUND");
  });
  it("a never-scheduled visit needs its purpose and dates", () => {
    given(delegationDecider, [], partnership)
      .when({ type: "HostDelegation", data: { delegationId: D, partnershipId: P, from: "2022" } })
      .thenRejects("INVALID_INPUT", "purpose");
    given(delegationDecider, [], partnership)
      .when({ type: "HostDelegation", data: { delegationId: D, partnershipId: P, purpose: "x" } })
      .thenRejects("INVALID_INPUT", "from");
  });
});

describe("training decider", () => {
  const T = "tours-2019";
  const recordData = {
    trainingId: T,
    partnershipId: P,
    topic: "Interventional cardiology nursing",
    trainees: "three HOGIP nurses",
    traineeCount: { count: 3 },
    place: "Tours",
    from: "2019",
  };
  it("records who was trained, where, how many", () => {
    given(trainingDecider, [], partnership)
      .when({ type: "RecordTraining", data: recordData })
      .then([
        {
          type: "TrainingRecorded",
          data: { ...recordData, to: null, duration: null, recurrence: null, remote: false, source: null },
        },
      ]);
  });
  it("keeps 'more than ten' as a minimum, not as ten", () => {
    given(trainingDecider, [], partnership)
      .when({ type: "RecordTraining", data: { ...recordData, traineeCount: { count: 10, moreThan: true } } })
      .then([{ type: "TrainingRecorded", data: { traineeCount: { count: 10, moreThan: true } } as never }]);
  });
  it("schedules, then records what was given; cancels what was not", () => {
    const scheduled = given(trainingDecider, [], partnership)
      .when({ type: "ScheduleTraining", data: { ...recordData, from: "2023", remote: true } })
      .then([{ type: "TrainingScheduled", data: { partnershipId: P, from: "2023", remote: true } }]);
    given(trainingDecider, scheduled)
      .when({ type: "RecordTraining", data: { trainingId: T } })
      .then([{ type: "TrainingRecorded", data: { topic: recordData.topic, from: "2023", remote: true } as never }]);
    const cancelled: TrainingEvent = {
      type: "TrainingCancelled",
      data: { trainingId: T, partnershipId: P, reason: "no funding", cancelledOn: "2023-02" },
    };
    given(trainingDecider, scheduled)
      .when({ type: "CancelTraining", data: { trainingId: T, reason: "no funding", cancelledOn: "2023-02" } })
      .then([cancelled]);
    given(trainingDecider, [...scheduled, cancelled])
      .when({ type: "RecordTraining", data: { trainingId: T } })
      .thenRejects("ACTIVITY_CANCELLED");
  });
  it("refuses bad headcounts and dates out of order", () => {
    given(trainingDecider, [], partnership)
      .when({ type: "RecordTraining", data: { ...recordData, traineeCount: { count: -2 } } })
      .thenRejects("INVALID_INPUT", "traineeCount");
    given(trainingDecider, [], partnership)
      .when({ type: "RecordTraining", data: { ...recordData, from: "2019-05", to: "2019-04" } })
      .thenRejects("ACTIVITY_DATES_ORDER");
  });
  it("FACT_IN_FUTURE and ACTIVITY_ALREADY_EXISTS", () => {
    given(trainingDecider, [], partnership)
      .when({ type: "RecordTraining", data: { ...recordData, from: "2030" } })
      .thenRejects("FACT_IN_FUTURE");
    const recorded = given(trainingDecider, [], partnership)
      .when({ type: "RecordTraining", data: recordData })
      .then([{ type: "TrainingRecorded", data: { partnershipId: P, from: recordData.from } }]);
    given(trainingDecider, recorded, partnership)
      .when({ type: "ScheduleTraining", data: recordData })
      .thenRejects("ACTIVITY_ALREADY_EXISTS");
    given(trainingDecider, recorded)
      .when({ type: "RecordTraining", data: recordData })
      .thenRejects("ACTIVITY_ALREADY_DONE");
  });
});

describe("funding decider", () => {
  const F = "montpellier-2016";
  const funders = { ...partnership, institutions: ["expertise-france", "fonds-apchi"] };
  const grant = (data: object = {}) => ({
    type: "GrantFunding" as const,
    data: { fundingId: F, partnershipId: P, funders: ["expertise-france", "fonds-apchi"], grantedOn: "2016", ...data },
  });

  it("records co-funding with no amount when the source states none", () => {
    given(fundingDecider, [], funders)
      .when(grant())
      .then([
        {
          type: "FundingGranted",
          data: {
            fundingId: F,
            partnershipId: P,
            funders: ["expertise-france", "fonds-apchi"],
            amount: null,
            grantedOn: "2016",
            period: null,
            purpose: null,
            source: null,
          },
        },
      ]);
  });
  it("records an amount exactly, in its currency, possibly as a ceiling", () => {
    given(fundingDecider, [], funders)
      .when(grant({ amount: { value: "5200000", currency: "EUR", ceiling: true } }))
      .then([
        { type: "FundingGranted", data: { amount: { value: "5200000", currency: "EUR", ceiling: true } } as never },
      ]);
    given(fundingDecider, [], funders)
      .when(grant({ amount: { value: "1500000", currency: "XOF" } }))
      .then([{ type: "FundingGranted", data: { amount: { value: "1500000", currency: "XOF", ceiling: false } } }]);
  });
  it("FUNDING_AMOUNT_POSITIVE", () => {
    given(fundingDecider, [], funders)
      .when(grant({ amount: { value: "0.00", currency: "EUR" } }))
      .thenRejects("FUNDING_AMOUNT_POSITIVE");
  });
  it.each([
    ["amount.currency", { value: "100", currency: "EURO" }],
    ["amount.currency", { value: "100", currency: "XXX" }],
    ["amount.value", { value: "-5", currency: "EUR" }],
    ["amount.value", { value: "1,5", currency: "EUR" }],
    ["amount.value", { value: "10.5", currency: "XOF" }],
    ["amount.value", { value: "10.505", currency: "EUR" }],
  ])("refuses a bad %s (%p)", (field, amount) => {
    given(fundingDecider, [], funders).when(grant({ amount })).thenRejects("INVALID_INPUT", field);
  });
  it("FUNDING_FUNDER_NOT_REGISTERED", () => {
    given(fundingDecider, [], partnership).when(grant()).thenRejects("FUNDING_FUNDER_NOT_REGISTERED");
  });
  it("needs at least one funder", () => {
    given(fundingDecider, [], funders)
      .when(grant({ funders: [] }))
      .thenRejects("INVALID_INPUT", "funders");
  });
  it("ACTIVITY_DATES_ORDER on the funded period, FACT_IN_FUTURE on the grant", () => {
    given(fundingDecider, [], funders)
      .when(grant({ period: { from: "2023", to: "2022" } }))
      .thenRejects("ACTIVITY_DATES_ORDER");
    given(fundingDecider, [], funders)
      .when(grant({ grantedOn: "2027" }))
      .thenRejects("FACT_IN_FUTURE");
  });
  it("FUNDING_ALREADY_GRANTED and an unknown partnership", () => {
    const granted = given(fundingDecider, [], funders)
      .when(grant())
      .then([{ type: "FundingGranted", data: { fundingId: F, partnershipId: P } }]);
    given(fundingDecider, granted, funders).when(grant()).thenRejects("FUNDING_ALREADY_GRANTED");
    given(fundingDecider, [], { institutions: ["expertise-france", "fonds-apchi"] })
      .when(grant())
      .thenRejects("NOT_FOUND");
  });
});
