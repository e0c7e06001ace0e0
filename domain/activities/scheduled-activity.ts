/**
 * The life delegations and trainings share: scheduled, then done (hosted, given) or cancelled — or done once,
 * never scheduled here. Each decider describes its own activity; the steps and their rules live here.
 */
import type { Known } from "../decider";
import { NotFound, RuleViolation } from "../decider";
import { checkId, checkOptionalBusinessDate, checkText } from "../validation";
import { partnershipFor } from "./activity-rules";

export type ScheduledStatus = "none" | "scheduled" | "done" | "cancelled";

export type ScheduledActivityState<Description> =
  | { readonly status: "none" }
  | {
      readonly status: Exclude<ScheduledStatus, "none">;
      readonly id: string;
      readonly partnershipId: string;
      readonly description: Description;
    };

/** The activity's identity, as its commands name it. */
export interface ActivityIds {
  /** `delegationId`, `trainingId`: the field the id came in, for errors. */
  readonly field: string;
  readonly id: string;
  /** The partnership the command names (required for an activity that is new here). */
  readonly partnershipId: string | undefined;
}

/** Scheduling: only a new activity, of a partnership that goes on. Returns the partnership's id. */
export function scheduleActivity<D>(state: ScheduledActivityState<D>, ids: ActivityIds, known: Known): string {
  if (state.status !== "none") throw new RuleViolation("ACTIVITY_ALREADY_EXISTS", ids.id);
  checkId(ids.field, ids.id);
  return partnershipFor(known, ids.partnershipId, "plan").id;
}

/**
 * Recording that it happened: a scheduled activity, or a new one (which then names its partnership). Returns
 * the partnership's id and what was scheduled, for the description to fall back on.
 */
export function recordActivity<D>(
  state: ScheduledActivityState<D>,
  ids: ActivityIds,
  known: Known,
): { readonly partnershipId: string; readonly scheduled: D | null } {
  checkCanRecord(state.status);
  if (state.status === "none") {
    checkId(ids.field, ids.id);
    return { partnershipId: partnershipFor(known, ids.partnershipId, "record").id, scheduled: null };
  }
  return { partnershipId: state.partnershipId, scheduled: state.description };
}

/** Cancelling: only what is scheduled and has not happened. */
export function cancelActivity<D>(
  state: ScheduledActivityState<D>,
  entity: string,
  id: string,
  data: { readonly reason: string; readonly cancelledOn?: string | null },
): { readonly partnershipId: string; readonly reason: string; readonly cancelledOn: string | null } {
  if (state.status === "none") throw new NotFound(entity, id);
  checkCanRecord(state.status);
  checkText("reason", data.reason);
  checkOptionalBusinessDate("cancelledOn", data.cancelledOn);
  return { partnershipId: state.partnershipId, reason: data.reason.trim(), cancelledOn: data.cancelledOn ?? null };
}

/** The state after a step: scheduling and recording carry the description, cancelling keeps it. */
export function evolveActivity<D>(
  state: ScheduledActivityState<D>,
  step: Exclude<ScheduledStatus, "none">,
  facts?: { readonly id: string; readonly partnershipId: string; readonly description: D },
): ScheduledActivityState<D> {
  if (facts) return { status: step, ...facts };
  return state.status === "none" ? state : { ...state, status: step };
}

function checkCanRecord(status: ScheduledStatus): void {
  if (status === "done") throw new RuleViolation("ACTIVITY_ALREADY_DONE");
  if (status === "cancelled") throw new RuleViolation("ACTIVITY_CANCELLED");
}
