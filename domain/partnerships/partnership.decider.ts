/**
 * Partnerships and their agreements: proposed, cooperating, signed, amended, renewed, suspended, resumed,
 * terminated, reviewed by the commission. One stream per partnership.
 */
import type { Command, Decider, Known, PartnershipRef, Source } from "../decider";
import { InvalidInput, NOTHING_KNOWN, NotFound, RuleViolation } from "../decider";
import {
  CORRECTABLE_FACTS,
  REVIEW_OUTCOMES,
  type CorrectableFact,
  type PartnershipEvent,
  type ReviewOutcome,
  type Scope,
  type Signatory,
} from "../../events/catalogue";
import { addMonths, isDefinitelyAfter, isDefinitelyBefore, parseBusinessDate } from "../../events/business-date";
import { canonicalJson } from "../../events/hash-chain";
import { mergePatch } from "../merge-patch";
import {
  checkBusinessDate,
  checkCountry,
  checkFactDate,
  checkId,
  checkNotInFuture,
  checkOptionalBusinessDate,
  checkOrder,
  checkSource,
  checkText,
  checkVersionHash,
} from "../validation";

type PartnershipCommandOf<Type extends string, Data> = Command<Type, Data & { readonly partnershipId: string }>;

export type ProposePartnership = PartnershipCommandOf<
  "ProposePartnership",
  {
    readonly title: string;
    readonly scope: Scope;
    readonly parties: readonly string[];
    readonly themes?: readonly string[];
    readonly countries?: readonly string[];
    readonly versionHash?: string | null;
    readonly proposedOn?: string | null;
    readonly source?: Source | null;
  }
>;
export type StartCooperation = PartnershipCommandOf<
  "StartCooperation",
  { readonly startedOn: string; readonly source?: Source | null }
>;
export type SignMoU = PartnershipCommandOf<
  "SignMoU",
  {
    readonly signedOn: string;
    readonly expiresOn?: string | null;
    readonly signatories?: readonly { institutionId: string; person?: string | null; role?: string | null }[];
    readonly versionHash?: string | null;
    readonly noticePeriodMonths?: number | null;
    readonly agreements?: number;
    readonly title?: string | null;
    readonly place?: string | null;
    readonly source?: Source | null;
  }
>;
export type ApproveAgreementVersion = PartnershipCommandOf<
  "ApproveAgreementVersion",
  {
    readonly institutionId: string;
    readonly versionHash: string;
    readonly approvedOn?: string | null;
    readonly approvedBy?: string | null;
  }
>;
export type AmendMoU = PartnershipCommandOf<
  "AmendMoU",
  {
    readonly amendedOn: string;
    readonly versionHash: string;
    readonly summary: string;
    readonly source?: Source | null;
  }
>;
export type RenewMoU = PartnershipCommandOf<
  "RenewMoU",
  {
    readonly renewedOn: string;
    readonly period: { readonly from: string; readonly to?: string | null };
    readonly source?: Source | null;
  }
>;
export type SuspendPartnership = PartnershipCommandOf<
  "SuspendPartnership",
  { readonly suspendedOn: string; readonly reason: string; readonly source?: Source | null }
>;
export type ResumePartnership = PartnershipCommandOf<
  "ResumePartnership",
  { readonly resumedOn: string; readonly source?: Source | null }
>;
export type TerminatePartnership = PartnershipCommandOf<
  "TerminatePartnership",
  {
    readonly noticeGivenOn: string;
    readonly effectiveOn: string;
    readonly reason: string;
    readonly source?: Source | null;
  }
>;
export type RecordCommissionReview = PartnershipCommandOf<
  "RecordCommissionReview",
  {
    readonly reviewedOn: string;
    readonly outcome: ReviewOutcome;
    readonly notes?: string | null;
    /** Default: six months later (the commission sits twice a year). */
    readonly nextReviewOn?: string | null;
  }
>;
export type RecordMilestone = PartnershipCommandOf<
  "RecordMilestone",
  {
    readonly occurredOn: string;
    readonly summary: string;
    readonly planned?: boolean;
    readonly contextual?: boolean;
    readonly details?: Readonly<Record<string, string | number | boolean>>;
    readonly source?: Source | null;
  }
>;

