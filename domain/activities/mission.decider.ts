/**
 * Missions abroad: planned, postponed, started, completed, cancelled. A mission that happened before anyone
 * recorded it is completed directly, with its historical dates: no invented plan or start.
 */
import type { Decider, Known } from "../decider";
import { InvalidInput, NotFound, RuleViolation } from "../decider";
import type { MissionDescription, MissionEvent } from "../../events/catalogue";
import { isDefinitelyAfter, isDefinitelyBefore } from "../../events/business-date";
import {
  checkBusinessDate,
  checkFactDate,
  checkHeadcount,
  checkId,
  checkOptionalBusinessDate,
  checkOrder,
  checkSource,
  checkText,
} from "../validation";
import {
  checkDuration,
  checkPlace,
  optionalText,
  partnershipFor,
  activityScope,
  activityMentions,
} from "./activity-rules";
import type {
  CancelMission,
  CompleteMission,
  DescriptionInput,
  Mission,
  MissionCommand,
  MissionState,
  PlanMission,
  PostponeMission,
  StartMission,
} from "./mission/commands";

export type * from "./mission/commands";

export const missionDecider: Decider<MissionCommand, MissionEvent, MissionState> = {
  category: "mission",
  entityId: (command) => command.data.missionId,
  initialState: { status: "none" },
  scope: (command, state) => activityScope(state, command.data),
  mentions: (command) => activityMentions(command.data),

  evolve(state, event) {
    switch (event.type) {
      case "MissionPlanned": {
        const { missionId, partnershipId, plannedStart, plannedEnd } = event.data;
        return {
          status: "planned",
          id: missionId,
          partnershipId,
          description: describe(event.data),
          plannedStart,
          plannedEnd,
          startedOn: null,
          completedOn: null,
          postponements: 0,
        };
      }
      case "MissionCompleted": {
        const { missionId, partnershipId, startedOn, completedOn } = event.data;
        const base = state.status === "none" ? { plannedStart: null, plannedEnd: null, postponements: 0 } : state;
        return {
          ...base,
          status: "completed",
          id: missionId,
          partnershipId,
          description: describe(event.data),
          startedOn,
          completedOn,
        };
      }
    }
    if (state.status === "none") return state;
    switch (event.type) {
      case "MissionPostponed":
        return {
          ...state,
          plannedStart: event.data.plannedStart,
          plannedEnd: event.data.plannedEnd,
          postponements: state.postponements + 1,
        };
      case "MissionStarted":
        return { ...state, status: "started", startedOn: event.data.startedOn };
      case "MissionCancelled":
        return { ...state, status: "cancelled" };
    }
  },

  decide(command, state, known) {
    switch (command.type) {
      case "PlanMission":
        return [plan(command, state, known)];
      case "CompleteMission":
        return [complete(command, state, known)];
      case "PostponeMission":
        return [postpone(command, open(state, command.data.missionId))];
      case "StartMission":
        return [start(command, open(state, command.data.missionId))];
      case "CancelMission":
        return [cancel(command, open(state, command.data.missionId))];
      default: {
        const unknown: never = command;
        throw new Error(`unknown command ${JSON.stringify(unknown)}`);
      }
    }
  },
};

function describe(data: MissionDescription): MissionDescription {
  const { purpose, destination, participants, trips, duration, recurrence } = data;
  return { purpose, destination, participants, trips, duration, recurrence };
}

/** A mission that still lies ahead: planned, not started. */
function open(state: MissionState, missionId: string): Mission & { status: "planned" | "started" } {
  if (state.status === "none") throw new NotFound("Mission", missionId);
  if (state.status === "cancelled") throw new RuleViolation("ACTIVITY_CANCELLED");
  if (state.status === "completed") throw new RuleViolation("ACTIVITY_ALREADY_DONE");
  return state as Mission & { status: "planned" | "started" };
}

/** The description from the command, each field falling back to what the plan said. */
function description(input: DescriptionInput, planned: MissionDescription | null): MissionDescription {
  const purpose = input.purpose ?? planned?.purpose;
  if (purpose === undefined) throw new InvalidInput("purpose", "is required for a mission that was never planned");
  checkText("purpose", purpose, 1000);
  checkHeadcount("participants", input.participants);
  const trips = input.trips ?? planned?.trips ?? 1;
  if (!Number.isInteger(trips) || trips < 1 || trips > 100)
    throw new InvalidInput("trips", "must be a whole number between 1 and 100");
  return {
    purpose: purpose.trim(),
    destination:
      input.destination === undefined && planned ? planned.destination : checkPlace("destination", input.destination),
    participants: input.participants ?? planned?.participants ?? null,
    trips,
    duration: input.duration === undefined && planned ? planned.duration : checkDuration("duration", input.duration),
    recurrence: optionalText("recurrence", input.recurrence, 200) ?? planned?.recurrence ?? null,
  };
}

