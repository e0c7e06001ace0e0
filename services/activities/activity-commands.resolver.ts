/** Mutations of the activities subgraph: one per command, each thin — validate, handle, read back. */
import { Arg, Authorized, Ctx, ID, Int, Mutation, Resolver } from "type-graphql";
import type { Command, Decider, DomainEvent } from "../../domain/decider";
import { activityCalendar } from "../../projections/read-models/activity-calendar";
import { funding } from "../../projections/read-models/funding";
import { COMMAND_ID, EXPECTED, executeCommand, plain } from "../common/graphql/commands";
import type { GraphQLContext } from "../common/graphql/context";
import { idFromCommand } from "../common/ids";
import { delegationDecider, type DelegationCommand } from "../../domain/activities/delegation.decider";
import { fundingDecider } from "../../domain/activities/funding.decider";
import { missionDecider, type MissionCommand } from "../../domain/activities/mission.decider";
import { trainingDecider, type TrainingCommand } from "../../domain/activities/training.decider";
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

async function activityCommand<C extends Command, E extends DomainEvent, S>(
  context: GraphQLContext,
  decider: Decider<C, E, S>,
  command: Omit<C, "metadata">,
  commandId: string,
  expectedRevision?: number | null,
): Promise<ActivityPayload> {
  const result = await executeCommand(context, decider, command, commandId, expectedRevision, activityCalendar.name);
  const activity = await findActivity(context, decider.category, decider.entityId(command as C));
  return { activity: activity!, revision: result.revision, position: result.position, replayed: result.replayed };
}

type Unsent<C> = Omit<C, "metadata">;

@Resolver()
export class ActivityCommandsResolver {
  @Authorized("editor")
  @Mutation(() => ActivityPayload)
  planMission(
    @Ctx() context: GraphQLContext,
    @Arg("commandId", () => ID, COMMAND_ID) commandId: string,
    @Arg("input") input: PlanMissionInput,
    @Arg("expectedRevision", () => Int, EXPECTED) expectedRevision?: number,
  ) {
    const data = { ...plain(input), missionId: input.missionId ?? idFromCommand(commandId, "mission") };
    return activityCommand(
      context,
      missionDecider,
      { type: "PlanMission", data } as Unsent<MissionCommand>,
      commandId,
      expectedRevision,
    );
  }

  @Authorized("editor")
  @Mutation(() => ActivityPayload)
  postponeMission(
    @Ctx() context: GraphQLContext,
    @Arg("commandId", () => ID, COMMAND_ID) commandId: string,
    @Arg("input") input: PostponeMissionInput,
    @Arg("expectedRevision", () => Int, EXPECTED) expectedRevision?: number,
  ) {
    return activityCommand(
      context,
      missionDecider,
      { type: "PostponeMission", data: plain(input) } as Unsent<MissionCommand>,
      commandId,
      expectedRevision,
    );
  }

  @Authorized("editor")
  @Mutation(() => ActivityPayload)
  startMission(
    @Ctx() context: GraphQLContext,
    @Arg("commandId", () => ID, COMMAND_ID) commandId: string,
    @Arg("input") input: StartMissionInput,
    @Arg("expectedRevision", () => Int, EXPECTED) expectedRevision?: number,
  ) {
    return activityCommand(
      context,
      missionDecider,
      { type: "StartMission", data: plain(input) } as Unsent<MissionCommand>,
      commandId,
      expectedRevision,
    );
  }

  @Authorized("editor")
  @Mutation(() => ActivityPayload, {
    description: "Completes a planned or started mission, or records a past mission once, with its historical dates.",
  })
  completeMission(
    @Ctx() context: GraphQLContext,
    @Arg("commandId", () => ID, COMMAND_ID) commandId: string,
    @Arg("input") input: CompleteMissionInput,
    @Arg("expectedRevision", () => Int, EXPECTED) expectedRevision?: number,
  ) {
    const data = { ...plain(input), missionId: input.missionId ?? idFromCommand(commandId, "mission") };
    return activityCommand(
      context,
      missionDecider,
      { type: "CompleteMission", data } as Unsent<MissionCommand>,
      commandId,
      expectedRevision,
    );
  }

  @Authorized("editor")
  @Mutation(() => ActivityPayload)
  cancelMission(
    @Ctx() context: GraphQLContext,
    @Arg("commandId", () => ID, COMMAND_ID) commandId: string,
    @Arg("input") input: CancelActivityInput,
    @Arg("expectedRevision", () => Int, EXPECTED) expectedRevision?: number,
  ) {
    const { id, ...rest } = plain(input);
    return activityCommand(
      context,
      missionDecider,
      { type: "CancelMission", data: { ...rest, missionId: id } } as Unsent<MissionCommand>,
      commandId,
      expectedRevision,
    );
  }

