import type { ExpectedRevision } from "./envelope";

/**
 * Errors the event store reports. Each subclass carries a literal `code`, so callers switch on it instead of
 * on `instanceof` across module copies; the base fixes the prototype chain once.
 */
export abstract class EventStoreError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

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
