/** A partnership's state, and how its events build it. */
import type { PartnershipRef } from "../../decider";
import type { PartnershipEvent, PartnershipStatus, ReviewOutcome, Scope } from "../../../events/catalogue";

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
  readonly status: PartnershipStatus;
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

export function evolve(state: PartnershipState, event: PartnershipEvent): PartnershipState {
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

export function apply(state: PartnershipState, event: PartnershipFact): PartnershipState {
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
