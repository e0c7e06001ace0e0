/** The one path from a mutation to the command handler: metadata from the caller, then decide and append. */
import { deciderFor, type CommandType } from "../../../domain/deciders";
import { InvalidInput, NotFound, RuleViolation } from "../../../domain/decider";
import type { PersonIdentity } from "../../../events/catalogue";
import { sealReferences, type NamedPerson } from "../../../events/personal-data/mentions";
import type { Sealed } from "../../../events/personal-data/vault";
import type { CommandOutcome } from "../metrics";
import { handleCommand, type CommandResult } from "../command-handler";
import { isNamedError, refusalOf } from "./refusals";
import { commandMetadata, type GraphQLContext } from "./context";

/** Argument descriptions every mutation shares. */
export const COMMAND_ID = {
  description: "Your id for this command: sending it again returns the first result and appends nothing.",
} as const;
export const EXPECTED = {
  nullable: true,
  description: "The revision you last saw (-1: must not exist yet); a mismatch is a CONFLICT.",
} as const;

/** A mutation's command, as executeCommand takes it. */
export interface CommandRequest {
  readonly command: { readonly type: CommandType; readonly data: unknown };
  readonly commandId: string;
  readonly expectedRevision: number | null | undefined;
  /** The projection the mutation's answer is read from. */
  readonly readModel: string;
}

/**
 * Handles the command, then waits until `readModel` (the projection the mutation's answer is read from) has
 * applied its events, so the answer shows what was just written.
 */
export async function executeCommand(
  context: GraphQLContext,
  request: CommandRequest,
): Promise<CommandResult<unknown>> {
  const { command, commandId, expectedRevision, readModel } = request;
  const decider = deciderFor(command);
  if (commandId.trim().length === 0 || commandId.length > 200)
    throw new InvalidInput("commandId", "must be 1 to 200 characters");
  if (
    expectedRevision !== null &&
    expectedRevision !== undefined &&
    (!Number.isInteger(expectedRevision) || expectedRevision < -1)
  ) {
    throw new InvalidInput("expectedRevision", "must be -1 (new) or a stream revision");
  }
  // People named in free text as @{person:<id>} travel sealed with their key, never in clear.
  const data = await sealReferences(
    command.data,
    (id) => recordedPerson(context, id),
    context.runtime.vault,
    (id, why) => (why === "unknown" ? new NotFound("Person", id) : new RuleViolation("PERSON_FORGOTTEN", id)),
  );
  const full = { ...command, data, metadata: commandMetadata(context, commandId) };
  const { metrics, logger } = context.runtime;
  const facts = { type: command.type, commandId, correlationId: context.correlationId, actor: full.metadata.actor };
  let result: CommandResult<unknown>;
  try {
    const caller = context.identity!;
    result = await handleCommand(
      context.runtime.store,
      decider,
      full,
      expectedRevision === null || expectedRevision === undefined ? { caller } : { expectedRevision, caller },
    );
    const outcome = result.replayed ? "replayed" : "accepted";
    metrics.commands.inc({ type: command.type, outcome });
    logger.info(
      { ...facts, outcome, streamId: result.streamId, revision: result.revision, position: result.position },
      "command",
    );
  } catch (error) {
    const outcome = outcomeOf(error);
    metrics.commands.inc({ type: command.type, outcome });
    if (OPERATOR_ALERTS.has(outcome)) logger.error({ ...facts, outcome, err: error }, "command failed");
    else logger.info({ ...facts, outcome, reason: (error as Error).message }, "command refused");
    throw error;
  }
  const { runner, consistencyTimeoutMs } = context.runtime;
  await runner.waitForPosition(readModel, result.position, consistencyTimeoutMs);
  return result;
}

/** Outcomes an operator must act on (the others are the client's to fix): logged as errors. */
const OPERATOR_ALERTS = new Set<CommandOutcome>(["error", "unknown_event", "store_full", "store_unavailable"]);

function outcomeOf(error: unknown): CommandOutcome {
  return isNamedError(error) ? refusalOf(error).outcome : "error";
}

/** Plain data from GraphQL input objects (class instances, possibly nested), as a command carries it. */
export function plain<T>(input: T): T {
  return JSON.parse(JSON.stringify(input)) as T;
}

/** A recorded person's name as the vault opens it, "forgotten" once erased, or undefined when never recorded. */
async function recordedPerson(context: GraphQLContext, personId: string): Promise<NamedPerson> {
  let identity: Sealed | null = null;
  for await (const event of context.runtime.store.readStream(`person-${personId}`)) {
    if (event.type === "PersonRecorded") identity = (event.data as { identity: Sealed }).identity;
    if (event.type === "PersonForgotten") return "forgotten";
  }
  if (!identity) return undefined;
  const opened = await context.runtime.vault.open<PersonIdentity>(identity);
  return opened.erased ? "forgotten" : { name: opened.value.name };
}
