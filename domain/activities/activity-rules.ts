/** Checks every activity decider shares: the partnership an activity belongs to, places, durations. */
import type { Known, Mentions, PartnershipRef, Scope } from "../decider";
import { InvalidInput, NotFound, RuleViolation } from "../decider";
import type { Duration, Place } from "../../events/catalogue";
import { checkCountry, checkText } from "../validation";

/** The partnership a new activity names: it must exist; a plan also needs it not terminated. */
export function partnershipFor(
  known: Known,
  partnershipId: string | undefined,
  intent: "plan" | "record",
): PartnershipRef {
  if (!partnershipId) throw new InvalidInput("partnershipId", "is required for a new activity");
  const partnership = known.partnerships.get(partnershipId);
  if (!partnership) throw new NotFound("Partnership", partnershipId);
  if (intent === "plan" && partnership.status === "terminated") {
    throw new RuleViolation("ACTIVITY_PARTNERSHIP_TERMINATED", partnershipId);
  }
  return partnership;
}

/**
 * An activity's commands need rights on its partnership: the one it belongs to, or, for a new one, the one
 * the command names.
 */
export function activityScope(
  state: { readonly status: string; readonly partnershipId?: string },
  data: object,
): Scope {
  if (state.status !== "none" && state.partnershipId) return { partnership: state.partnershipId };
  const named = namedPartnership(data);
  return named ? { partnership: named } : { institutions: [] };
}

/** What an activity's decision reads of other streams: the partnership its command names, if any. */
export function activityMentions(data: object): Mentions {
  const named = namedPartnership(data);
  return named ? { partnerships: [named] } : {};
}

/** The partnership an activity's command names (a new activity's must name one). */
function namedPartnership(data: object): string | null {
  return "partnershipId" in data && typeof data.partnershipId === "string" && data.partnershipId
    ? data.partnershipId
    : null;
}

/** A place as a command may give it: either part may be missing. */
export interface PlaceInput {
  readonly country?: string | null;
  readonly place?: string | null;
}

export function checkPlace(field: string, place: PlaceInput | null | undefined): Place {
  const country = place?.country ?? null;
  if (country !== null) checkCountry(`${field}.country`, country);
  const name = place?.place ?? null;
  if (name !== null) checkText(`${field}.place`, name, 300);
  return { country, place: name };
}

export function checkDuration(field: string, duration: Duration | null | undefined): Duration | null {
  if (!duration) return null;
  if (!["day", "week", "month", "year"].includes(duration.unit)) {
    throw new InvalidInput(`${field}.unit`, "must be day, week, month or year");
  }
  if (!Number.isInteger(duration.amount) || duration.amount < 1 || duration.amount > 1000) {
    throw new InvalidInput(`${field}.amount`, "must be a whole number between 1 and 1000");
  }
  return { amount: duration.amount, unit: duration.unit };
}

export function optionalText(field: string, value: string | null | undefined, maxLength = 2000): string | null {
  if (value === null || value === undefined) return null;
  checkText(field, value, maxLength);
  return value.trim();
}
