import type { NewEvent } from "../../events/envelope";
import type { EventStore } from "../../events/port";

/**
 * A log of `partnerships × (2 + milestonesEach)` events: each partnership proposed, started, then milestones —
 * enough volume to kill a projection mid-batch.
 */
export async function writeGeneratedLog(
  store: EventStore,
  partnerships: number,
  milestonesEach: number,
): Promise<number> {
  let count = 0;
  for (let p = 0; p < partnerships; p++) {
    const partnershipId = `gen-${p}`;
    const events: NewEvent[] = [
      {
        type: "PartnershipProposed",
        data: {
          partnershipId,
          title: `Generated ${p}`,
          scope: "international",
          parties: [`i${p % 7}`, `i${(p + 1) % 7}`],
          themes: [`theme-${p % 5}`],
          countries: [["SN", "CN", "VN"][p % 3]],
          versionHash: null,
          proposedOn: null,
          source: null,
        },
        metadata: { actor: "gen", commandId: `p${p}` },
      },
      {
        type: "CooperationStarted",
        data: { partnershipId, startedOn: `${2000 + (p % 20)}`, source: null },
        metadata: { actor: "gen", commandId: `s${p}` },
      },
      ...Array.from({ length: milestonesEach }, (_, m): NewEvent => ({
        type: "MilestoneRecorded",
        data: {
          partnershipId,
          occurredOn: `${2000 + (m % 25)}`,
          summary: `Milestone ${m}`,
          planned: false,
          contextual: false,
          details: {},
          source: null,
        },
        metadata: { actor: "gen", commandId: `m${p}-${m}` },
      })),
    ];
    for (let i = 0; i < events.length; i += 200) {
      await store.appendToStream(`partnership-${partnershipId}`, events.slice(i, i + 200));
    }
    count += events.length;
  }
  return count;
}
