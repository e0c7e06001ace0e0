/**
 * A world of streams held in memory, driven only through deciders: decide, then evolve. It does what the
 * command handler does (fold, know other streams, idempotency by command id) with no store, so the domain can
 * be tested on whole histories without I/O.
 */
import type { DomainEvent, InstitutionRef, Known, PartnershipRef } from "../../domain/decider";
import { deciderFor, type PasserelleCommand } from "../../domain/deciders";
import {
  institutionDecider,
  institutionRef,
  type InstitutionState,
} from "../../domain/partnerships/institution.decider";
import {
  partnershipDecider,
  partnershipRef,
  type PartnershipState,
} from "../../domain/partnerships/partnership.decider";

export interface StreamRecord {
  readonly events: DomainEvent[];
  readonly commandIds: Set<string>;
  state: unknown;
}

export class PureWorld {
  readonly streams = new Map<string, StreamRecord>();

  /** Runs a command; returns the events it appended (none for a repeated command id). Throws what decide throws. */
  execute(command: PasserelleCommand): DomainEvent[] {
    const decider = deciderFor(command);
    const streamId = `${decider.category}-${decider.entityId(command)}`;
    const stream = this.streams.get(streamId) ?? {
      events: [],
      commandIds: new Set<string>(),
      state: decider.initialState,
    };
    if (stream.commandIds.has(command.metadata.commandId)) return [];
    const events = decider.decide(command, stream.state, this.known(decider.mentions(command)));
    stream.state = events.reduce(decider.evolve, stream.state);
    stream.events.push(...events);
    stream.commandIds.add(command.metadata.commandId);
    this.streams.set(streamId, stream);
    return events;
  }

  state<S>(streamId: string): S | undefined {
    return this.streams.get(streamId)?.state as S | undefined;
  }

  private known(mentions: { institutions?: readonly string[]; partnerships?: readonly string[] }): Known {
    const institutions = new Map<string, InstitutionRef>();
    for (const id of mentions.institutions ?? []) {
      const ref = institutionRef(this.state<InstitutionState>(`institution-${id}`) ?? institutionDecider.initialState);
      if (ref) institutions.set(id, ref);
    }
    const partnerships = new Map<string, PartnershipRef>();
    for (const id of mentions.partnerships ?? []) {
      const ref = partnershipRef(this.state<PartnershipState>(`partnership-${id}`) ?? partnershipDecider.initialState);
      if (ref) partnerships.set(id, ref);
    }
    return { institutions, partnerships };
  }
}
