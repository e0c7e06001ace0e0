/** Loads what a decision needs to know of other streams: the institutions and partnerships a command names. */
import type { EventStore } from "../../events/port";
import type { InstitutionRef, Known, Mentions, PartnershipRef } from "../../domain/decider";
import { institutionDecider, institutionRef } from "../../domain/partnerships/institution.decider";
import { partnershipDecider, partnershipRef } from "../../domain/partnerships/partnership.decider";
import { loadStream } from "./load-stream";

export async function loadKnown(store: EventStore, mentions: Mentions): Promise<Known> {
  const institutions = new Map<string, InstitutionRef>();
  const partnerships = new Map<string, PartnershipRef>();
  for (const id of new Set(mentions.institutions ?? [])) {
    const ref = institutionRef((await loadStream(store, institutionDecider, `institution-${id}`)).state);
    if (ref) institutions.set(id, ref);
  }
  for (const id of new Set(mentions.partnerships ?? [])) {
    const ref = partnershipRef((await loadStream(store, partnershipDecider, `partnership-${id}`)).state);
    if (ref) partnerships.set(id, ref);
  }
  return { institutions, partnerships };
}