/**
 * Corrects what an earlier fact (at `revision`) says. `data` is a merge patch of that fact's data as it now
 * reads: the fields it names change, `null` clears an optional field, the fields it omits keep their value.
 */
export type CorrectFact = PartnershipCommandOf<
  "CorrectFact",
  {
    readonly revision: number;
    readonly data: Readonly<Record<string, unknown>>;
    readonly reason: string;
    readonly source?: Source | null;
  }
>;

export type PartnershipCommand =
  | CorrectFact
  | ProposePartnership
  | StartCooperation
  | SignMoU
  | ApproveAgreementVersion
  | AmendMoU
  | RenewMoU
  | SuspendPartnership
  | ResumePartnership
  | TerminatePartnership
  | RecordCommissionReview
  | RecordMilestone;

export interface Agreement {
  readonly firstSignedOn: string;
  /** The latest signature's terms are the agreement in force. */
  readonly signedOn: string;
  readonly expiresOn: string | null;
  readonly noticePeriodMonths: number | null;
  /** Agreements signed in all (a source may report several at once). */
  readonly signed: number;
  readonly amendments: number;
  readonly renewals: number;
  readonly lastRenewedOn: string | null;
}

export interface Partnership {
  readonly status: "proposed" | "active" | "suspended" | "terminated";
  readonly id: string;
  readonly title: string;
  readonly scope: Scope;
  readonly parties: readonly string[];
  readonly themes: readonly string[];
  readonly countries: readonly string[];
  readonly cooperationSince: string | null;
  readonly agreement: Agreement | null;
  /** The current agreement text and who approved that exact version. */
  readonly text: { readonly versionHash: string; readonly approvals: Readonly<Record<string, string>> } | null;
  readonly suspension: { readonly since: string; readonly reason: string } | null;
  readonly termination: {
    readonly noticeGivenOn: string;
    readonly effectiveOn: string;
    readonly reason: string;
  } | null;
  readonly lastReview: { readonly reviewedOn: string; readonly outcome: ReviewOutcome } | null;
  readonly nextReviewOn: string | null;
  readonly milestones: number;
  /**
   * The stream's facts by revision, as they currently read (corrections applied); null where a correction
   * stands. Kept so a correction can re-fold the history it changes.
   */
  readonly facts: readonly (PartnershipFact | null)[];
}

/** A partnership event that states a fact (every one but a correction). */
export type PartnershipFact = Exclude<PartnershipEvent, { type: "FactCorrected" }>;

export type PartnershipState = { readonly status: "none" } | Partnership;

/** The commission sits twice a year: a review's default next date is six months on. */
export const REVIEW_PERIOD_MONTHS = 6;

export const partnershipDecider: Decider<PartnershipCommand, PartnershipEvent, PartnershipState> = {
  category: "partnership",
  entityId: (command) => command.data.partnershipId,
  initialState: { status: "none" },
  mentions: (command) => (command.type === "ProposePartnership" ? { institutions: command.data.parties } : {}),
  evolve,
  decide(command, state, known) {
    if (command.type === "ProposePartnership") return [propose(command, state, known)];
    if (state.status === "none") throw new NotFound("Partnership", command.data.partnershipId);
    switch (command.type) {
      case "StartCooperation":
        return [startCooperation(command, state)];
      case "SignMoU":
        return [sign(command, state)];
      case "ApproveAgreementVersion":
        return [approve(command, state)];
      case "AmendMoU":
        return [amend(command, state)];
      case "RenewMoU":
        return [renew(command, state)];
      case "SuspendPartnership":
        return [suspend(command, state)];
      case "ResumePartnership":
        return [resume(command, state)];
      case "TerminatePartnership":
        return [terminate(command, state)];
      case "RecordCommissionReview":
        return [review(command, state)];
      case "RecordMilestone":
        return [milestone(command, state)];
      case "CorrectFact":
        return [correct(command, state)];
      default: {
        const unknown: never = command;
        throw new Error(`unknown command ${JSON.stringify(unknown)}`);
      }
    }
  },
};

