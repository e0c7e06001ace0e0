/**
 * The analysts' live feeds, over graphql-ws. Each is the store's catch-up subscription from the position the
 * subscriber last saw — backlog, then live, no gap, no duplicate, across restarts — filtered and paced:
 *
 * - Pacing: before handing the next event to the socket, the feed waits while more than HIGH_WATER bytes sit
 *   unsent on it. The feed pulls from the log only as fast as its subscriber reads, so a slow subscriber holds
 *   up no writer (appends never wait for subscribers) and no other subscriber (each has its own cursor). If
 *   nothing drains for STALL_MS, the subscription ends with SLOW_CONSUMER and the last position delivered:
 *   resubscribe from it and nothing is lost, since the log keeps everything.
 * - Unsubscribing closes the store subscription at once, even while it waits for the next event.
 */
import { GraphQLError } from "graphql";
import type { PasserelleEvent } from "../../events/catalogue";
import type { RecordedEvent } from "../../events/envelope";
import type { EventStore } from "../../events/port";
import { asCurrentEvent } from "../../events/upcasters";
import type { ProjectionRunner } from "../../projections/runner";

export const HIGH_WATER = 1024 * 1024;
export const STALL_MS = 30_000;

/** What the feed sees of its connection: the bytes sent but not yet taken by the network. */
export interface Outbox {
  bufferedAmount(): number;
}

export interface FeedScope {
  readonly partnershipId?: string;
  readonly institutionId?: string;
  readonly country?: string;
}

/** A partnership's parties and countries, as the audit service's index knows them. */
export type ScopeLookup = (
  partnershipId: string,
) => { parties: readonly string[]; countries: readonly string[] } | undefined;

/** Institutions and countries an event names in its own data (funders, origins, destinations, signatories). */
function named(event: PasserelleEvent): { institutions: string[]; countries: string[] } {
  const institutions: string[] = [];
  const countries: string[] = [];
  switch (event.type) {
    case "InstitutionRegistered":
      institutions.push(event.data.institutionId);
      if (event.data.country) countries.push(event.data.country);
      break;
    case "InstitutionRenamed":
      institutions.push(event.data.institutionId);
      break;
    case "PartnershipProposed":
      institutions.push(...event.data.parties);
      countries.push(...event.data.countries);
      break;
    case "FundingGranted":
      institutions.push(...event.data.funders);
      break;
    case "AccessGranted":
    case "AccessRevoked":
      if (event.data.institutionId) institutions.push(event.data.institutionId);
      break;
    case "DelegationScheduled":
    case "DelegationHosted":
      institutions.push(...event.data.origin.institutions);
      if (event.data.origin.country) countries.push(event.data.origin.country);
      break;
    case "MissionPlanned":
    case "MissionCompleted":
      if (event.data.destination.country) countries.push(event.data.destination.country);
      break;
    case "MoUSigned":
      institutions.push(...event.data.signatories.map((s) => s.institutionId));
      break;
    default:
      break;
  }
  return { institutions, countries };
}

/** Does the event fall in the scope? Partnership scope comes from the lookup (kept current by the caller). */
export function inScope(event: PasserelleEvent, scope: FeedScope, lookup: ScopeLookup): boolean {
  const partnershipId = (event.data as { partnershipId?: string }).partnershipId;
  if (scope.partnershipId && partnershipId !== scope.partnershipId) return false;
  if (!scope.institutionId && !scope.country) return true;
  const own = named(event);
  const partnership = partnershipId ? lookup(partnershipId) : undefined;
  if (
    scope.institutionId &&
    !own.institutions.includes(scope.institutionId) &&
    !partnership?.parties.includes(scope.institutionId)
  )
    return false;
  if (scope.country && !own.countries.includes(scope.country) && !partnership?.countries.includes(scope.country))
    return false;
  return true;
}

async function paced(
  outbox: Outbox | undefined,
  lastPosition: string,
  highWater: number,
  stallMs: number,
): Promise<void> {
  if (!outbox) return;
  const since = Date.now();
  while (outbox.bufferedAmount() > highWater) {
    if (Date.now() - since > stallMs) {
      throw new GraphQLError(
        `The subscriber is reading too slowly; resubscribe after position ${lastPosition} to go on.`,
        {
          extensions: { code: "SLOW_CONSUMER", lastPosition },
        },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface FeedOptions {
  readonly store: EventStore;
  readonly after: string;
  readonly typePrefixes?: readonly string[];
  readonly scope: FeedScope;
  readonly lookup: ScopeLookup;
  /** Waits until the scope lookup reflects an event, before the event is judged by it. */
  readonly lookupReady: (position: string) => Promise<void>;
  readonly outbox?: Outbox;
  /** Called once, when the feed starts and when it ends (closed, failed or done). */
  readonly onOpen?: () => void;
  readonly onEnd?: () => void;
  /** Default HIGH_WATER and STALL_MS. */
  readonly highWater?: number;
  readonly stallMs?: number;
}

/**
 * Stored events from `after`, upcast and in scope, one at a time as the subscriber takes them. `map` turns
 * each into what the subscription yields (it may return undefined to skip one).
 */
export function liveFeed<T>(
  options: FeedOptions,
  map: (event: RecordedEvent & PasserelleEvent) => Promise<T | undefined> | T | undefined,
): AsyncIterableIterator<T> {
  const subscription = options.store.subscribeToAll({
    after: options.after,
    ...(options.typePrefixes?.length ? { filter: { eventTypePrefixes: options.typePrefixes } } : {}),
  });
  const source = subscription[Symbol.asyncIterator]();
  const scoped = Boolean(options.scope.institutionId || options.scope.country);
  let last = options.after;
  let ended = false;
  const end = () => {
    if (!ended) options.onEnd?.();
    ended = true;
  };
  options.onOpen?.();
  const iterator: AsyncIterableIterator<T> = {
    [Symbol.asyncIterator]: () => iterator,
    next: async () => {
      try {
        return await pull();
      } catch (error) {
        end();
        throw error;
      }
    },
    async return() {
      end();
      await subscription.close();
      return { done: true, value: undefined };
    },
  };
  async function pull(): Promise<IteratorResult<T>> {
    for (;;) {
      const result = await source.next();
      if (result.done) {
        end();
        return { done: true, value: undefined };
      }
      const event = asCurrentEvent(result.value);
      if (!event) continue;
      if (scoped) await options.lookupReady(event.position);
      if (!inScope(event, options.scope, options.lookup)) continue;
      const value = await map(event);
      if (value === undefined) continue;
      await paced(options.outbox, last, options.highWater ?? HIGH_WATER, options.stallMs ?? STALL_MS);
      last = event.position;
      return { done: false, value };
    }
  }
  return iterator;
}

/** A runner-backed readiness wait for a projection: the lookup it feeds reflects `position` once it resolves. */
export function projectionReady(runner: ProjectionRunner, projection: string, timeoutMs: number) {
  return (position: string) => runner.waitForPosition(projection, position, timeoutMs);
}

/** `first`, then whatever `rest` yields; returning closes `rest`. */
export function startingWith<T>(first: T, rest: AsyncIterableIterator<T>): AsyncIterableIterator<T> {
  let sent = false;
  const iterator: AsyncIterableIterator<T> = {
    [Symbol.asyncIterator]: () => iterator,
    async next() {
      if (sent) return rest.next();
      sent = true;
      return { done: false, value: first };
    },
    async return() {
      return rest.return ? rest.return() : { done: true, value: undefined };
    },
  };
  return iterator;
}
