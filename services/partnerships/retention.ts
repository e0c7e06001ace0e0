/**
 * The retention policy: the people a partnership's facts name are kept while the partnership lives, and for
 * `yearsAfterTermination` years after it ended; then they are forgotten, each erasure recorded as any other
 * (`PersonForgotten`, basis `retention`). A person some other partnership still needs is kept.
 */
import { parseBusinessDate } from "../../events/business-date";
import type { EventStore } from "../../events/port";
import { peopleSealedIn } from "../../events/personal-data/vault";
import { upcast } from "../../events/upcasters";

import type { RetentionPolicy } from "../common/config";

export interface RetentionDue {
  readonly personId: string;
  /** The last of their partnerships to end, and when it did. */
  readonly partnershipId: string;
  readonly terminatedOn: string;
}

/**
 * Who the policy says to forget as of a day (`YYYY-MM-DD`): people named by the facts of partnerships that all
 * ended more than the policy's years before it, not forgotten yet.
 */
export async function dueForRetention(
  store: EventStore,
  policy: RetentionPolicy,
  asOf: string,
): Promise<RetentionDue[]> {
  const named = new Map<string, Set<string>>();
  const terminated = new Map<string, string>();
  // Forgotten as the log says (not the vault): an erasure whose event was never appended is done again.
  const forgotten = new Set<string>();
  for await (const stored of store.readAll()) {
    const event = upcast(stored);
    if (event.type === "PersonForgotten") forgotten.add((event.data as { personId: string }).personId);
    const partnershipId = (event.data as { partnershipId?: unknown } | null)?.partnershipId;
    if (typeof partnershipId !== "string") continue;
    if (event.type === "PartnershipTerminated") {
      terminated.set(partnershipId, (event.data as { effectiveOn: string }).effectiveOn);
    }
    for (const personId of peopleSealedIn(event.data)) {
      const partnerships = named.get(personId) ?? new Set<string>();
      partnerships.add(partnershipId);
      named.set(personId, partnerships);
    }
  }
  const due: RetentionDue[] = [];
  for (const [personId, partnerships] of named) {
    let last: { partnershipId: string; terminatedOn: string; end: string } | null = null;
    let kept = false;
    for (const partnershipId of partnerships) {
      const on = terminated.get(partnershipId);
      const range = on ? parseBusinessDate(on) : null;
      if (!on || !range) {
        kept = true;
        break;
      }
      if (!last || range.last > last.end) last = { partnershipId, terminatedOn: on, end: range.last };
    }
    if (kept || !last) continue;
    const until = `${Number(last.end.slice(0, 4)) + policy.yearsAfterTermination}${last.end.slice(4)}`;
    if (until >= asOf || forgotten.has(personId)) continue;
    due.push({ personId, partnershipId: last.partnershipId, terminatedOn: last.terminatedOn });
  }
  return due.sort((a, b) => a.personId.localeCompare(b.personId));
}
