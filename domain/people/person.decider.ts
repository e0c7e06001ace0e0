/**
 * People the ledger names — signatories, contact persons — as records of their own, referenced by id. Their
 * identity arrives sealed (the service seals it with the person's key before deciding: a decider holds no key
 * and draws no random number); forgetting one appends an event that names no personal data, and nothing can be
 * recorded under a forgotten id again.
 */
import type { Command, Decider } from "../decider";
import { InvalidInput, NotFound, RuleViolation } from "../decider";
import { ERASURE_BASES, type ErasureBasis, type PersonEvent } from "../../events/catalogue";
import { isSealed, sealedFor, type Sealed } from "../../events/personal-data/vault";
import { checkId } from "../validation";

export type RecordPerson = Command<
  "RecordPerson",
  { readonly personId: string; readonly institutionId: string; readonly identity: Sealed }
>;
export type ForgetPerson = Command<"ForgetPerson", { readonly personId: string; readonly basis: ErasureBasis }>;
export type PersonCommand = RecordPerson | ForgetPerson;

export type PersonState =
  | { readonly status: "unknown" }
  | { readonly status: "recorded"; readonly institutionId: string }
  | { readonly status: "forgotten" };

export const personDecider: Decider<PersonCommand, PersonEvent, PersonState> = {
  category: "person",
  entityId: (command) => command.data.personId,
  initialState: { status: "unknown" },
  mentions: (command) => (command.type === "RecordPerson" ? { institutions: [command.data.institutionId] } : {}),
  // Recording is an editor's for the person's institution; erasing, the DPO's across the network.
  scope: (command) => (command.type === "RecordPerson" ? { institutions: [command.data.institutionId] } : "role"),

  evolve(state, event) {
    switch (event.type) {
      case "PersonRecorded":
        return { status: "recorded", institutionId: event.data.institutionId };
      case "PersonForgotten":
        return { status: "forgotten" };
    }
  },

  decide(command, state, known) {
    switch (command.type) {
      case "RecordPerson": {
        const { personId, institutionId, identity } = command.data;
        if (state.status === "forgotten") throw new RuleViolation("PERSON_FORGOTTEN", personId);
        if (state.status === "recorded") throw new RuleViolation("PERSON_ALREADY_RECORDED", personId);
        checkId("personId", personId);
        if (!isSealed(identity) || sealedFor(identity) !== personId) {
          throw new InvalidInput("identity", "must be sealed with this person's key");
        }
        if (!known.institutions.has(institutionId))
          throw new RuleViolation("INSTITUTION_NOT_REGISTERED", institutionId);
        return [{ type: "PersonRecorded", data: { personId, institutionId, identity } }];
      }
      case "ForgetPerson": {
        const { personId, basis } = command.data;
        if (state.status === "unknown") throw new NotFound("Person", personId);
        if (state.status === "forgotten") throw new RuleViolation("PERSON_FORGOTTEN", personId);
        if (!ERASURE_BASES.includes(basis))
          throw new InvalidInput("basis", `must be one of ${ERASURE_BASES.join(", ")}`);
        return [{ type: "PersonForgotten", data: { personId, basis } }];
      }
      default: {
        const unknown: never = command;
        throw new Error(`unknown command ${JSON.stringify(unknown)}`);
      }
    }
  },
};