function plan({ data }: PlanMission, state: MissionState, known: Known): MissionEvent {
  if (state.status !== "none") throw new RuleViolation("ACTIVITY_ALREADY_EXISTS", data.missionId);
  checkId("missionId", data.missionId);
  const partnership = partnershipFor(known, data.partnershipId, "plan");
  checkBusinessDate("plannedStart", data.plannedStart);
  const plannedEnd = data.plannedEnd ?? null;
  checkOptionalBusinessDate("plannedEnd", plannedEnd);
  checkOrder("ACTIVITY_DATES_ORDER", data.plannedStart, plannedEnd);
  checkOptionalBusinessDate("plannedOn", data.plannedOn);
  checkSource(data.source);
  return {
    type: "MissionPlanned",
    data: {
      missionId: data.missionId,
      partnershipId: partnership.id,
      ...description(data, null),
      plannedStart: data.plannedStart,
      plannedEnd,
      plannedOn: data.plannedOn ?? null,
      source: data.source ?? null,
    },
  };
}

function postpone({ data }: PostponeMission, state: Mission): MissionEvent {
  if (state.status !== "planned") throw new RuleViolation("ACTIVITY_NOT_PLANNED", `it is ${state.status}`);
  checkText("reason", data.reason);
  const plannedStart = data.plannedStart ?? null;
  const plannedEnd = data.plannedEnd ?? null;
  checkOptionalBusinessDate("postponedOn", data.postponedOn);
  checkOptionalBusinessDate("plannedStart", plannedStart);
  checkOptionalBusinessDate("plannedEnd", plannedEnd);
  if (plannedStart !== null) checkOrder("ACTIVITY_DATES_ORDER", plannedStart, plannedEnd);
  checkSource(data.source);
  return {
    type: "MissionPostponed",
    data: {
      missionId: state.id,
      partnershipId: state.partnershipId,
      reason: data.reason.trim(),
      postponedOn: data.postponedOn ?? null,
      plannedStart,
      plannedEnd,
      source: data.source ?? null,
    },
  };
}

function start({ data, metadata }: StartMission, state: Mission): MissionEvent {
  if (state.status !== "planned") throw new RuleViolation("ACTIVITY_NOT_PLANNED", `it is ${state.status}`);
  checkFactDate("startedOn", data.startedOn, metadata.now);
  return {
    type: "MissionStarted",
    data: { missionId: state.id, partnershipId: state.partnershipId, startedOn: data.startedOn },
  };
}

function complete({ data, metadata }: CompleteMission, state: MissionState, known: Known): MissionEvent {
  checkFactDate("completedOn", data.completedOn, metadata.now);
  const startedOn = data.startedOn ?? (state.status === "none" ? null : state.startedOn);
  checkOptionalBusinessDate("startedOn", startedOn);
  if (startedOn !== null && isDefinitelyBefore(data.completedOn, startedOn)) {
    throw new RuleViolation("MISSION_COMPLETION_BEFORE_START", `${data.completedOn} is before ${startedOn}`);
  }
  let partnershipId: string;
  if (state.status === "none") {
    checkId("missionId", data.missionId);
    partnershipId = partnershipFor(known, data.partnershipId, "record").id;
  } else {
    const mission = open(state, data.missionId);
    // A planned mission completes only once its dates have come: a plan for next year cannot be done today.
    if (
      mission.status === "planned" &&
      mission.plannedStart !== null &&
      isDefinitelyAfter(mission.plannedStart, data.completedOn)
    ) {
      throw new RuleViolation("MISSION_NOT_STARTED_OR_PAST", `planned for ${mission.plannedStart}`);
    }
    partnershipId = mission.partnershipId;
  }
  checkSource(data.source);
  return {
    type: "MissionCompleted",
    data: {
      missionId: data.missionId,
      partnershipId,
      ...description(data, state.status === "none" ? null : state.description),
      startedOn,
      completedOn: data.completedOn,
      outcome: optionalText("outcome", data.outcome),
      source: data.source ?? null,
    },
  };
}

function cancel({ data }: CancelMission, state: Mission): MissionEvent {
  checkText("reason", data.reason);
  checkOptionalBusinessDate("cancelledOn", data.cancelledOn);
  return {
    type: "MissionCancelled",
    data: {
      missionId: state.id,
      partnershipId: state.partnershipId,
      reason: data.reason.trim(),
      cancelledOn: data.cancelledOn ?? null,
    },
  };
}
