import type { ExpectedRevision } from "./envelope";

/**
 * The base of every error Passerelle names: each kind carries a literal `code`, so the API maps them in one
 * table keyed by it (services/common/graphql/errors.ts); the base fixes the prototype chain once.
 */
export abstract class PasserelleError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** Errors the event store reports. */
export abstract class EventStoreError extends PasserelleError {}

/** A concurrency conflict: expected, not exceptional. Carries what the stream really holds. */
export class WrongExpectedRevisionError extends EventStoreError {
  readonly code = "WRONG_EXPECTED_REVISION";
  constructor(
    readonly streamId: string,
    readonly expectedRevision: ExpectedRevision,
    /** The stream's last revision, or `no_stream` when it does not exist. */
    readonly actualRevision: number | "no_stream",
  ) {
    super(`stream ${streamId}: expected revision ${String(expectedRevision)}, actual ${String(actualRevision)}`);
  }
}

/** Bad arguments to a store operation (an empty append, a malformed position): a bug in the caller. */
export class InvalidStoreRequestError extends EventStoreError {
  readonly code = "INVALID_STORE_REQUEST";
}

/** A read filter past the store's bounds (see MAX_FILTER_PREFIXES): what a client asked for. */
export class InvalidFilterError extends EventStoreError {
  readonly code = "INVALID_FILTER";
}

/** The store's disk (or its configured size cap) is full: nothing of the refused append was written. */
export class StoreFullError extends EventStoreError {
  readonly code = "STORE_FULL";
  constructor(readonly streamId: string) {
    super(`append to ${streamId} refused: the event store is full; nothing was written. Free space and retry.`);
  }
}

/** One append is larger than the store accepts in a single write (EventStoreDB's MaxAppendSize). */
export class AppendTooLargeError extends EventStoreError {
  readonly code = "APPEND_TOO_LARGE";
  constructor(
    readonly streamId: string,
    readonly maxAppendSize: number | null,
  ) {
    super(
      `append to ${streamId} refused: larger than the store accepts in one write` +
        (maxAppendSize === null ? "" : ` (${maxAppendSize} bytes)`),
    );
  }
}

/** The stream was deleted for good (an EventStoreDB tombstone): it can be neither read nor written again. */
export class StreamDeletedError extends EventStoreError {
  readonly code = "STREAM_DELETED";
  constructor(readonly streamId: string) {
    super(`stream ${streamId} has been deleted for good`);
  }
}

/** The store did not answer in time, even after retrying the same write; whether it landed is unknown. */
export class StoreUnavailableError extends EventStoreError {
  readonly code = "STORE_UNAVAILABLE";
}