function evolve(state: PartnershipState, event: PartnershipEvent): PartnershipState {
  if (event.type === "FactCorrected") {
    if (state.status === "none") return state;
    const { corrects, after } = event.data;
    const facts = state.facts.map((fact, revision) =>
      revision === corrects.revision ? ({ type: corrects.type, data: after } as PartnershipFact) : fact,
    );
    return { ...(replay(facts) as Partnership), facts: [...facts, null] };
  }
  const next = apply(state, event);
  return next.status === "none" ? next : { ...next, facts: [...(state.status === "none" ? [] : state.facts), event] };
}

/** The state the facts lead to (corrections already in them). */
export function replay(facts: readonly (PartnershipFact | null)[]): PartnershipState {
  return facts.reduce<PartnershipState>((state, fact) => (fact ? apply(state, fact) : state), { status: "none" });
}

function apply(state: PartnershipState, event: PartnershipFact): PartnershipState {
  if (event.type === "PartnershipProposed") {
    const { partnershipId, title, scope, parties, themes, countries, versionHash } = event.data;
    return {
      status: "proposed",
      id: partnershipId,
      title,
      scope,
      parties,
      themes,
      countries,
      cooperationSince: null,
      agreement: null,
      text: versionHash === null ? null : { versionHash, approvals: {} },
      suspension: null,
      termination: null,
      lastReview: null,
      nextReviewOn: null,
      milestones: 0,
      facts: [],
    };
  }
  if (state.status === "none") return state;
  switch (event.type) {
    case "CooperationStarted":
      return { ...state, status: "active", cooperationSince: event.data.startedOn };
    case "MoUSigned": {
      const { signedOn, expiresOn, noticePeriodMonths, agreements, versionHash } = event.data;
      const previous = state.agreement;
      return {
        ...state,
        status: "active",
        agreement: {
          firstSignedOn: previous?.firstSignedOn ?? signedOn,
          signedOn,
          expiresOn,
          noticePeriodMonths,
          signed: (previous?.signed ?? 0) + agreements,
          amendments: previous?.amendments ?? 0,
          renewals: previous?.renewals ?? 0,
          lastRenewedOn: previous?.lastRenewedOn ?? null,
        },
        text:
          versionHash === null || versionHash === state.text?.versionHash ? state.text : { versionHash, approvals: {} },
      };
    }
    case "AgreementVersionApproved":
      return state.text === null
        ? state
        : {
            ...state,
            text: {
              ...state.text,
              approvals: { ...state.text.approvals, [event.data.institutionId]: event.data.versionHash },
            },
          };
    case "MoUAmended":
      return {
        ...state,
        agreement: state.agreement && { ...state.agreement, amendments: state.agreement.amendments + 1 },
        text: { versionHash: event.data.versionHash, approvals: {} },
      };
    case "MoURenewed":
      return {
        ...state,
        agreement: state.agreement && {
          ...state.agreement,
          expiresOn: event.data.period.to,
          renewals: state.agreement.renewals + 1,
          lastRenewedOn: event.data.renewedOn,
        },
      };
    case "PartnershipSuspended":
      return {
        ...state,
        status: "suspended",
        suspension: { since: event.data.suspendedOn, reason: event.data.reason },
      };
    case "PartnershipResumed":
      return { ...state, status: "active", suspension: null };
    case "PartnershipTerminated": {
      const { noticeGivenOn, effectiveOn, reason } = event.data;
      return { ...state, status: "terminated", termination: { noticeGivenOn, effectiveOn, reason } };
    }
    case "CommissionReviewRecorded":
      return {
        ...state,
        lastReview: { reviewedOn: event.data.reviewedOn, outcome: event.data.outcome },
        nextReviewOn: event.data.nextReviewOn,
      };
    case "MilestoneRecorded":
      return { ...state, milestones: state.milestones + 1 };
  }
}

