import { WrongExpectedVersionError } from "@eventstore/db-client";
import type { AppendResult, ExpectedRevision, RecordedEvent } from "../../envelope";
import { WrongExpectedRevisionError } from "../../errors";
import { ChainedEventStore, type ChainedEventStoreOptions } from "../../chained-event-store";
import type {
  EventStore,
  EventStoreBackend,
  EventSubscription,
  PreparedEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StreamHead,
  SubscribeOptions,
} from "../../port";
import { checkExpectedRevision } from "../../port";
import { type AppendContext, appendPrepared } from "./append";
import { type EsdbClient, connect } from "./client";
import { fromCurrentRevision, toExpectedRevision } from "./mapping";
import { DEFAULT_PAGE_SIZE, headPosition, readAllEvents, readHead, readStreamEvents } from "./reads";
import { DEFAULT_RETRY, type RetryPolicy } from "./retry";
import { resubscribingSubscription } from "./subscription";

export type { EsdbClient } from "./client";
export type { RetryPolicy } from "./retry";

export interface EventStoreDbBackendOptions {
  /** Waits and tries for resubscribing and for resending an unanswered append; see DEFAULT_RETRY. */
  readonly retry?: Partial<RetryPolicy>;
  /** Events per read when `$all` is paged through (bounded `readAll`, `headPosition`). Default 1,000. */
  readonly pageSize?: number;
}

export interface EventStoreDbOptions extends ChainedEventStoreOptions, EventStoreDbBackendOptions {
  /** e.g. `esdb://localhost:2113?tls=false`; production reads it from EVENTSTORE_CONNECTION_STRING. */
  readonly connectionString: string;
}

/** Connects to EventStoreDB, the production store. */
export function openEventStoreDb(options: EventStoreDbOptions): EventStore {
  return new ChainedEventStore(new EventStoreDbBackend(options.connectionString, options), options);
}

/** How often an `any` append re-reads the head after losing a race, before giving up with the conflict. */
const MAX_ANY_RETRIES = 20;

export class EventStoreDbBackend implements EventStoreBackend {
  readonly backend = "eventstoredb";
  private readonly client: EsdbClient;
  private readonly retry: RetryPolicy;
  private readonly pageSize: number;
  private readonly stopping = new AbortController();
  private readonly subscriptions = new Set<EventSubscription>();

  /** From a connection string, or from a client (the real one, or a fake in tests). */
  constructor(client: string | EsdbClient, options: EventStoreDbBackendOptions = {}) {
    this.client = typeof client === "string" ? connect(client) : client;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    // A page must hold more than the one event a read from a position may repeat.
    this.pageSize = Math.max(2, options.pageSize ?? DEFAULT_PAGE_SIZE);
  }

  /**
   * EventStoreDB has no read-then-write transaction: read the head, build the chained events on it, and append
   * with the head's exact revision. If another writer got in between, an `any` append retries on the new head;
   * any other expectation reports the conflict.
   */
  async append(
    streamId: string,
    expectedRevision: ExpectedRevision,
    prepare: (head: StreamHead | null) => readonly PreparedEvent[],
  ): Promise<AppendResult> {
    const context: AppendContext = { client: this.client, retry: this.retry, signal: this.stopping.signal };
    for (let attempt = 0; ; attempt++) {
      const head = await readHead(this.client, streamId);
      checkExpectedRevision(streamId, expectedRevision, head);
      const expected = head === null ? "no_stream" : toExpectedRevision(head.revision);
      try {
        return await appendPrepared(context, streamId, prepare(head), expected);
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        if (expectedRevision !== "any" || attempt >= MAX_ANY_RETRIES) {
          throw new WrongExpectedRevisionError(streamId, expectedRevision, fromCurrentRevision(error.actualVersion));
        }
      }
    }
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): AsyncGenerator<RecordedEvent> {
    return readStreamEvents(this.client, streamId, options);
  }

  readAll(options: ReadAllOptions = {}): AsyncGenerator<RecordedEvent> {
    return readAllEvents(this.client, options, this.pageSize);
  }

  subscribeToAll(options: SubscribeOptions = {}): EventSubscription {
    const subscription = resubscribingSubscription(this.client, options, this.retry, () =>
      this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  headPosition(): Promise<string> {
    return headPosition(this.client, this.pageSize);
  }

  async close(): Promise<void> {
    this.stopping.abort();
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await this.client.dispose();
  }
}
