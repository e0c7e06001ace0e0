/**
 * The event catalogue: every event type Passerelle writes, its current schema version, and the business date
 * each one carries. Readers get events through `upcast` (upcasters.ts), so they only ever see current versions.
 */
import type { AccessEvent } from "./access";
import type { DelegationEvent, FundingEvent, MissionEvent, TrainingEvent } from "./activity";
import type { InstitutionEvent } from "./institution";
import type { PartnershipEvent } from "./partnership";
import type { PersonEvent } from "./person";

export * from "./access";
export * from "./activity";
export * from "./institution";
export * from "./partnership";
export * from "./person";
export * from "./values";

export type PasserelleEvent =
  | InstitutionEvent
  | PartnershipEvent
  | MissionEvent
  | DelegationEvent
  | TrainingEvent
  | FundingEvent
  | AccessEvent
  | PersonEvent;

export type EventType = PasserelleEvent["type"];
export type EventOf<T extends EventType> = Extract<PasserelleEvent, { type: T }>;

/** Current schema version of each event type: what is written today. */
export const CURRENT_VERSION: Readonly<Record<EventType, number>> = {
  InstitutionRegistered: 1,
  InstitutionRenamed: 1,
  PartnershipProposed: 1,
  CooperationStarted: 1,
  MoUSigned: 1,
  AgreementVersionApproved: 1,
  MoUAmended: 1,
  MoURenewed: 1,
  PartnershipSuspended: 1,
  PartnershipResumed: 1,
  PartnershipTerminated: 1,
  CommissionReviewRecorded: 1,
  MilestoneRecorded: 1,
  FactCorrected: 1,
  MissionPlanned: 1,
  MissionPostponed: 1,
  MissionStarted: 1,
  MissionCompleted: 1,
  MissionCancelled: 1,
  DelegationScheduled: 1,
  DelegationHosted: 1,
  DelegationCancelled: 1,
  TrainingScheduled: 1,
  TrainingRecorded: 1,
  TrainingCancelled: 1,
  FundingGranted: 2,
  AccessGranted: 1,
  AccessRevoked: 1,
  PersonRecorded: 1,
  PersonForgotten: 1,
};

export const EVENT_TYPES = Object.keys(CURRENT_VERSION) as EventType[];

export function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(CURRENT_VERSION, type);
}

/** When the event happened in the world, at its source's precision; null when nobody knows. */
export function businessDateOf(event: PasserelleEvent): string | null {
  switch (event.type) {
    case "InstitutionRegistered":
    case "InstitutionRenamed":
    case "AccessGranted":
    case "AccessRevoked":
    case "PersonRecorded":
    case "PersonForgotten":
    case "DelegationScheduled":
    case "TrainingScheduled":
      return null;
    case "CommissionReviewRecorded":
      return event.data.reviewedOn;
    case "PartnershipProposed":
      return event.data.proposedOn;
    case "CooperationStarted":
      return event.data.startedOn;
    case "MoUSigned":
      return event.data.signedOn;
    case "AgreementVersionApproved":
      return event.data.approvedOn;
    case "MoUAmended":
      return event.data.amendedOn;
    case "MoURenewed":
      return event.data.renewedOn;
    case "PartnershipSuspended":
      return event.data.suspendedOn;
    case "PartnershipResumed":
      return event.data.resumedOn;
    case "PartnershipTerminated":
      return event.data.noticeGivenOn;
    case "MilestoneRecorded":
      return event.data.occurredOn;
    case "FactCorrected":
      // A correction dates from the fact it corrects, as corrected.
      return businessDateOf({ type: event.data.corrects.type, data: event.data.after } as PasserelleEvent);
    case "MissionPlanned":
      return event.data.plannedOn;
    case "MissionPostponed":
      return event.data.postponedOn;
    case "MissionStarted":
      return event.data.startedOn;
    case "MissionCompleted":
      return event.data.completedOn;
    case "MissionCancelled":
    case "DelegationCancelled":
    case "TrainingCancelled":
      return event.data.cancelledOn;
    case "DelegationHosted":
    case "TrainingRecorded":
      return event.data.from;
    case "FundingGranted":
      return event.data.grantedOn;
  }
}
