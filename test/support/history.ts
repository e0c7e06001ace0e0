/**
 * A small history of real-looking events for read-model tests, written to a store as stored events would be
 * (including one FundingGranted at schema version 1, to be upcast).
 */
import { CURRENT_VERSION, businessDateOf, type PasserelleEvent } from "../../events/catalogue";
import type { EventStore } from "../../events/port";

export interface HistoryEvent {
  readonly stream: string;
  readonly event: PasserelleEvent | { type: string; data: unknown };
  readonly version?: number;
}

const src = null;

export const HISTORY: HistoryEvent[] = [
  ...(["chu-tours", "hogip", "chu-nimes", "hopital-shanxi", "dgos", "afd"] as const).map((id) => ({
    stream: `institution-${id}`,
    event: {
      type: "InstitutionRegistered",
      data: {
        institutionId: id,
        name: id.toUpperCase(),
        kind: id === "dgos" || id === "afd" ? "funder" : "hospital",
        country: id === "hogip" ? "SN" : id === "hopital-shanxi" ? "CN" : "FR",
        city: null,
      },
    } as PasserelleEvent,
  })),
  {
    stream: "institution-hogip",
    event: {
      type: "InstitutionRenamed",
      data: { institutionId: "hogip", name: "Hôpital Général Idrissa Pouye", previousName: "HOGIP" },
    },
  },
  {
    stream: "partnership-tours-hogip",
    event: {
      type: "PartnershipProposed",
      data: {
        partnershipId: "tours-hogip",
        title: "Tours – HOGIP",
        scope: "international",
        parties: ["chu-tours", "hogip"],
        themes: ["cardiology"],
        countries: ["SN"],
        versionHash: null,
        proposedOn: null,
        source: src,
      },
    },
  },
  {
    stream: "partnership-tours-hogip",
    event: {
      type: "MoUSigned",
      data: {
        partnershipId: "tours-hogip",
        signedOn: "2018",
        expiresOn: null,
        signatories: [],
        versionHash: null,
        noticePeriodMonths: null,
        agreements: 1,
        title: null,
        place: null,
        source: src,
      },
    },
  },
  {
    stream: "partnership-nimes-taiyuan",
    event: {
      type: "PartnershipProposed",
      data: {
        partnershipId: "nimes-taiyuan",
        title: "Nîmes – Taiyuan",
        scope: "international",
        parties: ["chu-nimes", "hopital-shanxi"],
        themes: ["maternal-child-health", "cardiology"],
        countries: ["CN"],
        versionHash: null,
        proposedOn: null,
        source: src,
      },
    },
  },
  {
    stream: "partnership-nimes-taiyuan",
    event: {
      type: "MoUSigned",
      data: {
        partnershipId: "nimes-taiyuan",
        signedOn: "2019-01",
        expiresOn: "2024-06",
        signatories: [],
        versionHash: null,
        noticePeriodMonths: 3,
        agreements: 1,
        title: null,
        place: null,
        source: src,
      },
    },
  },
  {
    stream: "mission-nimes-1",
    event: {
      type: "MissionPlanned",
      data: {
        missionId: "nimes-1",
        partnershipId: "nimes-taiyuan",
        purpose: "Congress in Taiyuan",
        destination: { country: "CN", place: "Taiyuan" },
        participants: { count: 4 },
        trips: 1,
        duration: null,
        recurrence: null,
        plannedStart: "2019-09",
        plannedEnd: null,
        plannedOn: null,
        source: src,
      },
    },
  },
  {
    stream: "mission-nimes-1",
    event: {
      type: "MissionStarted",
      data: { missionId: "nimes-1", partnershipId: "nimes-taiyuan", startedOn: "2019-09-10" },
    },
  },
  {
    stream: "mission-nimes-1",
    event: {
      type: "MissionCompleted",
      data: {
        missionId: "nimes-1",
        partnershipId: "nimes-taiyuan",
        purpose: "Congress in Taiyuan",
        destination: { country: "CN", place: "Taiyuan" },
        participants: { count: 4 },
        trips: 1,
        duration: null,
        recurrence: null,
        startedOn: "2019-09-10",
        completedOn: "2019-09-20",
        outcome: "Joint congress held",
        source: src,
      },
    },
  },
  {
    stream: "delegation-nimes-d1",
    event: {
      type: "DelegationHosted",
      data: {
        delegationId: "nimes-d1",
        partnershipId: "nimes-taiyuan",
        purpose: "Visit of the Shanxi hospital",
        origin: { country: "CN", institutions: ["hopital-shanxi"] },
        visitors: { count: 6 },
        from: "2019-02",
        to: null,
        place: "Nîmes",
        source: src,
      },
    },
  },
  {
    stream: "training-tours-t1",
    event: {
      type: "TrainingRecorded",
      data: {
        trainingId: "tours-t1",
        partnershipId: "tours-hogip",
        topic: "Cardiology nursing",
        trainees: "three HOGIP nurses",
        traineeCount: { count: 3 },
        place: "Tours",
        from: "2019",
        to: null,
        duration: null,
        recurrence: null,
        remote: false,
        source: src,
      },
    },
  },
  // Stored by an older version of Passerelle: one funder, no ceiling flag.
  {
    stream: "funding-tours-f1",
    version: 1,
    event: {
      type: "FundingGranted",
      data: {
        fundingId: "tours-f1",
        partnershipId: "tours-hogip",
        funderId: "dgos",
        amount: { value: "10000.50", currency: "EUR" },
        grantedOn: "2018",
        period: null,
        purpose: "Interventional cardiology",
        source: src,
      },
    },
  },
  {
    stream: "partnership-tours-hogip",
    event: {
      type: "PartnershipSuspended",
      data: { partnershipId: "tours-hogip", suspendedOn: "2020", reason: "Covid-19", source: src },
    },
  },
  {
    stream: "mission-tours-1",
    event: {
      type: "MissionCompleted",
      data: {
        missionId: "tours-1",
        partnershipId: "tours-hogip",
        purpose: "Cardiology mission",
        destination: { country: "SN", place: "Dakar" },
        participants: { count: 3 },
        trips: 2,
        duration: null,
        recurrence: null,
        startedOn: null,
        completedOn: "2022",
        outcome: null,
        source: src,
      },
    },
  },
  {
    stream: "partnership-tours-hogip",
    event: { type: "PartnershipResumed", data: { partnershipId: "tours-hogip", resumedOn: "2022-03", source: src } },
  },
  {
    stream: "partnership-tours-hogip",
    event: {
      type: "CommissionReviewRecorded",
      data: {
        partnershipId: "tours-hogip",
        reviewedOn: "2022-06-15",
        outcome: "continue",
        notes: null,
        nextReviewOn: "2022-12-15",
      },
    },
  },
  {
    stream: "funding-tours-f2",
    event: {
      type: "FundingGranted",
      data: {
        fundingId: "tours-f2",
        partnershipId: "tours-hogip",
        funders: ["dgos", "afd"],
        amount: { value: "5000", currency: "EUR", ceiling: true },
        grantedOn: "2022",
        period: null,
        purpose: null,
        source: src,
      },
    },
  },
  {
    stream: "funding-nimes-f1",
    event: {
      type: "FundingGranted",
      data: {
        fundingId: "nimes-f1",
        partnershipId: "nimes-taiyuan",
        funders: ["afd"],
        amount: { value: "1500000", currency: "XOF", ceiling: false },
        grantedOn: "2022-12",
        period: null,
        purpose: null,
        source: src,
      },
    },
  },
  {
    stream: "funding-nimes-f2",
    event: {
      type: "FundingGranted",
      data: {
        fundingId: "nimes-f2",
        partnershipId: "nimes-taiyuan",
        funders: ["dgos"],
        amount: null,
        grantedOn: "2018",
        period: null,
        purpose: null,
        source: src,
      },
    },
  },
  {
    stream: "mission-tours-2",
    event: {
      type: "MissionPlanned",
      data: {
        missionId: "tours-2",
        partnershipId: "tours-hogip",
        purpose: "Spring mission",
        destination: { country: "SN", place: "Dakar" },
        participants: null,
        trips: 1,
        duration: null,
        recurrence: null,
        plannedStart: "2023-04",
        plannedEnd: "2023-05",
        plannedOn: null,
        source: src,
      },
    },
  },
  {
    stream: "mission-tours-2",
    event: {
      type: "MissionCancelled",
      data: { missionId: "tours-2", partnershipId: "tours-hogip", reason: "No visas", cancelledOn: "2023-03" },
    },
  },
  {
    stream: "partnership-nimes-taiyuan",
    event: {
      type: "MoURenewed",
      data: {
        partnershipId: "nimes-taiyuan",
        renewedOn: "2024-05",
        period: { from: "2024-06", to: "2027-06" },
        source: src,
      },
    },
  },
  {
    stream: "partnership-withdrawn",
    event: {
      type: "PartnershipProposed",
      data: {
        partnershipId: "withdrawn",
        title: "Withdrawn proposal",
        scope: "domestic",
        parties: ["chu-tours", "chu-nimes"],
        themes: [],
        countries: ["FR"],
        versionHash: null,
        proposedOn: null,
        source: src,
      },
    },
  },
  {
    stream: "partnership-withdrawn",
    event: {
      type: "PartnershipTerminated",
      data: {
        partnershipId: "withdrawn",
        noticeGivenOn: "2024",
        effectiveOn: "2024",
        reason: "Withdrawn",
        source: src,
      },
    },
  },
  {
    stream: "partnership-tours-hogip",
    event: {
      type: "MilestoneRecorded",
      data: {
        partnershipId: "tours-hogip",
        occurredOn: "1989",
        summary: "HOGIP founded",
        planned: false,
        contextual: true,
        details: {},
        source: src,
      },
    },
  },
];

/** Appends the history (or the given events), each as its own append, in order. */
export async function writeHistory(store: EventStore, events: readonly HistoryEvent[] = HISTORY): Promise<string> {
  let position = "0";
  for (const [index, { stream, event, version }] of events.entries()) {
    const current = event as PasserelleEvent;
    const result = await store.appendToStream(stream, [
      {
        type: event.type,
        data: event.data,
        version: version ?? CURRENT_VERSION[current.type] ?? 1,
        metadata: { actor: "history", commandId: `h${index}`, businessDate: version ? null : businessDateOf(current) },
      },
    ]);
    position = result.position;
  }
  return position;
}