  @Authorized("editor")
  @Mutation(() => ActivityPayload)
  scheduleDelegation(
    @Ctx() context: GraphQLContext,
    @Arg("commandId", () => ID, COMMAND_ID) commandId: string,
    @Arg("input") input: DelegationInput,
    @Arg("expectedRevision", () => Int, EXPECTED) expectedRevision?: number,
  ) {
    const data = { ...plain(input), delegationId: input.delegationId ?? idFromCommand(commandId, "delegation") };
    return activityCommand(
      context,
      delegationDecider,
      { type: "ScheduleDelegation", data } as Unsent<DelegationCommand>,
      commandId,
      expectedRevision,
    );
  }

  @Authorized("editor")
  @Mutation(() => ActivityPayload, {
    description: "Records a visit hosted: a scheduled one, or a past one recorded once.",
  })
  hostDelegation(
    @Ctx() context: GraphQLContext,
    @Arg("commandId", () => ID, COMMAND_ID) commandId: string,
    @Arg("input") input: DelegationInput,
    @Arg("expectedRevision", () => Int, EXPECTED) expectedRevision?: number,
  ) {
    const data = { ...plain(input), delegationId: input.delegationId ?? idFromCommand(commandId, "delegation") };
    return activityCommand(
      context,
      delegationDecider,
      { type: "HostDelegation", data } as Unsent<DelegationCommand>,
      commandId,
      expectedRevision,
    );
  }

  @Authorized("editor")
  @Mutation(() => ActivityPayload)
  cancelDelegation(
    @Ctx() context: GraphQLContext,
    @Arg("commandId", () => ID, COMMAND_ID) commandId: string,
    @Arg("input") input: CancelActivityInput,
    @Arg("expectedRevision", () => Int, EXPECTED) expectedRevision?: number,
  ) {
    const { id, ...rest } = plain(input);
    return activityCommand(
      context,
      delegationDecider,
      { type: "CancelDelegation", data: { ...rest, delegationId: id } } as Unsent<DelegationCommand>,
      commandId,
      expectedRevision,
    );
  }

  @Authorized("editor")
  @Mutation(() => ActivityPayload)
  scheduleTraining(
    @Ctx() context: GraphQLContext,
    @Arg("commandId", () => ID, COMMAND_ID) commandId: string,
    @Arg("input") input: TrainingInput,
    @Arg("expectedRevision", () => Int, EXPECTED) expectedRevision?: number,
  ) {
    const data = { ...plain(input), trainingId: input.trainingId ?? idFromCommand(commandId, "training") };
    return activityCommand(
      context,
      trainingDecider,
      { type: "ScheduleTraining", data } as Unsent<TrainingCommand>,
      commandId,
      expectedRevision,
    );
  }

  @Authorized("editor")
  @Mutation(() => ActivityPayload, { description: "Records a training given: who was trained, where, how many." })
  recordTraining(
    @Ctx() context: GraphQLContext,
    @Arg("commandId", () => ID, COMMAND_ID) commandId: string,
    @Arg("input") input: TrainingInput,
    @Arg("expectedRevision", () => Int, EXPECTED) expectedRevision?: number,
  ) {
    const data = { ...plain(input), trainingId: input.trainingId ?? idFromCommand(commandId, "training") };
    return activityCommand(
      context,
      trainingDecider,
      { type: "RecordTraining", data } as Unsent<TrainingCommand>,
      commandId,
      expectedRevision,
    );
  }

  @Authorized("editor")
  @Mutation(() => ActivityPayload)
  cancelTraining(
    @Ctx() context: GraphQLContext,
    @Arg("commandId", () => ID, COMMAND_ID) commandId: string,
    @Arg("input") input: CancelActivityInput,
    @Arg("expectedRevision", () => Int, EXPECTED) expectedRevision?: number,
  ) {
    const { id, ...rest } = plain(input);
    return activityCommand(
      context,
      trainingDecider,
      { type: "CancelTraining", data: { ...rest, trainingId: id } } as Unsent<TrainingCommand>,
      commandId,
      expectedRevision,
    );
  }

  @Authorized("editor")
  @Mutation(() => GrantPayload)
  async grantFunding(
    @Ctx() context: GraphQLContext,
    @Arg("commandId", () => ID, COMMAND_ID) commandId: string,
    @Arg("input") input: GrantFundingInput,
    @Arg("expectedRevision", () => Int, EXPECTED) expectedRevision?: number,
  ): Promise<GrantPayload> {
    const data = { ...plain(input), fundingId: input.fundingId ?? idFromCommand(commandId, "funding") };
    const result = await executeCommand(
      context,
      fundingDecider,
      { type: "GrantFunding", data },
      commandId,
      expectedRevision,
      funding.name,
    );
    const grant = await findGrant(context, data.fundingId);
    return { grant: grant!, revision: result.revision, position: result.position, replayed: result.replayed };
  }
}
