/**
 * Rights scoped to institutions: before a command is decided, its caller's grants (their `access-<key>`
 * stream) must cover the institutions the command concerns (its decider's `scope`). Administrators hold every
 * institution. Commands the system issues itself (the demo import) carry no caller and are not checked.
 */
import type { EventStore } from "../../events/port";
import { PasserelleError } from "../../events/errors";
import { NotFound, type Known, type Mentions, type Scope } from "../../domain/decider";
import { accessDecider, accessKey, type AccessState } from "../../domain/access/access.decider";
import type { Role } from "./auth";
import { loadKnown } from "./known";
import { loadStream } from "./load-stream";

/** Who issues a command through the API. */
export interface Caller {
  readonly actor: string;
  readonly roles: readonly Role[];
  /** What the caller's token itself grants (a claim), besides the grants in the log. */
  readonly access?: AccessState;
}

/** The caller may not write for the institutions the command concerns. Nothing is appended. */
export class OutOfScopeError extends PasserelleError {
  readonly code = "OUT_OF_SCOPE";
  constructor(
    /** The institutions the command concerns, none of which the caller was granted. */
    readonly institutions: readonly string[],
    message: string,
  ) {
    super(message);
  }
}

/** What `actor` may write for, as their grants stand now. */
async function accessOf(store: EventStore, actor: string): Promise<AccessState> {
  return (await loadStream(store, accessDecider, `access-${accessKey(actor)}`)).state;
}

/** The streams a decision names, and the partnership its scope names: read once, judged as one snapshot. */
export function withScope(mentions: Mentions, scope: Scope): Mentions {
  if (typeof scope === "string" || !("partnership" in scope)) return mentions;
  return { ...mentions, partnerships: [...(mentions.partnerships ?? []), scope.partnership] };
}

function joined(granted: AccessState, token: AccessState | undefined): AccessState {
  if (!token) return granted;
  return {
    network: granted.network || token.network,
    institutions: [...new Set([...granted.institutions, ...token.institutions])],
  };
}

/** `known` must hold what `withScope` names: the command's partnership, when its scope is one. */
export async function checkScope(store: EventStore, caller: Caller, scope: Scope, known: Known): Promise<void> {
  if (caller.roles.includes("admin")) return;
  if (scope === "admin") throw new OutOfScopeError([], "Only an administrator may do this.");
  if (scope === "role") return;
  const grants = joined(await accessOf(store, caller.actor), caller.access);
  if (grants.network) return;
  if (scope === "directory") {
    if (grants.institutions.length > 0) return;
    throw new OutOfScopeError([], "You hold no grant for any institution: ask an administrator for one.");
  }
  let institutions = "partnership" in scope ? [] : scope.institutions;
  if ("partnership" in scope) {
    const partnership = known.partnerships.get(scope.partnership);
    if (!partnership) throw new NotFound("Partnership", scope.partnership);
    institutions = [...partnership.parties];
  }
  // Nothing exists yet to protect: the decider refuses the command (NOT_FOUND) on its own.
  if (institutions.length === 0 || institutions.some((id) => grants.institutions.includes(id))) return;
  const named = await loadKnown(store, { institutions });
  const names = institutions.map((id) => `${named.institutions.get(id)?.name ?? id} (${id})`);
  throw new OutOfScopeError(
    institutions,
    `You may not write for ${names.join(", ")}: your grants cover ${
      grants.institutions.length > 0 ? grants.institutions.join(", ") : "no institution"
    }. Ask an administrator for a grant.`,
  );
}
