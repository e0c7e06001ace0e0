import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  eventTypeFilter,
  excludeSystemEvents,
  streamNameFilter,
} from "@eventstore/db-client";
import type { AppendResult, ExpectedRevision, RecordedEvent } from "../../envelope";
import { START_POSITION } from "../../envelope";
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
import { checkExpectedRevision, matchesFilter } from "../../port";
import {
  type EsdbResolved,
  type ServerFilter,
  fromCurrentRevision,
  fromResolvedEvent,
  isAfter,
  toEventData,
  toExpectedRevision,
  toReadPosition,
  toServerFilter,
} from "./mapping";

export interface EventStoreDbOptions extends ChainedEventStoreOptions {
  /** e.g. `esdb://localhost:2113?tls=false`; production reads it from EVENTSTORE_CONNECTION_STRING. */
  readonly connectionString: string;
}

/** Connects to EventStoreDB, the production store. */
export function openEventStoreDb(options: EventStoreDbOptions): EventStore {
  return new ChainedEventStore(new EventStoreDbBackend(options.connectionString), options);
}

/** How often an `any` append re-reads the head after losing a race, before giving up with the conflict. */
const MAX_ANY_RETRIES = 20;

export class EventStoreDbBackend implements EventStoreBackend {
  readonly backend = "eventstoredb";
  private readonly client: EventStoreDBClient;

  constructor(connectionString: string) {
    this.client = EventStoreDBClient.connectionString(connectionString);
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
    for (let attempt = 0; ; attempt++) {
      const head = await this.readHead(streamId);
      checkExpectedRevision(streamId, expectedRevision, head);
      const events = prepare(head);
      try {
        const result = await this.client.appendToStream(streamId, events.map(toEventData), {
          expectedRevision: head === null ? "no_stream" : toExpectedRevision(head.revision),
        });
        if (!result.position) throw new Error(`append to ${streamId} returned no position`);
        return {
          nextExpectedRevision: Number(result.nextExpectedRevision),
          position: result.position.commit.toString(),
        };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        if (expectedRevision !== "any" || attempt >= MAX_ANY_RETRIES) {
          throw new WrongExpectedRevisionError(streamId, expectedRevision, fromCurrentRevision(error.actualVersion));
        }
      }
    }
  }

  private async readHead(streamId: string): Promise<StreamHead | null> {
    for await (const event of this.readStream(streamId, { direction: "backwards", maxCount: 1 })) {
      return { revision: event.revision, hash: event.metadata.hash };
    }
    return null;
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncGenerator<RecordedEvent> {
    const backwards = options.direction === "backwards";
    const read = this.client.readStream(streamId, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision: options.fromRevision === undefined ? (backwards ? END : START) : BigInt(options.fromRevision),
      ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
    });
    try {
      for await (const resolved of read) {
        const event = fromResolvedEvent(resolved as EsdbResolved);
        if (event) yield event;
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return;
      throw error;
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncGenerator<RecordedEvent> {
    let remaining = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    if (remaining <= 0) return;
    const read = this.client.readAll({ direction: FORWARDS, fromPosition: toReadPosition(options.after) });
    for await (const resolved of read) {
      const event = fromResolvedEvent(resolved as EsdbResolved);
      if (!event || !isAfter(event, options.after) || !matchesFilter(event, options.filter)) continue;
      yield event;
      if (--remaining === 0) return;
    }
  }

  subscribeToAll(options: SubscribeOptions = {}): EventSubscription {
    const subscription = this.client.subscribeToAll({
      fromPosition: toReadPosition(options.after),
      filter: clientFilter(toServerFilter(options.filter)),
    });
    async function* events(): AsyncGenerator<RecordedEvent> {
      for await (const resolved of subscription) {
        const event = fromResolvedEvent(resolved as EsdbResolved);
        if (event && isAfter(event, options.after) && matchesFilter(event, options.filter)) yield event;
      }
    }
    const iterator = events();
    return {
      [Symbol.asyncIterator]: () => iterator,
      close: async () => {
        await subscription.unsubscribe();
        await iterator.return(undefined);
      },
    };
  }

  async headPosition(): Promise<string> {
    // System events ($stats, $settings, ...) are not ours: the head is the last event a subscriber can see.
    for await (const resolved of this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 10_000 })) {
      const event = fromResolvedEvent(resolved as EsdbResolved);
      if (event) return event.position;
    }
    return START_POSITION;
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}

function clientFilter(filter: ServerFilter) {
  switch (filter.kind) {
    case "eventType":
      return eventTypeFilter({ prefixes: [...filter.prefixes] });
    case "streamName":
      return streamNameFilter({ prefixes: [...filter.prefixes] });
    case "excludeSystemEvents":
      return excludeSystemEvents();
  }
}
