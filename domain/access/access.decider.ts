/**
 * Access grants: which institutions' partnerships and activities a person may write. Granted and revoked by an
 * administrator; each grantee's grants are one stream, so the command handler reads one short stream per
 * command and an auditor can tell who could do what on any past date.
 */
import { createHash } from "node:crypto";
import type { Command, Decider } from "../decider";
import { RuleViolation } from "../decider";
import type { AccessEvent } from "../../events/catalogue";
import { checkId, checkText } from "../validation";

interface AccessData {
  /** The token subject (`sub`) of the person: the actor their commands are recorded under. */
  readonly grantee: string;
  /** One institution; null for every institution of the network. */
  readonly institutionId?: string | null;
}
export type GrantAccess = Command<"GrantAccess", AccessData>;
export type RevokeAccess = Command<"RevokeAccess", AccessData>;
export type AccessCommand = GrantAccess | RevokeAccess;

export interface AccessState {
  /** Institutions the grantee may write for. */
  readonly institutions: readonly string[];
  /** Granted every institution of the network. */
  readonly network: boolean;
}

export const NO_ACCESS: AccessState = { institutions: [], network: false };

/**
 * The stream key of a grantee's grants. Token subjects come from the hospital's provider in any alphabet
 * (`auth0|…`, e-mail addresses), stream ids do not: a digest fits both.
 */
export function accessKey(grantee: string): string {
  return createHash("sha256").update(grantee).digest("hex").slice(0, 40);
}

export const accessDecider: Decider<AccessCommand, AccessEvent, AccessState> = {
  category: "access",
  entityId: (command) => accessKey(command.data.grantee),
  initialState: NO_ACCESS,
  mentions: (command) => (command.data.institutionId ? { institutions: [command.data.institutionId] } : {}),
  scope: () => "admin",

  evolve(state, event) {
    const { institutionId } = event.data;
    const granted = event.type === "AccessGranted";
    if (institutionId === null) return { ...state, network: granted };
    const others = state.institutions.filter((id) => id !== institutionId);
    return { ...state, institutions: granted ? [...others, institutionId] : others };
  },

  decide(command, state, known) {
    const { grantee } = command.data;
    checkText("grantee", grantee, 500);
    const institutionId = command.data.institutionId ?? null;
    if (institutionId !== null) {
      checkId("institutionId", institutionId);
      if (!known.institutions.has(institutionId)) throw new RuleViolation("INSTITUTION_NOT_REGISTERED", institutionId);
    }
    const holds = institutionId === null ? state.network : state.institutions.includes(institutionId);
    switch (command.type) {
      case "GrantAccess":
        if (holds) throw new RuleViolation("ACCESS_ALREADY_GRANTED", institutionId ?? "every institution");
        return [{ type: "AccessGranted", data: { grantee, institutionId } }];
      case "RevokeAccess":
        if (!holds) throw new RuleViolation("ACCESS_NOT_GRANTED", institutionId ?? "every institution");
        return [{ type: "AccessRevoked", data: { grantee, institutionId } }];
      default: {
        const unknown: never = command;
        throw new Error(`unknown command ${JSON.stringify(unknown)}`);
      }
    }
  },
};
