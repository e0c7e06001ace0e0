/**
 * An in-memory stand-in for the part of EventStoreDBClient the adapter uses, so the adapter's handling of the
 * server's behaviour (errors, positions, idempotent appends, dropped calls) is tested everywhere. It throws the
 * client's own error classes. Every read and subscription it opens is kept, with `cancel`/`unsubscribe` spies.
 */
import {
  StreamDeletedError,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AppendResult,
  type AppendToStreamOptions,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type SubscribeToAllOptions,
} from "@eventstore/db-client";
import type { EsdbClient, EsdbLiveSubscription, EsdbRead } from "../events/adapters/eventstoredb/client";
import type { EsdbEventData, EsdbRecorded, EsdbResolved } from "../events/adapters/eventstoredb/mapping";

type Step = EsdbResolved | Error | "hang";

/** A client read: yields its steps (throwing an Error step), then ends; `cancel` records the call. */
export class FakeRead implements EsdbRead, EsdbLiveSubscription {
  readonly cancel = jest.fn(async () => this.stop());
  readonly unsubscribe = jest.fn(async () => this.stop());
  private stopped = false;
  private wake: () => void = () => undefined;

  constructor(
    readonly options: unknown,
    private readonly steps: readonly Step[],
  ) {}

  /** How many times the call was ended by the adapter. */
  get ended(): number {
    return this.cancel.mock.calls.length + this.unsubscribe.mock.calls.length;
  }

  private stop(): void {
    this.stopped = true;
    this.wake();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<EsdbResolved> {
    for (const step of this.steps) {
      if (this.stopped) return;
      if (step === "hang") {
        // A live subscription waiting for new events: only ending the call ends it.
        await new Promise<void>((resolve) => (this.wake = resolve));
        return;
      }
      if (step instanceof Error) throw step;
      yield step;
    }
  }
}

/** What a scripted subscription does once it has delivered `take` events of the log (all by default). */
export interface SubscriptionScript {
  readonly take?: number;
  readonly then: Error | "end" | "hang";
}

export class FakeEsdbClient implements EsdbClient {
  /** `$all`, in order. */
  readonly log: EsdbRecorded[] = [];
  readonly reads: FakeRead[] = [];
  readonly subscriptions: FakeRead[] = [];
  readonly tombstoned = new Set<string>();
  /**
   * Faults of the next appends, in order: `landed` writes the events before throwing (a lost answer);
   * `meanwhile` runs first (another writer getting in).
   */
  readonly appendFaults: { readonly error: Error; readonly landed?: boolean; readonly meanwhile?: () => void }[] = [];
  readonly subscriptionScripts: SubscriptionScript[] = [];
  /** EventStoreDB answers a repeated append of the same ids as a success; off, it reports the conflict. */
  idempotent = true;
  private nextPosition = 100n;

  readonly appendToStream = jest.fn(
    async (streamName: string, events: EsdbEventData[], options: AppendToStreamOptions): Promise<AppendResult> => {
      if (this.tombstoned.has(streamName)) throw StreamDeletedError.fromStreamName(streamName);
      const fault = this.appendFaults.shift();
      fault?.meanwhile?.();
      if (fault && !fault.landed) throw fault.error;
      const result = this.write(streamName, events, options.expectedRevision ?? "any");
      if (fault) throw fault.error;
      return result;
    },
  );

  readonly readStream = jest.fn((streamName: string, options: ReadStreamOptions): FakeRead => {
    const backwards = options.direction === "backwards";
    let events = this.log.filter((e) => e.streamId === streamName);
    if (backwards) events = events.reverse();
    const from = options.fromRevision;
    if (typeof from === "bigint") events = events.filter((e) => (backwards ? e.revision <= from : e.revision >= from));
    const steps: Step[] = this.tombstoned.has(streamName)
      ? [StreamDeletedError.fromStreamName(streamName)]
      : events.length === 0
        ? [new StreamNotFoundError(undefined, streamName)]
        : events.slice(0, Number(options.maxCount ?? Number.MAX_SAFE_INTEGER)).map((event) => ({ event }));
    return this.track(this.reads, new FakeRead(options, steps));
  });

  /** Forwards from a position includes the event there; backwards from it, only the events before it. */
  readonly readAll = jest.fn((options: ReadAllOptions): FakeRead => {
    const backwards = options.direction === "backwards";
    const from = options.fromPosition ?? "start";
    let events = backwards ? [...this.log].reverse() : [...this.log];
    if (typeof from === "object") {
      events = events.filter((e) => (backwards ? e.position!.commit < from.commit : e.position!.commit >= from.commit));
    }
    const steps = events.slice(0, Number(options.maxCount ?? Number.MAX_SAFE_INTEGER)).map((event) => ({ event }));
    return this.track(this.reads, new FakeRead(options, steps));
  });

  readonly subscribeToAll = jest.fn((options: SubscribeToAllOptions): FakeRead => {
    const from = options.fromPosition ?? "start";
    const events = this.log.filter((e) => typeof from !== "object" || e.position!.commit >= from.commit);
    const script = this.subscriptionScripts.shift() ?? { then: "hang" };
    const steps: Step[] = events.slice(0, script.take ?? events.length).map((event) => ({ event }));
    if (script.then !== "end") steps.push(script.then);
    return this.track(this.subscriptions, new FakeRead(options, steps));
  });

  readonly dispose = jest.fn(async () => undefined);

  /** Puts an event in `$all` directly: someone else's, a system event, or one with odd positions. */
  record(event: Omit<EsdbRecorded, "position" | "revision"> & { position?: Position }): EsdbRecorded {
    const revision = BigInt(this.log.filter((e) => e.streamId === event.streamId).length);
    const commit = this.nextPosition;
    this.nextPosition += 10n;
    const recorded = { revision, position: { commit, prepare: commit }, ...event };
    this.log.push(recorded);
    return recorded;
  }

  private write(streamName: string, events: EsdbEventData[], expected: unknown): AppendResult {
    const stream = this.log.filter((e) => e.streamId === streamName);
    const current = stream.length === 0 ? "no_stream" : BigInt(stream.length - 1);
    const start = expected === "no_stream" ? 0 : typeof expected === "bigint" ? Number(expected) + 1 : stream.length;
    const already = stream.slice(start, start + events.length);
    if (this.idempotent && already.length === events.length && already.every((e, i) => e.id === events[i]!.id)) {
      const last = already[already.length - 1]!;
      return { success: true, nextExpectedRevision: last.revision, position: last.position };
    }
    if (expected !== "any" && expected !== current) {
      throw new WrongExpectedVersionError(undefined, {
        streamName,
        current,
        expected: expected as bigint | "no_stream",
      });
    }
    let last: EsdbRecorded | undefined;
    for (const event of events) {
      last = this.record({ streamId: streamName, isJson: true, ...event });
    }
    return { success: true, nextExpectedRevision: last!.revision, position: last!.position };
  }

  private track(list: FakeRead[], read: FakeRead): FakeRead {
    list.push(read);
    return read;
  }
}

/** Someone else's event (no Passerelle metadata), or a system event. */
export function foreignEvent(client: FakeEsdbClient, streamId = "other-app-1", type = "SomethingElse"): EsdbRecorded {
  return client.record({ streamId, id: `foreign-${client.log.length}`, isJson: true, type, data: {}, metadata: {} });
}
