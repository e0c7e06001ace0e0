/** Which decider takes which command: the one table the demo import and generic tooling route through. */
import type { Command, Decider, DomainEvent } from "./decider";
import { institutionDecider, type InstitutionCommand } from "./partnerships/institution.decider";
import { partnershipDecider, type PartnershipCommand } from "./partnerships/partnership.decider";
import { missionDecider, type MissionCommand } from "./activities/mission.decider";
import { delegationDecider, type DelegationCommand } from "./activities/delegation.decider";
import { trainingDecider, type TrainingCommand } from "./activities/training.decider";
import { fundingDecider, type FundingCommand } from "./activities/funding.decider";

export type PasserelleCommand =
  InstitutionCommand | PartnershipCommand | MissionCommand | DelegationCommand | TrainingCommand | FundingCommand;

export type CommandType = PasserelleCommand["type"];

type AnyDecider = Decider<Command, DomainEvent, unknown>;

const byCategory = {
  institution: institutionDecider,
  partnership: partnershipDecider,
  mission: missionDecider,
  delegation: delegationDecider,
  training: trainingDecider,
  funding: fundingDecider,
} as const;

const CATEGORY_OF: Record<CommandType, keyof typeof byCategory> = {
  RegisterInstitution: "institution",
  RenameInstitution: "institution",
  ProposePartnership: "partnership",
  StartCooperation: "partnership",
  SignMoU: "partnership",
  ApproveAgreementVersion: "partnership",
  AmendMoU: "partnership",
  RenewMoU: "partnership",
  SuspendPartnership: "partnership",
  ResumePartnership: "partnership",
  TerminatePartnership: "partnership",
  RecordCommissionReview: "partnership",
  RecordMilestone: "partnership",
  CorrectFact: "partnership",
  PlanMission: "mission",
  PostponeMission: "mission",
  StartMission: "mission",
  CompleteMission: "mission",
  CancelMission: "mission",
  ScheduleDelegation: "delegation",
  HostDelegation: "delegation",
  CancelDelegation: "delegation",
  ScheduleTraining: "training",
  RecordTraining: "training",
  CancelTraining: "training",
  GrantFunding: "funding",
};

export const COMMAND_TYPES = Object.keys(CATEGORY_OF) as CommandType[];

export function deciderFor(command: PasserelleCommand): AnyDecider {
  return deciderOfCategory(CATEGORY_OF[command.type]);
}

export type StreamCategory = keyof typeof byCategory;

export function deciderOfCategory(category: StreamCategory): AnyDecider {
  return byCategory[category] as unknown as AnyDecider;
}
