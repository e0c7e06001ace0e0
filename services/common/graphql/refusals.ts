/**
 * The one table from every error Passerelle names to what a client and an operator see of it: the GraphQL
 * `extensions.code` with its details, and the command outcome counted in metrics. Keyed by the error's own
 * `code`: a new kind of error does not compile until it has its row.
 */
import { InvalidInput, NotFound, RuleViolation } from "../../../domain/decider";
import {
  AppendTooLargeError,
  InvalidFilterError,
  PasserelleError,
  StoreFullError,
  StoreUnavailableError,
  StreamDeletedError,
  WrongExpectedRevisionError,
} from "../../../events/errors";
import { UnknownEventTypeError, UnknownEventVersionError } from "../../../events/upcasters";
import { ReadTimeoutError } from "../../../projections/runner";
import { ProjectionFailedError } from "../../../projections/track";
import { OutOfScopeError } from "../access";
import { CommandIdReusedError } from "../command-handler";
import type { CommandOutcome } from "../metrics";

export type ErrorCode =
  | "BAD_USER_INPUT"
  | "NOT_FOUND"
  | "CONFLICT"
  | "RULE_VIOLATION"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "READ_TIMEOUT"
  | "COMMAND_ID_REUSED"
  | "UNKNOWN_EVENT_TYPE"
  | "UNKNOWN_EVENT_VERSION"
  | "STORE_FULL"
  | "STORE_UNAVAILABLE"
  | "APPEND_TOO_LARGE"
  | "STREAM_DELETED"
  | "SERVICE_UNAVAILABLE"
  | "INTERNAL_SERVER_ERROR";

/** Every error with a row below. */
export type NamedError =
  | RuleViolation
  | InvalidInput
  | NotFound
  | WrongExpectedRevisionError
  | CommandIdReusedError
  | UnknownEventTypeError
  | UnknownEventVersionError
  | StoreFullError
  | AppendTooLargeError
  | StreamDeletedError
  | StoreUnavailableError
  | InvalidFilterError
  | ReadTimeoutError
  | ProjectionFailedError
  | OutOfScopeError;

export interface Refusal {
  readonly code: ErrorCode;
  /** For a command that failed so: its label in `passerelle_commands_total`. */
  readonly outcome: CommandOutcome;
  /** What the client reads; the error's own message when absent. */
  readonly message?: string;
  readonly extensions?: Readonly<Record<string, unknown>>;
}

export function refusalOf(error: NamedError): Refusal {
  switch (error.code) {
    case "RULE_VIOLATION":
      return { code: "RULE_VIOLATION", outcome: "rule_violation", extensions: { rule: error.rule } };
    case "INVALID_INPUT":
      return { code: "BAD_USER_INPUT", outcome: "bad_input", extensions: { field: error.field } };
    case "NOT_FOUND":
      return { code: "NOT_FOUND", outcome: "not_found", extensions: { entity: error.entity, id: error.id } };
    case "WRONG_EXPECTED_REVISION": {
      const { streamId, expectedRevision, actualRevision } = error;
      return {
        code: "CONFLICT",
        outcome: "conflict",
        message: `${streamId} has moved on: expected revision ${String(expectedRevision)}, it is at ${String(actualRevision)}. Reload and retry.`,
        extensions: { expectedRevision, actualRevision },
      };
    }
    case "COMMAND_ID_REUSED": {
      const { commandId, streamId, position } = error;
      return { code: "COMMAND_ID_REUSED", outcome: "command_id_reused", extensions: { commandId, streamId, position } };
    }
    case "UNKNOWN_EVENT_TYPE":
    case "UNKNOWN_EVENT_VERSION": {
      // A newer version wrote this stream: operators must know this replica is behind.
      const { type, version, streamId, revision, position } = error.event;
      return {
        code: error.code,
        outcome: "unknown_event",
        extensions: { eventType: type, version, streamId, revision, position },
      };
    }
    case "STORE_FULL":
      return { code: "STORE_FULL", outcome: "store_full", extensions: { streamId: error.streamId } };
    case "APPEND_TOO_LARGE": {
      const { streamId, maxAppendSize } = error;
      return { code: "APPEND_TOO_LARGE", outcome: "bad_input", extensions: { streamId, maxAppendSize } };
    }
    case "STREAM_DELETED":
      return { code: "STREAM_DELETED", outcome: "not_found", extensions: { streamId: error.streamId } };
    case "STORE_UNAVAILABLE":
      return { code: "STORE_UNAVAILABLE", outcome: "store_unavailable" };
    case "INVALID_FILTER":
      return { code: "BAD_USER_INPUT", outcome: "bad_input" };
    case "READ_TIMEOUT": {
      const { projection, position, checkpoint } = error;
      return { code: "READ_TIMEOUT", outcome: "error", extensions: { projection, position, checkpoint } };
    }
    case "OUT_OF_SCOPE":
      return { code: "FORBIDDEN", outcome: "forbidden", extensions: { institutions: error.institutions } };
    case "PROJECTION_FAILED":
      return {
        code: "SERVICE_UNAVAILABLE",
        outcome: "error",
        message: "A read model of this service is stopped; operators have been told.",
      };
    default: {
      const unnamed: never = error;
      throw new Error(`no refusal for ${String(unnamed)}`);
    }
  }
}

/** Each named code once: the compiler checks this list against the union above. */
const NAMED: Readonly<Record<NamedError["code"], true>> = {
  RULE_VIOLATION: true,
  INVALID_INPUT: true,
  NOT_FOUND: true,
  WRONG_EXPECTED_REVISION: true,
  COMMAND_ID_REUSED: true,
  UNKNOWN_EVENT_TYPE: true,
  UNKNOWN_EVENT_VERSION: true,
  STORE_FULL: true,
  APPEND_TOO_LARGE: true,
  STREAM_DELETED: true,
  STORE_UNAVAILABLE: true,
  INVALID_FILTER: true,
  READ_TIMEOUT: true,
  PROJECTION_FAILED: true,
  OUT_OF_SCOPE: true,
};

export function isNamedError(error: unknown): error is NamedError {
  return error instanceof PasserelleError && Object.prototype.hasOwnProperty.call(NAMED, error.code);
}
