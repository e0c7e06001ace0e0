import type { RecordedEvent } from "../../events/envelope";
import type { EventStore } from "../../events/port";
import type { Command, Decider, DomainEvent } from "../../domain/decider";
import { UnknownEventTypeError, asCurrentEvent } from "../../events/upcasters";

export interface LoadedStream<S> {
  readonly state: S;
  /** Last revision, -1 for an empty stream. */
  readonly revision: number;
  /** The stream's events, upcast to their current versions. */
  readonly events: readonly RecordedEvent[];
}

/**
 * Reads a stream (upcast) and folds it with the decider. An event of a type this service does not know fails
 * the load: a state folded without it, and a revision counted without it, would be wrong.
 */
export async function loadStream<C extends Command, E extends DomainEvent, S>(
  store: EventStore,
  decider: Decider<C, E, S>,
  streamId: string,
): Promise<LoadedStream<S>> {
  let state = decider.initialState;
  const events: RecordedEvent[] = [];
  for await (const stored of store.readStream(streamId)) {
    const event = asCurrentEvent(stored);
    if (!event) throw new UnknownEventTypeError(stored);
    events.push(event);
    state = decider.evolve(state, event as unknown as E);
  }
  return { state, revision: events.length === 0 ? -1 : events[events.length - 1]!.revision, events };
}
