/**
 * The shapes every decider shares: commands with their metadata, the decider itself, domain errors, and what
 * a decision may know of other streams. No I/O, no framework.
 */

import type { PartnershipStatus } from "../events/catalogue";
import { PasserelleError } from "../events/errors";

/** Who asks, when, and under which ids. Time and actor come in here: nothing in a decider reads a clock. */
export interface CommandMetadata {
  /** The client's id for this command; the same id twice appends once. */
  readonly commandId: string;
  readonly actor: string;
  /** ISO-8601 instant the command is decided at. */
  readonly now: string;
  readonly correlationId?: string;
  readonly causationId?: string;
}

export interface Command<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
  readonly metadata: CommandMetadata;
}

export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

// Value types of event data, defined with the catalogue; re-exported for the deciders that take them in commands.
export type { Headcount, Source } from "../events/catalogue/values";

/** What a decision knows of an institution it names: registered ones only. */
export interface InstitutionRef {
  readonly id: string;
  readonly name: string;
  readonly country: string | null;
}

/** What a decision knows of a partnership it names. */
export interface PartnershipRef {
  readonly id: string;
  readonly status: PartnershipStatus;
  readonly parties: readonly string[];
  readonly terminatedOn: string | null;
}

/**
 * Facts from other streams, loaded by the command handler before the decision (the streams a command names,
 * per `Decider.mentions`). A missing key means the stream holds no such entity.
 */
export interface Known {
  readonly institutions: ReadonlyMap<string, InstitutionRef>;
  readonly partnerships: ReadonlyMap<string, PartnershipRef>;
}

export const NOTHING_KNOWN: Known = { institutions: new Map(), partnerships: new Map() };

export interface Mentions {
  readonly institutions?: readonly string[];
  readonly partnerships?: readonly string[];
}

/**
 * Whose writing rights a command needs, checked by the command handler against the caller's grants: a grant
 * for one of these institutions, or for a party of this partnership; `directory`, any grant at all (entries
 * of the directory every institution shares); `admin`, administrators only; `role`, whoever holds the
 * mutation's role, whatever their grants (the DPO's erasures). A command about an entity that
 * does not exist has nothing to protect: its decider refuses it (NOT_FOUND).
 */
export type Scope =
  { readonly institutions: readonly string[] } | { readonly partnership: string } | "directory" | "admin" | "role";

/**
 * A decider: pure functions over one stream category. `decide` returns the events a command produces or
 * throws a DomainError; `evolve` never throws on a history `decide` produced.
 */
export interface Decider<C extends Command, E extends DomainEvent, S> {
  /** Stream category (`partnership` for `partnership-<id>`). */
  readonly category: string;
  /** The id of the entity (and so the stream) a command is about. */
  entityId(command: C): string;
  readonly initialState: S;
  evolve(state: S, event: E): S;
  decide(command: C, state: S, known: Known): E[];
  /** Other streams the decision needs to know of. */
  mentions(command: C): Mentions;
  /** Whose rights the command needs, on the entity's state before it. */
  scope(command: C, state: S): Scope;
}

/** What a decider refuses with: a literal `code` per kind (RULE_VIOLATION, INVALID_INPUT, NOT_FOUND). */
export abstract class DomainError extends PasserelleError {}

/** A business rule said no. `rule` is stable and documented (see RULES). */
export class RuleViolation extends DomainError {
  readonly code = "RULE_VIOLATION";
  constructor(
    readonly rule: RuleId,
    detail?: string,
  ) {
    super(detail ? `${RULES[rule]} (${detail})` : RULES[rule]);
  }
}