function propose({ data, metadata }: ProposePartnership, state: PartnershipState, known: Known): PartnershipEvent {
  if (state.status !== "none") throw new RuleViolation("PARTNERSHIP_ALREADY_EXISTS", data.partnershipId);
  checkId("partnershipId", data.partnershipId);
  checkText("title", data.title, 300);
  if (data.scope !== "domestic" && data.scope !== "international") {
    throw new InvalidInput("scope", "must be domestic or international");
  }
  const parties = [...new Set(data.parties)];
  if (parties.length < 2) throw new RuleViolation("PARTNERSHIP_TWO_PARTIES");
  const unregistered = parties.filter((party) => !known.institutions.has(party));
  if (unregistered.length > 0) throw new RuleViolation("PARTNERSHIP_PARTY_NOT_REGISTERED", unregistered.join(", "));
  const themes = [...new Set(data.themes ?? [])];
  themes.forEach((theme, index) => checkText(`themes[${index}]`, theme, 100));
  const countries = [...new Set(data.countries ?? [])];
  countries.forEach((country, index) => checkCountry(`countries[${index}]`, country));
  const versionHash = data.versionHash ?? null;
  if (versionHash !== null) checkVersionHash("versionHash", versionHash);
  const proposedOn = data.proposedOn ?? null;
  checkOptionalBusinessDate("proposedOn", proposedOn);
  if (proposedOn !== null) checkNotInFuture(proposedOn, metadata.now);
  checkSource(data.source);
  return {
    type: "PartnershipProposed",
    data: {
      partnershipId: data.partnershipId,
      title: data.title.trim(),
      scope: data.scope,
      parties,
      themes,
      countries,
      versionHash,
      proposedOn,
      source: data.source ?? null,
    },
  };
}

function startCooperation({ data, metadata }: StartCooperation, state: Partnership): PartnershipEvent {
  if (state.status === "terminated") throw new RuleViolation("MOU_TERMINATED");
  if (state.status !== "proposed")
    throw new RuleViolation(
      "COOPERATION_ALREADY_STARTED",
      `since ${state.cooperationSince ?? state.agreement?.firstSignedOn}`,
    );
  checkFactDate("startedOn", data.startedOn, metadata.now);
  checkSource(data.source);
  return {
    type: "CooperationStarted",
    data: { partnershipId: state.id, startedOn: data.startedOn, source: data.source ?? null },
  };
}

function sign({ data, metadata }: SignMoU, state: Partnership): PartnershipEvent {
  if (state.status === "terminated") throw new RuleViolation("MOU_SIGN_TERMINATED");
  if (state.status === "suspended") throw new RuleViolation("MOU_SIGN_SUSPENDED");
  checkFactDate("signedOn", data.signedOn, metadata.now);
  const expiresOn = data.expiresOn ?? null;
  checkOptionalBusinessDate("expiresOn", expiresOn);
  if (expiresOn !== null && isDefinitelyBefore(expiresOn, data.signedOn)) {
    throw new RuleViolation("MOU_EXPIRY_BEFORE_SIGNING", `${expiresOn} is before ${data.signedOn}`);
  }
  const signatories: Signatory[] = (data.signatories ?? []).map((signatory, index) => {
    if (typeof signatory !== "object" || signatory === null) {
      throw new InvalidInput(`signatories[${index}]`, "must be an object");
    }
    if (!state.parties.includes(signatory.institutionId)) {
      throw new RuleViolation("MOU_SIGNATORY_NOT_PARTY", signatory.institutionId);
    }
    if (signatory.person) checkText(`signatories[${index}].person`, signatory.person, 200);
    if (signatory.role) checkText(`signatories[${index}].role`, signatory.role, 200);
    return { institutionId: signatory.institutionId, person: signatory.person ?? null, role: signatory.role ?? null };
  });
  const noticePeriodMonths = data.noticePeriodMonths ?? null;
  if (
    noticePeriodMonths !== null &&
    (!Number.isInteger(noticePeriodMonths) || noticePeriodMonths < 0 || noticePeriodMonths > 60)
  ) {
    throw new InvalidInput("noticePeriodMonths", "must be a whole number of months between 0 and 60");
  }
  const agreements = data.agreements ?? 1;
  if (!Number.isInteger(agreements) || agreements < 1 || agreements > 100) {
    throw new InvalidInput("agreements", "must be a whole number between 1 and 100");
  }
  const versionHash = data.versionHash ?? null;
  if (versionHash !== null) checkVersionHash("versionHash", versionHash);
  if (data.title) checkText("title", data.title, 300);
  if (data.place) checkText("place", data.place, 300);
  checkSource(data.source);
  return {
    type: "MoUSigned",
    data: {
      partnershipId: state.id,
      signedOn: data.signedOn,
      expiresOn,
      signatories,
      versionHash,
      noticePeriodMonths,
      agreements,
      title: data.title ?? null,
      place: data.place ?? null,
      source: data.source ?? null,
    },
  };
}

