/**
 * The application side of every command: load the stream, fold it, ask the decider, append with the revision
 * read. One way for every subgraph, so idempotency, concurrency and metadata behave the same everywhere.
 */
import { createHash } from "node:crypto";
import type { NewEvent, RecordedEvent } from "../../events/envelope";
import { WrongExpectedRevisionError } from "../../events/errors";
import type { EventStore } from "../../events/port";
import { CURRENT_VERSION, businessDateOf, type PasserelleEvent } from "../../events/catalogue";
import { DomainError, type Command, type Decider, type DomainEvent } from "../../domain/decider";
import { canonicalJson } from "../../events/hash-chain";
import { checkId } from "../../domain/validation";
import { checkScope, withScope, type Caller } from "./access";
import { loadKnown } from "./known";
import { loadStream, type LoadedStream } from "./load-stream";

export interface CommandResult<S> {
  readonly streamId: string;
  /** The stream's revision after the command: the expected revision of the next one. */
  readonly revision: number;
  /** Log position of the command's last event: wait for it to read your write from any projection. */
  readonly position: string;
  /** The entity's state after the command. */
  readonly state: S;
  /** True when this command id had already been handled: its original result, nothing appended. */
  readonly replayed: boolean;
}

export interface HandleOptions {
  /** The stream revision the client saw; -1 for "must not exist". Omitted: the handler retries races itself. */
  readonly expectedRevision?: number;
  /** Who asks, through the API: their grants must cover the command's scope. Absent for the system's own. */
  readonly caller?: Caller;
}

/** Unexpected concurrency is retried this many times when the client gave no expected revision. */
const RACE_RETRIES = 10;

export async function handleCommand<C extends Command, E extends DomainEvent, S>(
  store: EventStore,
  decider: Decider<C, E, S>,
  command: C,
  options: HandleOptions = {},
): Promise<CommandResult<S>> {
  const entityId = decider.entityId(command);
  checkId(`${decider.category}Id`, entityId);
  const streamId = `${decider.category}-${entityId}`;
  const { commandId } = command.metadata;
  for (let attempt = 0; ; attempt++) {
    const loaded = await loadStream(store, decider, streamId);
    const scope = decider.scope(command, loaded.state);
    // One read of the other streams, for the scope check and the decision alike: both judge the same snapshot.
    const known = await loadKnown(store, withScope(decider.mentions(command), scope));
    if (options.caller) await checkScope(store, options.caller, scope, known);
    const earlier = loaded.events.filter((event) => event.metadata.commandId === commandId);
    if (earlier.length > 0) return firstResult(decider, command, loaded, earlier);
    const expected = options.expectedRevision;
    if (expected !== undefined && expected !== loaded.revision) {
      throw new WrongExpectedRevisionError(streamId, expected, loaded.revision === -1 ? "no_stream" : loaded.revision);
    }
    const decided = decider.decide(command, loaded.state, known);
    try {
      const result = await store.appendToStream(streamId, toNewEvents(command, decided), {
        expectedRevision: loaded.revision === -1 ? "no_stream" : loaded.revision,
      });
      const state = decided.reduce(decider.evolve, loaded.state);
      return { streamId, revision: result.nextExpectedRevision, position: result.position, state, replayed: false };
    } catch (error) {
      // Another writer got in between: decide again on the new state, unless the client pinned a revision.
      const retry = error instanceof WrongExpectedRevisionError && expected === undefined && attempt < RACE_RETRIES;
      if (!retry) throw error;
    }
  }
}

/**
 * The same command id again. With the same input it gets the first result (that command's revision, position
 * and the state right after it); with other input it is refused, since it cannot be a retry of the first.
 */
function firstResult<C extends Command, E extends DomainEvent, S>(
  decider: Decider<C, E, S>,
  command: C,
  loaded: LoadedStream<S>,
  earlier: readonly RecordedEvent[],
): CommandResult<S> {
  const first = earlier[0]!;
  const last = earlier[earlier.length - 1]!;
  // Events written before fingerprints were kept carry none: those retries are taken on trust.
  const fingerprint = first.metadata.commandHash;
  if (fingerprint !== undefined && fingerprint !== commandFingerprint(command)) {
    throw new CommandIdReusedError(command.metadata.commandId, first.streamId, last.position);
  }
  const state = loaded.events
    .filter((event) => event.revision <= last.revision)
    .reduce((folded, event) => decider.evolve(folded, event as unknown as E), decider.initialState);
  return { streamId: first.streamId, revision: last.revision, position: last.position, state, replayed: true };
}

/** sha256 of the command's type and data as the client sent them (canonical JSON): what a retry must repeat. */
export function commandFingerprint(command: Pick<Command, "type" | "data">): string {
  return createHash("sha256")
    .update(canonicalJson({ type: command.type, data: command.data }))
    .digest("hex");
}

/** A command id already used, on this stream, for a command with other input. Nothing is appended. */
export class CommandIdReusedError extends DomainError {
  readonly code = "COMMAND_ID_REUSED";
  constructor(
    readonly commandId: string,
    readonly streamId: string,
    /** Log position of the first command's last event. */
    readonly position: string,
  ) {
    super(
      `command id ${commandId} was already used on ${streamId} for a command with other input ` +
        `(its events end at position ${position}); use a new command id for a new command`,
    );
  }
}

/** What a command's decided events are stored as: their current schema version, the command's ids and actor. */
export function toNewEvents(command: Command, decided: readonly DomainEvent[]): NewEvent[] {
  const { commandId, actor, correlationId, causationId } = command.metadata;
  const commandHash = commandFingerprint(command);
  return decided.map((event) => ({
    type: event.type,
    data: event.data,
    version: CURRENT_VERSION[event.type as PasserelleEvent["type"]],
    metadata: {
      actor,
      commandId,
      correlationId: correlationId ?? commandId,
      causationId: causationId ?? commandId,
      businessDate: businessDateOf(event as unknown as PasserelleEvent),
      commandHash,
    },
  }));
}
