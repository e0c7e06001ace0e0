/** Derivations several read models share, so each one reads the events the same way. */
import { parseBusinessDate } from "../../events/business-date";
import type { PasserelleEvent } from "../../events/catalogue";
import type { RecordedEvent } from "../../events/envelope";
import type { Handler, Sql, Tables } from "../projection";

export type PartnershipStatus = "proposed" | "active" | "suspended" | "terminated";

/** The status a partnership event moves its partnership to, or undefined when it moves none. */
export function statusAfter(event: PasserelleEvent): PartnershipStatus | undefined {
  switch (event.type) {
    case "PartnershipProposed":
      return "proposed";
    case "CooperationStarted":
    case "MoUSigned":
    case "PartnershipResumed":
      return "active";
    case "PartnershipSuspended":
      return "suspended";
    case "PartnershipTerminated":
      return "terminated";
    default:
      return undefined;
  }
}

/** A handler for every status-moving event: calls `apply` with the partnership and its new status. */
export function onStatusChange<TableName extends string>(
  apply: (sql: Sql, t: Tables<TableName>, partnershipId: string, status: PartnershipStatus) => void,
): Handler<PasserelleEvent["type"], TableName> {
  return (event, sql, t) => {
    const next = statusAfter(event as RecordedEvent & PasserelleEvent);
    if (next) apply(sql, t, (event.data as { partnershipId: string }).partnershipId, next);
  };
}

/** First and last day of a business date, for range queries in SQL; nulls for no date. */
export function days(date: string | null | undefined): { first: string | null; last: string | null } {
  const range = date ? parseBusinessDate(date) : null;
  return { first: range?.first ?? null, last: range?.last ?? null };
}

/** The calendar year a business date falls in. */
export function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

export const json = (value: unknown) => JSON.stringify(value);
