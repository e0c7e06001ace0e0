/**
 * Events of activity streams — `mission-<id>`, `delegation-<id>`, `training-<id>`, `funding-<id>` — each
 * linked to a partnership. Events that close an activity carry its full description, so a fact recorded
 * after the event (a 2019 mission recorded today) needs no invented plan.
 */
import type { Headcount, Source } from "./values";

export interface Place {
  readonly country: string | null;
  readonly place: string | null;
}

export interface Duration {
  readonly amount: number;
  readonly unit: "day" | "week" | "month" | "year";
}

export interface MissionDescription {
  readonly purpose: string;
  readonly destination: Place;
  readonly participants: Headcount | null;
  /** How many trips this record covers ("deux missions exploratoires"): 1 unless a source groups them. */
  readonly trips: number;
  readonly duration: Duration | null;
  /** For a standing arrangement ("trois missions par an"). */
  readonly recurrence: string | null;
}

export interface MissionPlanned {
  readonly type: "MissionPlanned";
  readonly data: MissionDescription & {
    readonly missionId: string;
    readonly partnershipId: string;
    readonly plannedStart: string;
    readonly plannedEnd: string | null;
    /** When the plan was made, if known. */
    readonly plannedOn: string | null;
    readonly source: Source | null;
  };
}

export interface MissionPostponed {
  readonly type: "MissionPostponed";
  readonly data: {
    readonly missionId: string;
    readonly partnershipId: string;
    readonly reason: string;
    readonly postponedOn: string | null;
    /** null: postponed with no new date ("reportée à cause du Covid"). */
    readonly plannedStart: string | null;
    readonly plannedEnd: string | null;
    readonly source: Source | null;
  };
}

export interface MissionStarted {
  readonly type: "MissionStarted";
  readonly data: { readonly missionId: string; readonly partnershipId: string; readonly startedOn: string };
}

export interface MissionCompleted {
  readonly type: "MissionCompleted";
  readonly data: MissionDescription & {
    readonly missionId: string;
    readonly partnershipId: string;
    readonly startedOn: string | null;
    readonly completedOn: string;
    readonly outcome: string | null;
    readonly source: Source | null;
  };
}

export interface MissionCancelled {
  readonly type: "MissionCancelled";
  readonly data: {
    readonly missionId: string;
    readonly partnershipId: string;
    readonly reason: string;
    readonly cancelledOn: string | null;
  };
}

export type MissionEvent = MissionPlanned | MissionPostponed | MissionStarted | MissionCompleted | MissionCancelled;

export interface DelegationDescription {
  readonly purpose: string;
  /** Where the visitors come from: their country and, when registered, their institutions. */
  readonly origin: { readonly country: string | null; readonly institutions: readonly string[] };
  readonly visitors: Headcount | null;
  readonly from: string;
  readonly to: string | null;
  readonly place: string | null;
}

export interface DelegationScheduled {
  readonly type: "DelegationScheduled";
  readonly data: DelegationDescription & {
    readonly delegationId: string;
    readonly partnershipId: string;
    readonly source: Source | null;
  };
}

export interface DelegationHosted {
  readonly type: "DelegationHosted";
  readonly data: DelegationDescription & {
    readonly delegationId: string;
    readonly partnershipId: string;
    readonly source: Source | null;
  };
}

export interface DelegationCancelled {
  readonly type: "DelegationCancelled";
  readonly data: {
    readonly delegationId: string;
    readonly partnershipId: string;
    readonly reason: string;
    readonly cancelledOn: string | null;
  };
}

export type DelegationEvent = DelegationScheduled | DelegationHosted | DelegationCancelled;

export interface TrainingDescription {
  readonly topic: string;
  /** Who was trained, as the source says it ("three HOGIP nurses"). */
  readonly trainees: string | null;
  readonly traineeCount: Headcount | null;
  readonly place: string | null;
  readonly from: string;
  readonly to: string | null;
  readonly duration: Duration | null;
  readonly recurrence: string | null;
  readonly remote: boolean;
}

export interface TrainingScheduled {
  readonly type: "TrainingScheduled";
  readonly data: TrainingDescription & {
    readonly trainingId: string;
    readonly partnershipId: string;
    readonly source: Source | null;
  };
}

export interface TrainingRecorded {
  readonly type: "TrainingRecorded";
  readonly data: TrainingDescription & {
    readonly trainingId: string;
    readonly partnershipId: string;
    readonly source: Source | null;
  };
}

export interface TrainingCancelled {
  readonly type: "TrainingCancelled";
  readonly data: {
    readonly trainingId: string;
    readonly partnershipId: string;
    readonly reason: string;
    readonly cancelledOn: string | null;
  };
}

export type TrainingEvent = TrainingScheduled | TrainingRecorded | TrainingCancelled;

export interface Money {
  /** Decimal string: exact, unlike a float. */
  readonly value: string;
  /** ISO 4217. */
  readonly currency: string;
}

/**
 * Funding granted to a partnership. Version 2: several funders (sources show co-funding: "Expertise France et
 * le fonds APCHI"), and an amount that may be a ceiling ("jusqu'à 5,2 millions d'euros"). Version 1 had one
 * `funderId` and a plain amount; see upcasters.ts.
 */
export interface FundingGranted {
  readonly type: "FundingGranted";
  readonly data: {
    readonly fundingId: string;
    readonly partnershipId: string;
    readonly funders: readonly string[];
    readonly amount: (Money & { readonly ceiling: boolean }) | null;
    readonly grantedOn: string;
    readonly period: { readonly from: string; readonly to: string | null } | null;
    readonly purpose: string | null;
    readonly source: Source | null;
  };
}

/** FundingGranted as version 1 stored it. Never written any more; read through the upcaster. */
export interface FundingGrantedV1 {
  readonly type: "FundingGranted";
  readonly data: Omit<FundingGranted["data"], "funders" | "amount"> & {
    readonly funderId: string;
    readonly amount: Money | null;
  };
}

export type FundingEvent = FundingGranted;
