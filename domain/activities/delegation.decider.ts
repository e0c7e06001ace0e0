/** Foreign delegations hosted: scheduled, hosted, or cancelled. A past visit is recorded as hosted directly. */
import type { Command, Decider, Headcount, Known, Source } from "../decider";
import { InvalidInput, RuleViolation } from "../decider";
import type { DelegationDescription, DelegationEvent } from "../../events/catalogue";
import {
  checkBusinessDate,
  checkCountry,
  checkFactDate,
  checkHeadcount,
  checkOptionalBusinessDate,
  checkOrder,
  checkSource,
  checkText,
} from "../validation";
import { optionalText, activityScope, activityMentions } from "./activity-rules";
import {
  cancelActivity,
  evolveActivity,
  recordActivity,
  scheduleActivity,
  type ScheduledActivityState,
} from "./scheduled-activity";

interface DescriptionInput {
  readonly purpose?: string;
  readonly origin?: { readonly country?: string | null; readonly institutions?: readonly string[] } | null;
  readonly visitors?: Headcount | null;
  readonly from?: string;
  readonly to?: string | null;
  readonly place?: string | null;
}

type DelegationCommandOf<Type extends string, Data> = Command<Type, Data & { readonly delegationId: string }>;

export type ScheduleDelegation = DelegationCommandOf<
  "ScheduleDelegation",
  // What the API may send: a missing partnership, purpose or date is refused by the decider, by name.
  DescriptionInput & { readonly partnershipId?: string; readonly source?: Source | null }
>;
/** For a visit never scheduled here, `partnershipId`, `purpose` and `from` are required. */
export type HostDelegation = DelegationCommandOf<
  "HostDelegation",
  DescriptionInput & { readonly partnershipId?: string; readonly source?: Source | null }
>;
export type CancelDelegation = DelegationCommandOf<
  "CancelDelegation",
  { readonly reason: string; readonly cancelledOn?: string | null }
>;
export type DelegationCommand = ScheduleDelegation | HostDelegation | CancelDelegation;

export type DelegationState = ScheduledActivityState<DelegationDescription>;

export const delegationDecider: Decider<DelegationCommand, DelegationEvent, DelegationState> = {
  category: "delegation",
  entityId: (command) => command.data.delegationId,
  initialState: { status: "none" },
  scope: (command, state) => activityScope(state, command.data),
  mentions: (command) => ({
    ...activityMentions(command.data),
    institutions: "origin" in command.data ? (command.data.origin?.institutions ?? []) : [],
  }),

  evolve(state, event) {
    switch (event.type) {
      case "DelegationScheduled":
      case "DelegationHosted": {
        const { delegationId: id, partnershipId, purpose, origin, visitors, from, to, place } = event.data;
        return evolveActivity(state, event.type === "DelegationScheduled" ? "scheduled" : "done", {
          id,
          partnershipId,
          description: { purpose, origin, visitors, from, to, place },
        });
      }
      case "DelegationCancelled":
        return evolveActivity(state, "cancelled");
    }
  },

  decide(command, state, known) {
    switch (command.type) {
      case "ScheduleDelegation":
        return [schedule(command, state, known)];
      case "HostDelegation":
        return [host(command, state, known)];
      case "CancelDelegation":
        return [cancel(command, state)];
      default: {
        const unknown: never = command;
        throw new Error(`unknown command ${JSON.stringify(unknown)}`);
      }
    }
  },
};

const ids = (data: { delegationId: string; partnershipId?: string }) => ({
  field: "delegationId",
  id: data.delegationId,
  partnershipId: data.partnershipId,
});

function schedule({ data }: ScheduleDelegation, state: DelegationState, known: Known): DelegationEvent {
  const partnershipId = scheduleActivity(state, ids(data), known);
  checkSource(data.source);
  return {
    type: "DelegationScheduled",
    data: {
      delegationId: data.delegationId,
      partnershipId,
      ...description(data, null, known),
      source: data.source ?? null,
    },
  };
}

function host({ data, metadata }: HostDelegation, state: DelegationState, known: Known): DelegationEvent {
  const { partnershipId, scheduled } = recordActivity(state, ids(data), known);
  const hosted = description(data, scheduled, known);
  checkFactDate("from", hosted.from, metadata.now);
  checkSource(data.source);
  return {
    type: "DelegationHosted",
    data: { delegationId: data.delegationId, partnershipId, ...hosted, source: data.source ?? null },
  };
}

function cancel({ data }: CancelDelegation, state: DelegationState): DelegationEvent {
  const cancelled = cancelActivity(state, "Delegation", data.delegationId, data);
  return { type: "DelegationCancelled", data: { delegationId: data.delegationId, ...cancelled } };
}

/** The visit's description from the command, each field falling back to what was scheduled. */
function description(
  input: DescriptionInput,
  scheduled: DelegationDescription | null,
  known: Known,
): DelegationDescription {
  const purpose = input.purpose ?? scheduled?.purpose;
  if (purpose === undefined) throw new InvalidInput("purpose", "is required for a visit that was never scheduled");
  checkText("purpose", purpose, 1000);
  const from = input.from ?? scheduled?.from;
  if (from === undefined) throw new InvalidInput("from", "is required for a visit that was never scheduled");
  checkBusinessDate("from", from);
  const to = input.to === undefined ? (scheduled?.to ?? null) : input.to;
  checkOptionalBusinessDate("to", to);
  checkOrder("ACTIVITY_DATES_ORDER", from, to);
  checkHeadcount("visitors", input.visitors);
  const country = input.origin?.country ?? scheduled?.origin.country ?? null;
  if (country !== null) checkCountry("origin.country", country);
  const institutions = [...new Set(input.origin?.institutions ?? scheduled?.origin.institutions ?? [])];
  const unregistered = institutions.filter(
    (id) => !known.institutions.has(id) && !scheduled?.origin.institutions.includes(id),
  );
  if (unregistered.length > 0) throw new RuleViolation("INSTITUTION_NOT_REGISTERED", unregistered.join(", "));
  return {
    purpose: purpose.trim(),
    origin: { country, institutions },
    visitors: input.visitors ?? scheduled?.visitors ?? null,
    from,
    to,
    place: optionalText("place", input.place, 300) ?? scheduled?.place ?? null,
  };
}
