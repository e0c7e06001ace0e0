/** A mission's commands and state: planned, postponed, started, completed, cancelled. */
import type { Command, Headcount, Source } from "../../decider";
import type { Duration, MissionDescription } from "../../../events/catalogue";
import type { PlaceInput } from "../activity-rules";

export interface DescriptionInput {
  readonly purpose?: string;
  readonly destination?: PlaceInput | null;
  readonly participants?: Headcount | null;
  readonly trips?: number;
  readonly duration?: Duration | null;
  readonly recurrence?: string | null;
}

type MissionCommandOf<Type extends string, Data> = Command<Type, Data & { readonly missionId: string }>;

export type PlanMission = MissionCommandOf<
  "PlanMission",
  DescriptionInput & {
    readonly partnershipId: string;
    readonly purpose: string;
    readonly plannedStart: string;
    readonly plannedEnd?: string | null;
    readonly plannedOn?: string | null;
    readonly source?: Source | null;
  }
>;
export type PostponeMission = MissionCommandOf<
  "PostponeMission",
  {
    readonly reason: string;
    readonly postponedOn?: string | null;
    readonly plannedStart?: string | null;
    readonly plannedEnd?: string | null;
    readonly source?: Source | null;
  }
>;
export type StartMission = MissionCommandOf<"StartMission", { readonly startedOn: string }>;
/** For a mission never planned here, `partnershipId` and `purpose` are required and describe it. */
export type CompleteMission = MissionCommandOf<
  "CompleteMission",
  DescriptionInput & {
    readonly partnershipId?: string;
    readonly startedOn?: string | null;
    readonly completedOn: string;
    readonly outcome?: string | null;
    readonly source?: Source | null;
  }
>;
export type CancelMission = MissionCommandOf<
  "CancelMission",
  { readonly reason: string; readonly cancelledOn?: string | null }
>;

export type MissionCommand = PlanMission | PostponeMission | StartMission | CompleteMission | CancelMission;

export interface Mission {
  readonly status: "planned" | "started" | "completed" | "cancelled";
  readonly id: string;
  readonly partnershipId: string;
  readonly description: MissionDescription;
  readonly plannedStart: string | null;
  readonly plannedEnd: string | null;
  readonly startedOn: string | null;
  readonly completedOn: string | null;
  readonly postponements: number;
}

export type MissionState = { readonly status: "none" } | Mission;
