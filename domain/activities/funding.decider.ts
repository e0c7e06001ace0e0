/** Funding granted to a partnership by one or more funders (AFD, DGOS, Expertise France, WHO, NGOs…). */
import type { Command, Decider, Known, Source } from "../decider";
import { InvalidInput, RuleViolation } from "../decider";
import type { FundingEvent, FundingGranted } from "../../events/catalogue";
import {
  checkAmount,
  checkBusinessDate,
  checkCurrency,
  checkFactDate,
  checkId,
  checkOptionalBusinessDate,
  checkOrder,
  checkSource,
} from "../validation";
import { optionalText, partnershipFor } from "./activity-rules";

export type GrantFunding = Command<
  "GrantFunding",
  {
    readonly fundingId: string;
    readonly partnershipId: string;
    readonly funders: readonly string[];
    /** Omitted when the source states no amount: never invented. */
    readonly amount?: { readonly value: string; readonly currency: string; readonly ceiling?: boolean } | null;
    readonly grantedOn: string;
    readonly period?: { readonly from: string; readonly to?: string | null } | null;
    readonly purpose?: string | null;
    readonly source?: Source | null;
  }
>;
export type FundingCommand = GrantFunding;

export type FundingState = { readonly status: "none" } | ({ readonly status: "granted" } & FundingGranted["data"]);

export const fundingDecider: Decider<FundingCommand, FundingEvent, FundingState> = {
  category: "funding",
  entityId: (command) => command.data.fundingId,
  initialState: { status: "none" },
  scope: (command) => ({ partnership: command.data.partnershipId }),
  mentions: (command) => ({ partnerships: [command.data.partnershipId], institutions: command.data.funders }),
  evolve: (_state, event) => ({ status: "granted", ...event.data }),

  decide(command, state, known) {
    switch (command.type) {
      case "GrantFunding":
        return [grant(command, state, known)];
      default: {
        const unknown: never = command.type;
        throw new Error(`unknown command ${JSON.stringify(unknown)}`);
      }
    }
  },
};

function grant({ data, metadata }: GrantFunding, state: FundingState, known: Known): FundingEvent {
  if (state.status !== "none") throw new RuleViolation("FUNDING_ALREADY_GRANTED", data.fundingId);
  checkId("fundingId", data.fundingId);
  // Funding is often recorded after the fact: a terminated partnership may still have had it.
  const partnership = partnershipFor(known, data.partnershipId, "record");
  const funders = [...new Set(data.funders)];
  if (funders.length === 0) throw new InvalidInput("funders", "name at least one funder");
  const unregistered = funders.filter((id) => !known.institutions.has(id));
  if (unregistered.length > 0) throw new RuleViolation("FUNDING_FUNDER_NOT_REGISTERED", unregistered.join(", "));
  let amount: FundingGranted["data"]["amount"] = null;
  if (data.amount) {
    const digits = checkCurrency("amount.currency", data.amount.currency);
    checkAmount("amount.value", data.amount.value, digits);
    amount = { value: data.amount.value, currency: data.amount.currency, ceiling: data.amount.ceiling ?? false };
  }
  checkFactDate("grantedOn", data.grantedOn, metadata.now);
  let period: FundingGranted["data"]["period"] = null;
  if (data.period) {
    checkBusinessDate("period.from", data.period.from);
    const to = data.period.to ?? null;
    checkOptionalBusinessDate("period.to", to);
    checkOrder("ACTIVITY_DATES_ORDER", data.period.from, to);
    period = { from: data.period.from, to };
  }
  checkSource(data.source);
  return {
    type: "FundingGranted",
    data: {
      fundingId: data.fundingId,
      partnershipId: partnership.id,
      funders,
      amount,
      grantedOn: data.grantedOn,
      period,
      purpose: optionalText("purpose", data.purpose),
      source: data.source ?? null,
    },
  };
}