function approve({ data, metadata }: ApproveAgreementVersion, state: Partnership): PartnershipEvent {
  if (state.status === "terminated") throw new RuleViolation("MOU_TERMINATED");
  if (!state.parties.includes(data.institutionId)) throw new RuleViolation("APPROVAL_NOT_PARTY", data.institutionId);
  checkVersionHash("versionHash", data.versionHash);
  if (state.text === null) throw new RuleViolation("APPROVAL_NO_TEXT");
  if (state.text.versionHash !== data.versionHash) throw new RuleViolation("APPROVAL_SUPERSEDED_VERSION");
  if (state.text.approvals[data.institutionId] === data.versionHash) throw new RuleViolation("APPROVAL_ALREADY_GIVEN");
  const approvedOn = data.approvedOn ?? null;
  if (approvedOn !== null) checkFactDate("approvedOn", approvedOn, metadata.now);
  if (data.approvedBy) checkText("approvedBy", data.approvedBy, 200);
  return {
    type: "AgreementVersionApproved",
    data: {
      partnershipId: state.id,
      institutionId: data.institutionId,
      versionHash: data.versionHash,
      approvedOn,
      approvedBy: data.approvedBy ?? null,
    },
  };
}

function signedAgreement(state: Partnership): Agreement {
  if (state.status === "terminated") throw new RuleViolation("MOU_TERMINATED");
  if (state.agreement === null) throw new RuleViolation("MOU_NOT_SIGNED");
  return state.agreement;
}

function checkNotBeforeSigning(field: string, date: string, agreement: Agreement): void {
  if (isDefinitelyBefore(date, agreement.firstSignedOn)) {
    throw new RuleViolation("MOU_DATE_BEFORE_SIGNING", `${field} ${date} is before ${agreement.firstSignedOn}`);
  }
}

function amend({ data, metadata }: AmendMoU, state: Partnership): PartnershipEvent {
  const agreement = signedAgreement(state);
  checkFactDate("amendedOn", data.amendedOn, metadata.now);
  checkNotBeforeSigning("amendedOn", data.amendedOn, agreement);
  checkVersionHash("versionHash", data.versionHash);
  if (state.text?.versionHash === data.versionHash) throw new RuleViolation("AMENDMENT_SAME_VERSION");
  checkText("summary", data.summary);
  checkSource(data.source);
  return {
    type: "MoUAmended",
    data: {
      partnershipId: state.id,
      amendedOn: data.amendedOn,
      versionHash: data.versionHash,
      summary: data.summary.trim(),
      source: data.source ?? null,
    },
  };
}

function renew({ data, metadata }: RenewMoU, state: Partnership): PartnershipEvent {
  const agreement = signedAgreement(state);
  checkFactDate("renewedOn", data.renewedOn, metadata.now);
  checkNotBeforeSigning("renewedOn", data.renewedOn, agreement);
  checkBusinessDate("period.from", data.period.from);
  const to = data.period.to ?? null;
  checkOptionalBusinessDate("period.to", to);
  checkOrder("RENEWAL_PERIOD_ORDER", data.period.from, to);
  checkSource(data.source);
  return {
    type: "MoURenewed",
    data: {
      partnershipId: state.id,
      renewedOn: data.renewedOn,
      period: { from: data.period.from, to },
      source: data.source ?? null,
    },
  };
}

function suspend({ data, metadata }: SuspendPartnership, state: Partnership): PartnershipEvent {
  if (state.status !== "active") throw new RuleViolation("SUSPEND_NOT_ACTIVE", `it is ${state.status}`);
  checkFactDate("suspendedOn", data.suspendedOn, metadata.now);
  checkText("reason", data.reason);
  checkSource(data.source);
  return {
    type: "PartnershipSuspended",
    data: {
      partnershipId: state.id,
      suspendedOn: data.suspendedOn,
      reason: data.reason.trim(),
      source: data.source ?? null,
    },
  };
}

