/** Which decider takes which command: the one table the demo import and generic tooling route through. */
import type { Command, Decider, DomainEvent } from "./decider";
import { institutionDecider, type InstitutionCommand } from "./partnerships/institution.decider";
import { partnershipDecider, type PartnershipCommand } from "./partnerships/partnership.decider";
import { missionDecider, type MissionCommand } from "./activities/mission.decider";
import { delegationDecider, type DelegationCommand } from "./activities/delegation.decider";
import { trainingDecider, type TrainingCommand } from "./activities/training.decider";
import { fundingDecider, type FundingCommand } from "./activities/funding.decider";
import { accessDecider, type AccessCommand } from "./access/access.decider";
import { personDecider, type PersonCommand } from "./people/person.decider";

export type PasserelleCommand =
  | InstitutionCommand
  | PartnershipCommand
  | MissionCommand
  | DelegationCommand
  | TrainingCommand
  | FundingCommand
  | AccessCommand
  | PersonCommand;

export type CommandType = PasserelleCommand["type"];

type AnyDecider = Decider<Command, DomainEvent, unknown>;

const byCategory = {
  institution: institutionDecider,
  partnership: partnershipDecider,
  mission: missionDecider,
  delegation: delegationDecider,
  training: trainingDecider,
  funding: fundingDecider,
  access: accessDecider,
  person: personDecider,
} as const;

export type StreamCategory = keyof typeof byCategory;

/** The stream category of each command type: a literal per key, so types can follow a command to its stream. */
export const CATEGORY_OF = {
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
  GrantAccess: "access",
  RevokeAccess: "access",
  RecordPerson: "person",
  ForgetPerson: "person",
} as const satisfies Record<CommandType, StreamCategory>;

/** The command's data, by command type. */
export type CommandData<T extends CommandType> = Extract<PasserelleCommand, { type: T }>["data"];

/** The field of a command's data that names its entity: `partnershipId` for a partnership's commands. */
export type EntityIdField<T extends CommandType> = `${(typeof CATEGORY_OF)[T]}Id`;

export const COMMAND_TYPES = Object.keys(CATEGORY_OF) as CommandType[];

export function deciderFor(command: Pick<PasserelleCommand, "type">): AnyDecider {
  return deciderOfCategory(CATEGORY_OF[command.type]);
}

export function deciderOfCategory(category: StreamCategory): AnyDecider {
  return byCategory[category] as unknown as AnyDecider;
}
