/** Institutions: hospitals, universities, ministries, NGOs, funders — the parties of partnerships. */
import type { Command, Decider, InstitutionRef } from "../decider";
import { NotFound, RuleViolation, InvalidInput } from "../decider";
import { INSTITUTION_KINDS, type InstitutionEvent, type InstitutionKind } from "../../events/catalogue";
import { checkCountry, checkId, checkText } from "../validation";

export type RegisterInstitution = Command<
  "RegisterInstitution",
  {
    readonly institutionId: string;
    readonly name: string;
    readonly kind: InstitutionKind;
    readonly country?: string | null;
    readonly city?: string | null;
  }
>;
export type RenameInstitution = Command<"RenameInstitution", { readonly institutionId: string; readonly name: string }>;
export type InstitutionCommand = RegisterInstitution | RenameInstitution;

export type InstitutionState =
  | { readonly status: "unregistered" }
  | {
      readonly status: "registered";
      readonly id: string;
      readonly name: string;
      readonly kind: InstitutionKind;
      readonly country: string | null;
      readonly city: string | null;
    };

export const institutionDecider: Decider<InstitutionCommand, InstitutionEvent, InstitutionState> = {
  category: "institution",
  entityId: (command) => command.data.institutionId,
  initialState: { status: "unregistered" },
  mentions: () => ({}),
  // A new partner is entered by whoever works with it; only its own editors change it afterwards.
  scope: (command) =>
    command.type === "RegisterInstitution" ? "directory" : { institutions: [command.data.institutionId] },

  evolve(state, event) {
    switch (event.type) {
      case "InstitutionRegistered": {
        const { institutionId, name, kind, country, city } = event.data;
        return { status: "registered", id: institutionId, name, kind, country, city };
      }
      case "InstitutionRenamed":
        return state.status === "registered" ? { ...state, name: event.data.name } : state;
    }
  },

  decide(command, state) {
    switch (command.type) {
      case "RegisterInstitution":
        return [register(command, state)];
      case "RenameInstitution":
        return [rename(command, state)];
      default: {
        const unknown: never = command;
        throw new Error(`unknown command ${JSON.stringify(unknown)}`);
      }
    }
  },
};

function register({ data }: RegisterInstitution, state: InstitutionState): InstitutionEvent {
  if (state.status === "registered") throw new RuleViolation("INSTITUTION_ALREADY_REGISTERED", data.institutionId);
  checkId("institutionId", data.institutionId);
  checkText("name", data.name, 300);
  if (!INSTITUTION_KINDS.includes(data.kind)) {
    throw new InvalidInput("kind", `must be one of ${INSTITUTION_KINDS.join(", ")}`);
  }
  const country = data.country ?? null;
  if (country !== null) checkCountry("country", country);
  const city = data.city ?? null;
  if (city !== null) checkText("city", city, 200);
  return {
    type: "InstitutionRegistered",
    data: { institutionId: data.institutionId, name: data.name.trim(), kind: data.kind, country, city },
  };
}

function rename({ data }: RenameInstitution, state: InstitutionState): InstitutionEvent {
  if (state.status !== "registered") throw new NotFound("Institution", data.institutionId);
  checkText("name", data.name, 300);
  const name = data.name.trim();
  if (name === state.name) throw new RuleViolation("INSTITUTION_NAME_UNCHANGED");
  return { type: "InstitutionRenamed", data: { institutionId: state.id, name, previousName: state.name } };
}

/** What other decisions know of an institution: registered ones only. */
export function institutionRef(state: InstitutionState): InstitutionRef | null {
  return state.status === "registered" ? { id: state.id, name: state.name, country: state.country } : null;
}
