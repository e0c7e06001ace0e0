/** Trainings given within a partnership: scheduled, recorded as given, or cancelled. */
import type { Command, Decider, Headcount, Source } from "../decider";
import { InvalidInput } from "../decider";
import type { Duration, TrainingDescription, TrainingEvent } from "../../events/catalogue";
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
  cancellable,
  checkCanRecord,
  checkCanSchedule,
  checkDuration,
  optionalText,
  partnershipFor,
  type ScheduledStatus,
} from "./activity-rules";

interface DescriptionInput {
  readonly topic?: string;
  readonly trainees?: string | null;
  readonly traineeCount?: Headcount | null;
  readonly place?: string | null;
  readonly from?: string;
  readonly to?: string | null;
  readonly duration?: Duration | null;
  readonly recurrence?: string | null;
  readonly remote?: boolean;
}

type TrainingCommandOf<Type extends string, Data> = Command<Type, Data & { readonly trainingId: string }>;

export type ScheduleTraining = TrainingCommandOf<
  "ScheduleTraining",
  // What the API may send: a missing partnership, topic or date is refused by the decider, by name.
  DescriptionInput & { readonly partnershipId?: string; readonly source?: Source | null }
>;
/** Who was trained, where, how many. For a training never scheduled here, `partnershipId`, `topic` and `from` are required. */
export type RecordTraining = TrainingCommandOf<
  "RecordTraining",
  DescriptionInput & { readonly partnershipId?: string; readonly source?: Source | null }
>;
export type CancelTraining = TrainingCommandOf<
  "CancelTraining",
  { readonly reason: string; readonly cancelledOn?: string | null }
>;
export type TrainingCommand = ScheduleTraining | RecordTraining | CancelTraining;

export type TrainingState =
  | { readonly status: "none" }
  | {
      readonly status: Exclude<ScheduledStatus, "none">;
      readonly id: string;
      readonly partnershipId: string;
      readonly description: TrainingDescription;
    };

export const trainingDecider: Decider<TrainingCommand, TrainingEvent, TrainingState> = {
  category: "training",
  entityId: (command) => command.data.trainingId,
  initialState: { status: "none" },
  mentions: (command) =>
    "partnershipId" in command.data && command.data.partnershipId ? { partnerships: [command.data.partnershipId] } : {},

  evolve(state, event) {
    switch (event.type) {
      case "TrainingScheduled":
      case "TrainingRecorded": {
        const { trainingId, partnershipId, source: _source, ...description } = event.data;
        return {
          status: event.type === "TrainingScheduled" ? "scheduled" : "done",
          id: trainingId,
          partnershipId,
          description,
        };
      }
      case "TrainingCancelled":
        return state.status === "none" ? state : { ...state, status: "cancelled" };
    }
  },

  decide(command, state, known) {
    switch (command.type) {
      case "ScheduleTraining": {
        checkCanSchedule(state.status, command.data.trainingId);
        checkId("trainingId", command.data.trainingId);
        const partnership = partnershipFor(known, command.data.partnershipId, "plan");
        checkSource(command.data.source);
        return [
          {
            type: "TrainingScheduled",
            data: {
              trainingId: command.data.trainingId,
              partnershipId: partnership.id,
              ...description(command.data, null),
              source: command.data.source ?? null,
            },
          },
        ];
      }
      case "RecordTraining": {
        checkCanRecord(state.status);
        const scheduled = state.status === "none" ? null : state;
        if (!scheduled) checkId("trainingId", command.data.trainingId);
        const partnershipId =
          scheduled?.partnershipId ?? partnershipFor(known, command.data.partnershipId, "record").id;
        const given = description(command.data, scheduled?.description ?? null);
        checkFactDate("from", given.from, command.metadata.now);
        checkSource(command.data.source);
        return [
          {
            type: "TrainingRecorded",
            data: { trainingId: command.data.trainingId, partnershipId, ...given, source: command.data.source ?? null },
          },
        ];
      }
      case "CancelTraining": {
        const scheduled = cancellable(state, "Training", command.data.trainingId);
        checkText("reason", command.data.reason);
        checkOptionalBusinessDate("cancelledOn", command.data.cancelledOn);
        return [
          {
            type: "TrainingCancelled",
            data: {
              trainingId: scheduled.id,
              partnershipId: scheduled.partnershipId,
              reason: command.data.reason.trim(),
              cancelledOn: command.data.cancelledOn ?? null,
            },
          },
        ];
      }
      default: {
        const unknown: never = command;
        throw new Error(`unknown command ${JSON.stringify(unknown)}`);
      }
    }
  },
};

/** The training's description from the command, each field falling back to what was scheduled. */
function description(input: DescriptionInput, scheduled: TrainingDescription | null): TrainingDescription {
  const topic = input.topic ?? scheduled?.topic;
  if (topic === undefined) throw new InvalidInput("topic", "is required for a training that was never scheduled");
  checkText("topic", topic, 1000);
  const from = input.from ?? scheduled?.from;
  if (from === undefined) throw new InvalidInput("from", "is required for a training that was never scheduled");
  checkBusinessDate("from", from);
  const to = input.to === undefined ? (scheduled?.to ?? null) : input.to;
  checkOptionalBusinessDate("to", to);
  checkOrder("ACTIVITY_DATES_ORDER", from, to);
  checkHeadcount("traineeCount", input.traineeCount);
  return {
    topic: topic.trim(),
    trainees: optionalText("trainees", input.trainees, 1000) ?? scheduled?.trainees ?? null,
    traineeCount: input.traineeCount ?? scheduled?.traineeCount ?? null,
    place: optionalText("place", input.place, 300) ?? scheduled?.place ?? null,
    from,
    to,
    duration: input.duration === undefined ? (scheduled?.duration ?? null) : checkDuration("duration", input.duration),
    recurrence: optionalText("recurrence", input.recurrence, 200) ?? scheduled?.recurrence ?? null,
    remote: input.remote ?? scheduled?.remote ?? false,
  };
}
