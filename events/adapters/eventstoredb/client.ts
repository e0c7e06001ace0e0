import {
  CancelledError,
  DeadlineExceededError,
  EventStoreDBClient,
  MaxAppendSizeExceededError,
  NotLeaderError,
  StreamDeletedError as EsdbStreamDeletedError,
  UnavailableError,
  type AppendResult as EsdbAppendResult,
  type AppendToStreamOptions,
  type ReadAllOptions as EsdbReadAllOptions,
  type ReadStreamOptions as EsdbReadStreamOptions,
  type SubscribeToAllOptions,
} from "@eventstore/db-client";
import { AppendTooLargeError, InvalidStoreRequestError, StreamDeletedError } from "../../errors";
import { connectionSetting } from "./connection-string";
import type { EsdbEventData, EsdbResolved } from "./mapping";

/** A read of the client. Breaking out of `for await` only pauses its gRPC call: `cancel()` ends it. */
export interface EsdbRead extends AsyncIterable<EsdbResolved> {
  cancel(): Promise<void>;
}

export interface EsdbLiveSubscription extends AsyncIterable<EsdbResolved> {
  unsubscribe(): Promise<void>;
}

/** The part of `EventStoreDBClient` the adapter uses: the real client, or a fake in unit tests. */
export interface EsdbClient {
  appendToStream(
    streamName: string,
    events: EsdbEventData[],
    options: AppendToStreamOptions,
  ): Promise<EsdbAppendResult>;
  readStream(streamName: string, options: EsdbReadStreamOptions): EsdbRead;
  readAll(options: EsdbReadAllOptions): EsdbRead;
  subscribeToAll(options: SubscribeToAllOptions): EsdbLiveSubscription;
  dispose(): Promise<void>;
}

/**
 * The client for a connection string. `throwOnAppendFailure=false` is refused: the client would then answer a
 * conflict with `success: false` instead of the error the optimistic-concurrency loop relies on.
 */
export function connect(connectionString: string): EsdbClient {
  if (connectionSetting(connectionString, "throwOnAppendFailure") === "false") {
    throw new InvalidStoreRequestError(
      "EventStoreDB connection string sets throwOnAppendFailure=false: Passerelle needs the client to throw on " +
        "a concurrency conflict; remove the setting",
    );
  }
  return EventStoreDBClient.connectionString(connectionString);
}

/** Errors after which a subscription resubscribes: the server or the link went away, not the request. */
export function isTransient(error: unknown): boolean {
  return (
    error instanceof UnavailableError ||
    error instanceof NotLeaderError ||
    error instanceof DeadlineExceededError ||
    error instanceof CancelledError
  );
}

/**
 * Errors after which the same append may be sent again: no answer came (the write may have landed, and the
 * server recognises its event ids), or a follower refused it (nothing was written).
 */
export function isRetryableAppendError(error: unknown): boolean {
  return error instanceof UnavailableError || error instanceof DeadlineExceededError || error instanceof NotLeaderError;
}

/** The client's errors that Passerelle names, as its own; anything else unchanged. */
export function toStoreError(error: unknown, streamId: string): unknown {
  if (error instanceof EsdbStreamDeletedError) return new StreamDeletedError(streamId);
  if (error instanceof MaxAppendSizeExceededError) {
    return new AppendTooLargeError(streamId, Number.isFinite(error.maxAppendSize) ? error.maxAppendSize : null);
  }
  return error;
}