/** A value is malformed whatever the state: an unknown country code, a date that is not a date. */
export class InvalidInput extends DomainError {
  readonly code = "INVALID_INPUT";
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** The command names an entity that does not exist. */
export class NotFound extends DomainError {
  readonly code = "NOT_FOUND";
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} ${id} does not exist`);
  }
}

/** Every rule a decider enforces, with the message a partnership office reads. */
export const RULES = {
  INSTITUTION_ALREADY_REGISTERED: "This institution is already registered.",
  INSTITUTION_NAME_UNCHANGED: "The institution already has this name.",
  PARTNERSHIP_ALREADY_EXISTS: "A partnership with this id already exists.",
  PARTNERSHIP_TWO_PARTIES: "A partnership needs at least two distinct parties.",
  PARTNERSHIP_PARTY_NOT_REGISTERED: "Every party must be a registered institution.",
  INSTITUTION_NOT_REGISTERED: "Every institution named must be registered.",
  PERSON_ALREADY_RECORDED: "This person is already recorded.",
  PERSON_FORGOTTEN: "This person has been forgotten: nothing more can be recorded about them under this id.",
  COOPERATION_ALREADY_STARTED: "The cooperation has already started.",
  FACT_IN_FUTURE: "A recorded fact cannot be dated after today.",
  MOU_SIGN_TERMINATED: "A terminated partnership cannot sign an agreement.",
  MOU_SIGN_SUSPENDED: "A suspended partnership must be resumed before it signs an agreement.",
  MOU_EXPIRY_BEFORE_SIGNING: "An agreement cannot expire before it is signed.",
  MOU_SIGNATORY_NOT_PARTY: "Every signatory institution must be a party to the partnership.",
  MOU_NOT_SIGNED: "This requires a signed agreement.",
  MOU_TERMINATED: "The partnership is terminated.",
  MOU_DATE_BEFORE_SIGNING: "This cannot be dated before the agreement was signed.",
  RENEWAL_PERIOD_ORDER: "A renewal period cannot end before it starts.",
  APPROVAL_NOT_PARTY: "Only a party can approve the agreement text.",
  APPROVAL_NO_TEXT: "There is no agreement text to approve yet.",
  APPROVAL_SUPERSEDED_VERSION: "This version of the agreement text has been superseded; approve the current one.",
  APPROVAL_ALREADY_GIVEN: "This party has already approved the current version.",
  AMENDMENT_SAME_VERSION: "An amendment must change the agreement text.",
  SUSPEND_NOT_ACTIVE: "Only an active partnership can be suspended.",
  RESUME_NOT_SUSPENDED: "Only a suspended partnership can be resumed.",
  RESUME_BEFORE_SUSPENSION: "A partnership cannot resume before it was suspended.",
  TERMINATE_ALREADY_TERMINATED: "The partnership is already terminated.",
  TERMINATE_BEFORE_NOTICE: "Termination cannot take effect before the notice period has run.",
  REVIEW_TERMINATED: "A terminated partnership is no longer reviewed.",
  REVIEW_NEXT_NOT_AFTER: "The next review must come after this one.",
  REVIEW_NEXT_DATE_REQUIRED: "The review date is only a year: give the next review date.",
  ACTIVITY_PARTNERSHIP_TERMINATED: "No new activity can be planned for a terminated partnership.",
  ACTIVITY_ALREADY_EXISTS: "An activity with this id already exists.",
  ACTIVITY_DATES_ORDER: "An activity cannot end before it starts.",
  ACTIVITY_CANCELLED: "The activity was cancelled.",
  ACTIVITY_ALREADY_DONE: "The activity has already taken place.",
  ACTIVITY_NOT_PLANNED: "Only a planned activity can be changed this way.",
  MISSION_NOT_STARTED_OR_PAST: "Only a started mission, or a planned one whose dates have come, can be completed.",
  MISSION_COMPLETION_BEFORE_START: "A mission cannot be completed before it started.",
  CORRECTION_UNKNOWN_FACT: "There is no fact at this revision of the partnership.",
  CORRECTION_NOT_CORRECTABLE: "Only dated facts can be corrected (not a proposal, an approval or a correction).",
  CORRECTION_NO_CHANGE: "The correction changes nothing.",
  FUNDING_ALREADY_GRANTED: "This funding is already recorded.",
  FUNDING_AMOUNT_POSITIVE: "A funding amount must be positive.",
  FUNDING_FUNDER_NOT_REGISTERED: "Every funder must be a registered institution.",
  ACCESS_ALREADY_GRANTED: "This access is already granted.",
  ACCESS_NOT_GRANTED: "There is no such access to revoke.",
} as const;

export type RuleId = keyof typeof RULES;
