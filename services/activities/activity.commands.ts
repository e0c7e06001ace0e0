/** The activities subgraph's mutations: one row per command (see common/graphql/command-table.ts). */
import { activityCalendar } from "../../projections/read-models/activity-calendar";
import { funding } from "../../projections/read-models/funding";
import { commandResolver, row, type Answer } from "../common/graphql/command-table";
import {
  CancelActivityInput,
  CompleteMissionInput,
  DelegationInput,
  GrantFundingInput,
  PlanMissionInput,
  PostponeMissionInput,
  StartMissionInput,
  TrainingInput,
} from "./activity.input";
import { ActivityPayload, GrantPayload } from "./activity.type";
import { findActivity, findGrant } from "./read";

const activity: Answer<ActivityPayload> = {
  type: ActivityPayload,
  readModel: activityCalendar.name,
  read: async (context, category, id) => ({ activity: (await findActivity(context, category, id))! }),
};

const grant: Answer<GrantPayload> = {
  type: GrantPayload,
  readModel: funding.name,
  read: async (context, _category, id) => ({ grant: (await findGrant(context, id))! }),
};

export const activityCommands = {
  planMission: row("PlanMission", PlanMissionInput, activity, { entityId: "minted" }),
  postponeMission: row("PostponeMission", PostponeMissionInput, activity),
  startMission: row("StartMission", StartMissionInput, activity),
  completeMission: row("CompleteMission", CompleteMissionInput, activity, {
    entityId: "minted",
    description: "Completes a planned or started mission, or records a past mission once, with its historical dates.",
  }),
  cancelMission: row("CancelMission", CancelActivityInput, activity, { entityId: "id" }),
  scheduleDelegation: row("ScheduleDelegation", DelegationInput, activity, { entityId: "minted" }),
  hostDelegation: row("HostDelegation", DelegationInput, activity, {
    entityId: "minted",
    description: "Records a visit hosted: a scheduled one, or a past one recorded once.",
  }),
  cancelDelegation: row("CancelDelegation", CancelActivityInput, activity, { entityId: "id" }),
  scheduleTraining: row("ScheduleTraining", TrainingInput, activity, { entityId: "minted" }),
  recordTraining: row("RecordTraining", TrainingInput, activity, {
    entityId: "minted",
    description: "Records a training given: who was trained, where, how many.",
  }),
  cancelTraining: row("CancelTraining", CancelActivityInput, activity, { entityId: "id" }),
  grantFunding: row("GrantFunding", GrantFundingInput, grant, { entityId: "minted" }),
};

export const ActivityCommandsResolver = commandResolver(activityCommands);
