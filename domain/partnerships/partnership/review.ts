/** What the commission records, and the milestones of a partnership. */
import { InvalidInput, RuleViolation } from "../../decider";
import { REVIEW_OUTCOMES, type PartnershipEvent } from "../../../events/catalogue";
import { addMonths, isDefinitelyAfter } from "../../../events/business-date";
import { checkBusinessDate, checkFactDate, checkNotInFuture, checkSource, checkText } from "../../validation";
import type { RecordCommissionReview, RecordMilestone } from "./commands";
import type { Partnership } from "./state";

/** The commission sits twice a year: a review's default next date is six months on. */
export const REVIEW_PERIOD_MONTHS = 6;

export function review({ data, metadata }: RecordCommissionReview, state: Partnership): PartnershipEvent {
  if (state.status === "terminated") throw new RuleViolation("REVIEW_TERMINATED");
  checkFactDate("reviewedOn", data.reviewedOn, metadata.now);
  if (!REVIEW_OUTCOMES.includes(data.outcome))
    throw new InvalidInput("outcome", `must be one of ${REVIEW_OUTCOMES.join(", ")}`);
  if (data.notes) checkText("notes", data.notes, 5000);
  let nextReviewOn = data.nextReviewOn ?? null;
  if (nextReviewOn === null) {
    nextReviewOn = addMonths(data.reviewedOn, REVIEW_PERIOD_MONTHS);
    if (nextReviewOn === null) throw new RuleViolation("REVIEW_NEXT_DATE_REQUIRED");
  }
  checkBusinessDate("nextReviewOn", nextReviewOn);
  if (!isDefinitelyAfter(nextReviewOn, data.reviewedOn)) {
    throw new RuleViolation("REVIEW_NEXT_NOT_AFTER", `${nextReviewOn} is not after ${data.reviewedOn}`);
  }
  return {
    type: "CommissionReviewRecorded",
    data: {
      partnershipId: state.id,
      reviewedOn: data.reviewedOn,
      outcome: data.outcome,
      notes: data.notes ?? null,
      nextReviewOn,
    },
  };
}

export function milestone({ data, metadata }: RecordMilestone, state: Partnership): PartnershipEvent {
  const planned = data.planned ?? false;
  checkBusinessDate("occurredOn", data.occurredOn);
  if (!planned) checkNotInFuture(data.occurredOn, metadata.now);
  checkText("summary", data.summary);
  const details = data.details ?? {};
  for (const [key, value] of Object.entries(details)) {
    if (!["string", "number", "boolean"].includes(typeof value)) {
      throw new InvalidInput(`details.${key}`, "must be a string, a number or a boolean");
    }
  }
  checkSource(data.source);
  return {
    type: "MilestoneRecorded",
    data: {
      partnershipId: state.id,
      occurredOn: data.occurredOn,
      summary: data.summary.trim(),
      planned,
      contextual: data.contextual ?? false,
      details,
      source: data.source ?? null,
    },
  };
}
