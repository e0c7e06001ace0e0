/** The one path from a mutation to the command handler: metadata from the caller, then decide and append. */
import type { Command, Decider, DomainEvent } from "../../../events/domain";
import { InvalidInput } from "../../../events/domain";
import { handleCommand, type CommandResult } from "../command-handler";
import { commandMetadata, type GraphQLContext } from "./context";

export async function executeCommand<C extends Command, E extends DomainEvent, S>(
  context: GraphQLContext,
  decider: Decider<C, E, S>,
  command: Omit<C, "metadata">,
  commandId: string,
  expectedRevision: number | null | undefined,
): Promise<CommandResult<S>> {
  if (commandId.trim().length === 0 || commandId.length > 200)
    throw new InvalidInput("commandId", "must be 1 to 200 characters");
  if (
    expectedRevision !== null &&
    expectedRevision !== undefined &&
    (!Number.isInteger(expectedRevision) || expectedRevision < -1)
  ) {
    throw new InvalidInput("expectedRevision", "must be -1 (new) or a stream revision");
  }
  const full = { ...command, metadata: commandMetadata(context, commandId) } as C;
  return handleCommand(
    context.runtime.store,
    decider,
    full,
    expectedRevision === null || expectedRevision === undefined ? {} : { expectedRevision },
  );
}

/** Plain data from GraphQL input objects (class instances, possibly nested), as a command carries it. */
export function plain<T>(input: T): T {
  return JSON.parse(JSON.stringify(input)) as T;
}
