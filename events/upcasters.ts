/**
 * Upcasting: stored events are read as the current version of their type, everywhere (command handlers,
 * projections, history, replay). An upcaster is a pure function from one version to the next; the chain runs
 * until the current version. The stored event is never rewritten: its hash covers what was written.
 */
import type { RecordedEvent } from "./envelope";
import { PasserelleError } from "./errors";
import {
  CURRENT_VERSION,
  isEventType,
  type FundingGranted,
  type FundingGrantedV1,
  type PasserelleEvent,
} from "./catalogue";

type Upcaster = (data: unknown) => unknown;

/** `UPCASTERS[type][v]` turns version v of `type` into version v + 1. */
const UPCASTERS: Partial<Record<PasserelleEvent["type"], Record<number, Upcaster>>> = {
  FundingGranted: {
    1: (data): FundingGranted["data"] => {
      const { funderId, amount, ...rest } = data as FundingGrantedV1["data"];
      return { ...rest, funders: [funderId], amount: amount === null ? null : { ...amount, ceiling: false } };
    },
  },
};

/** A stored Passerelle event as its current version, typed by the catalogue. */
export type CurrentEvent = RecordedEvent & PasserelleEvent;

/**
 * A stored event this service cannot read: a newer version of Passerelle wrote it (a rolling deploy, a
 * restored backup). Deciding on a state folded without it would be deciding blind, so it is refused.
 */
export abstract class UnreadableEventError extends PasserelleError {
  constructor(
    readonly event: RecordedEvent,
    problem: string,
  ) {
    super(
      `event ${event.type} v${event.version} at position ${event.position} of ${event.streamId} ` +
        `(revision ${event.revision}) ${problem}: this service is older than the data; deploy the version that wrote it`,
    );
  }
}

export class UnknownEventVersionError extends UnreadableEventError {
  readonly code = "UNKNOWN_EVENT_VERSION";
  constructor(event: RecordedEvent) {
    super(event, `has no upcaster to v${isEventType(event.type) ? CURRENT_VERSION[event.type] : "?"}`);
  }
}

export class UnknownEventTypeError extends UnreadableEventError {
  readonly code = "UNKNOWN_EVENT_TYPE";
  constructor(event: RecordedEvent) {
    super(event, "is of a type this service's catalogue does not know");
  }
}

/**
 * The event as its type's current version. Events of types the catalogue does not know pass through
 * untouched (readers ignore them); a version with no path to the current one is an error, never a guess.
 */
export function upcast(event: RecordedEvent): RecordedEvent {
  if (!isEventType(event.type)) return event;
  const target = CURRENT_VERSION[event.type];
  let { version, data } = event;
  while (version < target) {
    const step = UPCASTERS[event.type]?.[version];
    if (!step) throw new UnknownEventVersionError(event);
    data = step(data);
    version += 1;
  }
  if (version !== target) throw new UnknownEventVersionError(event);
  return version === event.version ? event : { ...event, version, data };
}

/** Narrows a stored event to the catalogue's typed union, after upcasting; null for types it does not know. */
export function asCurrentEvent(event: RecordedEvent): CurrentEvent | null {
  const current = upcast(event);
  return isEventType(current.type) ? (current as CurrentEvent) : null;
}
