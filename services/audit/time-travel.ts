/**
 * Time travel on both axes, by replaying the partnership's stream (upcast) — never from a separate copy:
 *
 * - as of a recorded time: only what the ledger had recorded by then (a later correction is not yet known);
 * - as of a business date: only facts that had certainly happened by the end of that date, as the ledger
 *   (at the recorded time, if one is given) reads them, corrections included. A fact whose imprecise date
 *   straddles the end (`2020` asked at `2020-03`) is reported as uncertain, not applied; undated facts (a
 *   proposal) are applied.
 */
import { isDefinitelyAfter, parseBusinessDate } from "../../events/business-date";
import { businessDateOf, type PasserelleEvent } from "../../events/catalogue";
import type { RecordedEvent } from "../../events/envelope";
import { InvalidInput } from "../../domain/decider";
import { replay, type PartnershipFact, type PartnershipState } from "../../domain/partnerships/partnership.decider";

export interface AsOf {
  /** `2020`, `2020-03` or `2020-03-15`. */
  readonly businessDate?: string | null;
  /** An ISO-8601 instant. */
  readonly recordedAt?: string | null;
}

export type Reading = "applied" | "undated" | "uncertain" | "later";

export interface HistoricalFact {
  /** The event that stated the fact. */
  readonly event: RecordedEvent;
  /** What it says as of the recorded time (corrections known by then applied). */
  readonly data: unknown;
  readonly businessDate: string | null;
  readonly reading: Reading;
  /** Corrections of this fact known by the recorded time, oldest first. */
  readonly corrections: readonly RecordedEvent[];
}

export interface PartnershipAsOf {
  readonly state: PartnershipState;
  readonly facts: readonly HistoricalFact[];
}

/** Normalizes an instant to the form `recordedAt` is stored in, so they compare as strings. */
export function instant(text: string): string {
  const time = Date.parse(text);
  if (Number.isNaN(time)) throw new InvalidInput("recordedAt", `${JSON.stringify(text)} is not an ISO-8601 instant`);
  return new Date(time).toISOString();
}

/** `events`: the partnership stream, in revision order, already upcast. */
export function partnershipAsOf(events: readonly RecordedEvent[], asOf: AsOf): PartnershipAsOf {
  const recordedBy = asOf.recordedAt ? instant(asOf.recordedAt) : null;
  const day = asOf.businessDate ?? null;
  if (day !== null && !parseBusinessDate(day))
    throw new InvalidInput("businessDate", "must be YYYY, YYYY-MM or YYYY-MM-DD");
  const facts: Array<{ event: RecordedEvent; data: unknown; corrections: RecordedEvent[] }> = [];
  const byRevision = new Map<number, (typeof facts)[number]>();
  for (const event of events) {
    if (recordedBy !== null && event.recordedAt > recordedBy) continue;
    const domain = event as unknown as PasserelleEvent;
    if (domain.type === "FactCorrected") {
      const corrected = byRevision.get(domain.data.corrects.revision);
      if (corrected) {
        corrected.data = domain.data.after;
        corrected.corrections.push(event);
      }
      continue;
    }
    const fact = { event, data: event.data, corrections: [] as RecordedEvent[] };
    facts.push(fact);
    byRevision.set(event.revision, fact);
  }
  const read = facts.map(({ event, data, corrections }): HistoricalFact => {
    const businessDate = businessDateOf({ type: event.type, data } as PasserelleEvent);
    let reading: Reading = "applied";
    if (businessDate === null) reading = "undated";
    else if (day !== null && isDefinitelyAfter(businessDate, day)) reading = "later";
    else if (day !== null && parseBusinessDate(businessDate)!.last > parseBusinessDate(day)!.last)
      reading = "uncertain";
    return { event, data, businessDate, reading, corrections };
  });
  const state = replay(
    read
      .filter((f) => f.reading === "applied" || f.reading === "undated")
      .map((f) => ({ type: f.event.type, data: f.data }) as PartnershipFact),
  );
  return { state, facts: read };
}
