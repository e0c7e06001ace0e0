/** Trainings given within a partnership: scheduled, recorded as given, or cancelled. */
import type { Command, Decider, Headcount, Known, Source } from "../decider";
import { InvalidInput } from "../decider";
import type { Duration, TrainingDescription, TrainingEvent } from "../../events/catalogue";
import {
  checkBusinessDate,
  checkFactDate,
  checkHeadcount,
  checkOptionalBusinessDate,
  checkOrder,
  checkSource,
  checkText,
} from "../validation";
import { checkDuration, optionalText, activityScope, activityMentions } from "./activity-rules";
import {
  cancelActivity,
  evolveActivity,
  recordActivity,
  scheduleActivity,
  type ScheduledActivityState,
} from "./scheduled-activity";

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

export type TrainingState = ScheduledActivityState<TrainingDescription>;

export const trainingDecider: Decider<TrainingCommand, TrainingEvent, TrainingState> = {
  category: "training",
  entityId: (command) => command.data.trainingId,
  initialState: { status: "none" },
  scope: (command, state) => activityScope(state, command.data),
  mentions: (command) => activityMentions(command.data),

  evolve(state, event) {
    switch (event.type) {
      case "TrainingScheduled":
      case "TrainingRecorded": {
        const { trainingId: id, partnershipId, source: _source, ...description } = event.data;
        return evolveActivity(state, event.type === "TrainingScheduled" ? "scheduled" : "done", {
          id,
          partnershipId,
          description,
        });
      }
      case "TrainingCancelled":
        return evolveActivity(state, "cancelled");
    }
  },

  decide(command, state, known) {
    switch (command.type) {
      case "ScheduleTraining":
        return [schedule(command, state, known)];
      case "RecordTraining":
        return [record(command, state, known)];
      case "CancelTraining":
        return [cancel(command, state)];
      default: {
        const unknown: never = command;
        throw new Error(`unknown command ${JSON.stringify(unknown)}`);
      }
    }
  },
};

const ids = (data: { trainingId: string; partnershipId?: string }) => ({
  field: "trainingId",
  id: data.trainingId,
  partnershipId: data.partnershipId,
});

function schedule({ data }: ScheduleTraining, state: TrainingState, known: Known): TrainingEvent {
  const partnershipId = scheduleActivity(state, ids(data), known);
  checkSource(data.source);
  return {
    type: "TrainingScheduled",
    data: { trainingId: data.trainingId, partnershipId, ...description(data, null), source: data.source ?? null },
  };
}

function record({ data, metadata }: RecordTraining, state: TrainingState, known: Known): TrainingEvent {
  const { partnershipId, scheduled } = recordActivity(state, ids(data), known);
  const given = description(data, scheduled);
  checkFactDate("from", given.from, metadata.now);
  checkSource(data.source);
  return {
    type: "TrainingRecorded",
    data: { trainingId: data.trainingId, partnershipId, ...given, source: data.source ?? null },
  };
}

function cancel({ data }: CancelTraining, state: TrainingState): TrainingEvent {
  return {
    type: "TrainingCancelled",
    data: { trainingId: data.trainingId, ...cancelActivity(state, "Training", data.trainingId, data) },
  };
}

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