function resume({ data, metadata }: ResumePartnership, state: Partnership): PartnershipEvent {
  if (state.status !== "suspended" || state.suspension === null) {
    throw new RuleViolation("RESUME_NOT_SUSPENDED", `it is ${state.status}`);
  }
  checkFactDate("resumedOn", data.resumedOn, metadata.now);
  if (isDefinitelyBefore(data.resumedOn, state.suspension.since)) {
    throw new RuleViolation("RESUME_BEFORE_SUSPENSION", `${data.resumedOn} is before ${state.suspension.since}`);
  }
  checkSource(data.source);
  return {
    type: "PartnershipResumed",
    data: { partnershipId: state.id, resumedOn: data.resumedOn, source: data.source ?? null },
  };
}

function terminate({ data, metadata }: TerminatePartnership, state: Partnership): PartnershipEvent {
  if (state.status === "terminated") throw new RuleViolation("TERMINATE_ALREADY_TERMINATED");
  checkFactDate("noticeGivenOn", data.noticeGivenOn, metadata.now);
  checkBusinessDate("effectiveOn", data.effectiveOn);
  // The earliest the notice allows, counted from the first day the notice may have been given.
  const months = state.agreement?.noticePeriodMonths ?? 0;
  const earliest = addMonths(parseBusinessDate(data.noticeGivenOn)!.first, months)!;
  if (isDefinitelyBefore(data.effectiveOn, earliest)) {
    throw new RuleViolation(
      "TERMINATE_BEFORE_NOTICE",
      months === 0
        ? `${data.effectiveOn} is before the notice ${data.noticeGivenOn}`
        : `${months} months' notice from ${data.noticeGivenOn} ends on ${earliest}`,
    );
  }
  checkText("reason", data.reason);
  checkSource(data.source);
  return {
    type: "PartnershipTerminated",
    data: {
      partnershipId: state.id,
      noticeGivenOn: data.noticeGivenOn,
      effectiveOn: data.effectiveOn,
      reason: data.reason.trim(),
      source: data.source ?? null,
    },
  };
}

function review({ data, metadata }: RecordCommissionReview, state: Partnership): PartnershipEvent {
  if (state.status === "terminated") throw new RuleViolation("REVIEW_TERMINATED");
  checkFactDate("reviewedOn", data.reviewedOn, metadata.now);
  if (!REVIEW_OUTCOMES.includes(data.outcome))
    throw new InvalidInput("outcome", `must be one of ${REVIEW_OUTCOMES.join(", ")}`);
  if (data.notes) checkText("notes", data.notes, 5000);
  let nextReviewOn = data.nextReviewOn ?? null;
  if (nextReviewOn === null) {
    nextReviewOn = addMonths(data.reviewedOn, REVIEW_PERIOD_MONTHS);
    if (nextReviewOn === null) throw new RuleViolation("REVIEW_NEXT_DATE_REQUIRED");
  }
  checkBusinessDate("nextReviewOn", nextReviewOn);
  if (!isDefinitelyAfter(nextReviewOn, data.reviewedOn)) {
    throw new RuleViolation("REVIEW_NEXT_NOT_AFTER", `${nextReviewOn} is not after ${data.reviewedOn}`);
  }
  return {
    type: "CommissionReviewRecorded",
    data: {
      partnershipId: state.id,
      reviewedOn: data.reviewedOn,
      outcome: data.outcome,
      notes: data.notes ?? null,
      nextReviewOn,
    },
  };
}

function milestone({ data, metadata }: RecordMilestone, state: Partnership): PartnershipEvent {
  const planned = data.planned ?? false;
  checkBusinessDate("occurredOn", data.occurredOn);
  if (!planned) checkNotInFuture(data.occurredOn, metadata.now);
  checkText("summary", data.summary);
  const details = data.details ?? {};
  for (const [key, value] of Object.entries(details)) {
    if (!["string", "number", "boolean"].includes(typeof value)) {
      throw new InvalidInput(`details.${key}`, "must be a string, a number or a boolean");
    }
  }
  checkSource(data.source);
  return {
    type: "MilestoneRecorded",
    data: {
      partnershipId: state.id,
      occurredOn: data.occurredOn,
      summary: data.summary.trim(),
      planned,
      contextual: data.contextual ?? false,
      details,
      source: data.source ?? null,
    },
  };
}

/** The command that records each correctable fact: re-deciding it checks a correction against the same rules. */
const COMMAND_OF: Record<
  CorrectableFact["type"],
  Exclude<PartnershipCommand["type"], "CorrectFact" | "ProposePartnership">
