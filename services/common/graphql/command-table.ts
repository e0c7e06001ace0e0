/**
 * A subgraph's mutations as a table: one row per command (mutation name → command type, input class,
 * description, how the entity's id arrives, what the answer reads). The resolver class is generated from it,
 * so every mutation has the same arguments, role, idempotency and read-your-writes, and adding a command is one
 * row, one input class and the decider's function.
 */
import { Arg, Authorized, Ctx, ID, Int, Mutation, Resolver, type ClassType } from "type-graphql";
import { CATEGORY_OF, type CommandData, type CommandType, type EntityIdField } from "../../../domain/deciders";
import { idFromCommand } from "../ids";
import type { CommandOutcome } from "./command-outcome";
import { COMMAND_ID, EXPECTED, executeCommand, plain } from "./commands";
import type { GraphQLContext } from "./context";
import type { Role } from "../auth";

/**
 * How the entity's id arrives: named in the input as `<category>Id` (`given`, the default); optional there and
 * otherwise derived from the command id, so a retry never creates a second entity (`minted`); or as `id`.
 */
export type EntityIdRule = "given" | "minted" | "id";

/** The input class a row may take: the command's data, with its entity id as the rule has it. */
type InputOf<T extends CommandType, R extends EntityIdRule> = R extends "given"
  ? CommandData<T>
  : Omit<CommandData<T>, EntityIdField<T>> &
      (R extends "minted" ? { readonly [K in EntityIdField<T>]?: string | null } : { readonly id: string });

/** What a mutation answers with besides the command's outcome, read once the read model has its events. */
export interface Answer<P extends CommandOutcome> {
  readonly type: ClassType<P>;
  /** The projection the answer is read from: the mutation waits until it has applied the command. */
  readonly readModel: string;
  read(
    context: GraphQLContext,
    category: string,
    id: string,
    data: Readonly<Record<string, unknown>>,
  ): Promise<Omit<P, keyof CommandOutcome>>;
}

export interface CommandRow {
  readonly command: CommandType;
  readonly input: ClassType<object>;
  readonly entityId: EntityIdRule;
  readonly answer: Answer<CommandOutcome>;
  /** Who may issue it: editors, unless the row says otherwise. */
  readonly role: Role;
  readonly description?: string;
}

/** One row, type-checked: the input class must carry the command's data. */
export function row<T extends CommandType, R extends EntityIdRule = "given", P extends CommandOutcome = CommandOutcome>(
  command: T,
  input: ClassType<InputOf<T, R>>,
  answer: Answer<P>,
  options: { readonly entityId?: R; readonly role?: Role; readonly description?: string } = {},
): CommandRow {
  return {
    command,
    input,
    answer,
    entityId: options.entityId ?? "given",
    role: options.role ?? "editor",
    ...(options.description === undefined ? {} : { description: options.description }),
  };
}

/** The command's data from the mutation's input, the entity id placed as the decider reads it. */
function commandData(row: CommandRow, input: object, commandId: string): Record<string, unknown> {
  const category = CATEGORY_OF[row.command];
  const field = `${category}Id`;
  const data: Record<string, unknown> = Object.fromEntries(Object.entries(plain(input)));
  if (row.entityId === "minted") return { ...data, [field]: data[field] ?? idFromCommand(commandId, category) };
  if (row.entityId === "id") {
    const { id, ...rest } = data;
    return { ...rest, [field]: id };
  }
  return data;
}

async function runMutation(
  row: CommandRow,
  context: GraphQLContext,
  commandId: string,
  input: object,
  expectedRevision: number | null | undefined,
): Promise<CommandOutcome> {
  const category = CATEGORY_OF[row.command];
  const data = commandData(row, input, commandId);
  const result = await executeCommand(context, {
    command: { type: row.command, data },
    commandId,
    expectedRevision,
    readModel: row.answer.readModel,
  });
  const entity = await row.answer.read(context, category, String(data[`${category}Id`]), data);
  return { ...entity, revision: result.revision, position: result.position, replayed: result.replayed };
}

/**
 * The resolver class of a table's mutations, in the table's order (the order the schema lists them). Each is
 * `name(commandId: ID!, input: <Input>!, expectedRevision: Int): <Payload>!`, for the row's role.
 */
export function commandResolver(table: Readonly<Record<string, CommandRow>>): ClassType {
  class CommandResolver {}
  const prototype = CommandResolver.prototype;
  for (const [name, row] of Object.entries(table)) {
    const mutation = (context: GraphQLContext, commandId: string, input: object, expectedRevision?: number | null) =>
      runMutation(row, context, commandId, input, expectedRevision);
    const descriptor = { value: mutation, writable: true, configurable: true, enumerable: false };
    Object.defineProperty(prototype, name, descriptor);
    Authorized(row.role)(prototype, name, descriptor);
    Mutation(() => row.answer.type, row.description === undefined ? {} : { description: row.description })(
      prototype,
      name,
      descriptor,
    );
    // Last parameter first, as TypeScript applies parameter decorators: the schema lists arguments in this order.
    Arg("expectedRevision", () => Int, EXPECTED)(prototype, name, 3);
    Arg("input", () => row.input)(prototype, name, 2);
    Arg("commandId", () => ID, COMMAND_ID)(prototype, name, 1);
    Ctx()(prototype, name, 0);
  }
  Resolver()(CommandResolver);
  return CommandResolver;
}
