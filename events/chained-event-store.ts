import { v7 as timeOrderedUuid } from "uuid";
import type { AppendResult, ExpectedRevision, NewEvent, RecordedEvent } from "./envelope";
import { InvalidStoreRequestError } from "./errors";
import { GENESIS_HASH, hashEvent } from "./hash-chain";
import type {
  EventStore,
  EventStoreBackend,
  EventSubscription,
  PreparedEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StreamHead,
  SubscribeOptions,
} from "./port";
import { filterProblem } from "./port";

export interface ChainedEventStoreOptions {
  /** Source of `recordedAt`; injectable so tests can pin time. */
  readonly clock?: () => Date;
}

/**
 * The store-independent half of every adapter: gives events their ids, recording time and hash chain, so the
 * chain is computed the same way whichever backend stores it.
 */
export class ChainedEventStore implements EventStore {
  readonly backend: string;
  private readonly clock: () => Date;

  constructor(
    private readonly storage: EventStoreBackend,
    options: ChainedEventStoreOptions = {},
  ) {
    this.backend = storage.backend;
    this.clock = options.clock ?? (() => new Date());
  }

  async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options: { readonly expectedRevision?: ExpectedRevision } = {},
  ): Promise<AppendResult> {
    if (events.length === 0) throw new InvalidStoreRequestError(`append to ${streamId}: no events`);
    if (!streamId) throw new InvalidStoreRequestError("append: empty stream id");
    // JSON round trip now, so what is hashed is exactly what a reader will parse back.
    const normalized = events.map((event) => ({
      ...event,
      data: JSON.parse(JSON.stringify(event.data ?? null)) as unknown,
    }));
    const recordedAt = this.clock().toISOString();
    const prepare = (head: StreamHead | null): PreparedEvent[] => {
      let previousHash = head?.hash ?? GENESIS_HASH;
      let revision = head === null ? 0 : head.revision + 1;
      return normalized.map((event) => {
        const { metadata } = event;
        const unhashed = {
          // Time-ordered (UUIDv7): new ids land at the end of the store's id index instead of all over it, which
          // halves the pages a group commit writes.
          id: event.id ?? timeOrderedUuid(),
          type: event.type,
          version: event.version ?? 1,
          streamId,
          revision: revision++,
          recordedAt,
          data: event.data,
          metadata: {
            actor: metadata.actor,
            commandId: metadata.commandId,
            correlationId: metadata.correlationId ?? metadata.commandId,
            causationId: metadata.causationId ?? null,
            businessDate: metadata.businessDate ?? null,
            ...(metadata.commandHash === undefined ? {} : { commandHash: metadata.commandHash }),
          },
        };
        const hash = hashEvent(previousHash, unhashed);
        previousHash = hash;
        return { ...unhashed, metadata: { ...unhashed.metadata, hash } };
      });
    };
    return this.storage.append(streamId, options.expectedRevision ?? "any", prepare);
  }

  readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent> {
    return this.storage.readStream(streamId, options);
  }

  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent> {
    // Refused before the backend prepares anything for the filter; the error comes with the first read.
    const problem = filterProblem(options?.filter);
    if (problem) {
      return { [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(problem) }) };
    }
    return this.storage.readAll(options);
  }

  subscribeToAll(options?: SubscribeOptions): EventSubscription {
    const problem = filterProblem(options?.filter);
    if (problem) throw problem;
    return this.storage.subscribeToAll(options);
  }

  headPosition(): Promise<string> {
    return this.storage.headPosition();
  }

  close(): Promise<void> {
    return this.storage.close();
  }
}
