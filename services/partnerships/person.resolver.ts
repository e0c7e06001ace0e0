/**
 * People: recorded by editors, forgotten by the DPO, read in clear only while their key exists. The person's
 * name and title are sealed here, before the command is decided, so no plaintext reaches the log; an erasure
 * destroys the key first and then records itself, so a failure between the two leaves nothing readable.
 */
import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import { InvalidInput, NotFound, RuleViolation } from "../../domain/decider";
import { parseBusinessDate } from "../../events/business-date";
import type { ErasureBasis } from "../../events/catalogue";
import { dueForRetention } from "./retention";
import { checkText } from "../../domain/validation";
import { people, personById } from "../../projections/read-models/people";
import type { PersonIdentity } from "../../events/catalogue";
import { COMMAND_ID, EXPECTED, executeCommand } from "../common/graphql/commands";
import { readModels, type GraphQLContext } from "../common/graphql/context";
import { idFromCommand } from "../common/ids";
import { ApplyRetentionInput, ForgetPersonInput, RecordPersonInput } from "./person.input";
import { Person, PersonPayload, RetentionPayload } from "./person.type";

async function readPerson(context: GraphQLContext, id: string): Promise<Person | null> {
  const row = personById(await readModels(context), context.runtime.runner.tables(people), id);
  if (!row) return null;
  const opened = row.identity ? await context.runtime.vault.open<PersonIdentity>(row.identity) : { erased: true };
  const contact = opened.erased ? null : await context.runtime.vault.contact(id);
  const identity = opened.erased ? null : (opened as { value: PersonIdentity }).value;
  return {
    id,
    institutionId: row.institution_id,
    name: identity?.name ?? null,
    role: identity?.role ?? null,
    email: contact?.email ?? null,
    erased: opened.erased,
    forgottenAt: row.forgotten_at,
    erasureBasis: row.basis,
  };
}

@Resolver(() => Person)
export class PersonResolver {
  @Authorized("editor", "auditor", "dpo")
  @Query(() => Person, { nullable: true })
  person(@Ctx() context: GraphQLContext, @Arg("id", () => ID) id: string): Promise<Person | null> {
    return readPerson(context, id);
  }

  @Authorized("editor")
  @Mutation(() => PersonPayload, {
    description:
      "Records a person (a signatory, a contact): name and title sealed with their own key, email kept outside the log.",
  })
  async recordPerson(
    @Ctx() context: GraphQLContext,
    @Arg("commandId", () => ID, COMMAND_ID) commandId: string,
    @Arg("input", () => RecordPersonInput) input: RecordPersonInput,
    @Arg("expectedRevision", () => Int, EXPECTED) expectedRevision?: number | null,
  ): Promise<PersonPayload> {
    const personId = input.personId ?? idFromCommand(commandId, "person");
    // Checked here: once sealed, no decider can see a control character or a bidirectional override in them.
    checkText("name", input.name, 300);
    if (input.role) checkText("role", input.role, 300);
    const { vault } = context.runtime;
    // A forgotten person is not re-created, not even by replaying the command that first recorded them.
    if (await vault.forgottenAt(personId)) throw new RuleViolation("PERSON_FORGOTTEN", personId);
    const identity = await vault.seal(personId, { name: input.name.trim(), role: input.role?.trim() || null });
    const result = await executeCommand(context, {
      command: { type: "RecordPerson", data: { personId, institutionId: input.institutionId, identity } },
      commandId,
      expectedRevision,
      readModel: people.name,
    });
    if (input.email) await vault.saveContact(personId, { email: input.email });
    return { ...result, person: (await readPerson(context, personId))! };
  }

  @Authorized("dpo")
  @Mutation(() => PersonPayload, {
    description:
      "Forgets a person: destroys their key and contact, then records an erasure that names no personal data. Every sealed copy of their name, in the log and its exports, becomes unreadable; the log's bytes, hash chains and tree do not change.",
  })
  async forgetPerson(
    @Ctx() context: GraphQLContext,
    @Arg("commandId", () => ID, COMMAND_ID) commandId: string,
    @Arg("input", () => ForgetPersonInput) input: ForgetPersonInput,
    @Arg("expectedRevision", () => Int, EXPECTED) expectedRevision?: number | null,
  ): Promise<PersonPayload> {
    const known = personById(await readModels(context), context.runtime.runner.tables(people), input.personId);
    if (!known) throw new NotFound("Person", input.personId);
    const result = await forget(context, input.personId, input.basis, commandId, expectedRevision);
    return { ...result, person: (await readPerson(context, input.personId))! };
  }

  @Authorized("dpo")
  @Mutation(() => RetentionPayload, {
    description:
      "Applies the retention policy as of a day (default today): forgets every person named only by partnerships that ended more than the policy's years before it, each erasure recorded (basis RETENTION). Retried with the same command id, it forgets no one twice.",
  })
  async applyRetention(
    @Ctx() context: GraphQLContext,
    @Arg("commandId", () => ID, COMMAND_ID) commandId: string,
    @Arg("input", () => ApplyRetentionInput) input: ApplyRetentionInput,
  ): Promise<RetentionPayload> {
    const day = input.asOf ?? new Date().toISOString().slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || parseBusinessDate(day) === null) {
      throw new InvalidInput("asOf", "must be a day, YYYY-MM-DD");
    }
    const { store, retention } = context.runtime;
    const due = await dueForRetention(store, retention, day);
    for (const person of due) await forget(context, person.personId, "retention", `${commandId}:${person.personId}`);
    return { asOf: day, yearsAfterTermination: retention.yearsAfterTermination, forgotten: due };
  }
}

/** The key and contact destroyed first, then the erasure recorded: a failure between leaves nothing readable. */
async function forget(
  context: GraphQLContext,
  personId: string,
  basis: ErasureBasis,
  commandId: string,
  expectedRevision?: number | null,
) {
  await context.runtime.vault.forget({ personId, at: new Date().toISOString(), basis });
  return executeCommand(context, {
    command: { type: "ForgetPerson", data: { personId, basis } },
    commandId,
    expectedRevision,
    readModel: people.name,
  });
}