> = {
  CooperationStarted: "StartCooperation",
  MoUSigned: "SignMoU",
  MoUAmended: "AmendMoU",
  MoURenewed: "RenewMoU",
  PartnershipSuspended: "SuspendPartnership",
  PartnershipResumed: "ResumePartnership",
  PartnershipTerminated: "TerminatePartnership",
  CommissionReviewRecorded: "RecordCommissionReview",
  MilestoneRecorded: "RecordMilestone",
};

function isCorrectable(fact: PartnershipFact | null | undefined): fact is CorrectableFact {
  return fact !== null && fact !== undefined && (CORRECTABLE_FACTS as readonly string[]).includes(fact.type);
}

/**
 * A correction is accepted only if the history it produces is one the rules accept: the corrected fact is
 * decided again, on the state before it, from its new data, and so is every fact after it.
 */
function correct({ data, metadata }: CorrectFact, state: Partnership): PartnershipEvent {
  const original = state.facts[data.revision];
  if (!Number.isInteger(data.revision) || original === undefined)
    throw new RuleViolation("CORRECTION_UNKNOWN_FACT", `revision ${data.revision}`);
  if (!isCorrectable(original))
    throw new RuleViolation("CORRECTION_NOT_CORRECTABLE", original === null ? "a correction" : original.type);
  checkText("reason", data.reason);
  checkSource(data.source);
  let replayed: PartnershipState = replay(state.facts.slice(0, data.revision));
  let after: CorrectableFact["data"] | undefined;
  state.facts.forEach((fact, revision) => {
    if (revision < data.revision || !isCorrectable(fact)) {
      if (revision > data.revision && fact) replayed = apply(replayed, fact);
      return;
    }
    const facts = revision === data.revision ? patched(fact.data, data.data, state.id) : fact.data;
    const [decided] = partnershipDecider.decide(
      { type: COMMAND_OF[fact.type], data: facts, metadata } as PartnershipCommand,
      replayed,
      NOTHING_KNOWN,
    );
    if (decided!.type !== fact.type)
      throw new RuleViolation("CORRECTION_NOT_CORRECTABLE", `${fact.type} cannot become ${decided!.type}`);
    if (revision === data.revision) after = decided!.data as CorrectableFact["data"];
    replayed = apply(replayed, revision === data.revision ? (decided as PartnershipFact) : fact);
  });
  if (canonicalJson(after) === canonicalJson(original.data)) throw new RuleViolation("CORRECTION_NO_CHANGE");
  return {
    type: "FactCorrected",
    data: {
      partnershipId: state.id,
      corrects: { revision: data.revision, type: original.type },
      before: original.data,
      after: after!,
      reason: data.reason.trim(),
      source: data.source ?? null,
    },
  };
}

/**
 * The fact's data with the correction's patch applied. A correction's data is free-form JSON, so each field it
 * sets must keep the shape the fact gives it (a list stays a list, a text a text) before the rules see it.
 */
function patched(fact: CorrectableFact["data"], patch: Readonly<Record<string, unknown>>, partnershipId: string) {
  checkShape("data", fact, patch);
  return { ...(mergePatch(fact, patch) as Record<string, unknown>), partnershipId };
}

type Shape = "text" | "number" | "boolean" | "list" | "object";
const ARTICLE: Record<Shape, string> = { text: "a", number: "a", boolean: "a", list: "a", object: "an" };

function shapeOf(value: unknown): Shape | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return "list";
  if (typeof value === "string") return "text";
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "boolean";
  return "object";
}

function checkShape(path: string, current: unknown, patch: unknown): void {
  const expected = shapeOf(current);
  const given = shapeOf(patch);
  if (expected === null || given === null) return;
  if (expected !== given) throw new InvalidInput(path, `must be ${ARTICLE[expected]} ${expected}`);
  if (expected !== "object") return;
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    checkShape(`${path}.${key}`, (current as Record<string, unknown>)[key], value);
  }
}

/** What other decisions (activities) know of a partnership. */
export function partnershipRef(state: PartnershipState): PartnershipRef | null {
  if (state.status === "none") return null;
  return {
    id: state.id,
    status: state.status,
    parties: state.parties,
    terminatedOn: state.termination?.effectiveOn ?? null,
  };
}
