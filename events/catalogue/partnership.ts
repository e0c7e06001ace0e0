/** Events of `partnership-<id>` streams: the life of a partnership and of its agreement (MoU). */
import type { Source } from "./values";

export const SCOPES = ["domestic", "international"] as const;
export type Scope = (typeof SCOPES)[number];

export interface Signatory {
  readonly institutionId: string;
  /** The person who signed, when the source names them. */
  readonly person: string | null;
  /** Their role ("directeur général", "présidente"). */
  readonly role: string | null;
}

/** Where a partnership stands; PROPOSED until the cooperation starts or an agreement is signed. */
export const PARTNERSHIP_STATUSES = ["proposed", "active", "suspended", "terminated"] as const;
export type PartnershipStatus = (typeof PARTNERSHIP_STATUSES)[number];

export const REVIEW_OUTCOMES = ["continue", "renew", "amend", "suspend", "terminate"] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

export interface PartnershipProposed {
  readonly type: "PartnershipProposed";
  readonly data: {
    readonly partnershipId: string;
    readonly title: string;
    readonly scope: Scope;
    /** Institution ids; two or more. */
    readonly parties: readonly string[];
    readonly themes: readonly string[];
    /** ISO 3166-1 alpha-2 codes of the partner countries. */
    readonly countries: readonly string[];
    /** sha256 of the draft agreement text, when there is one to approve. */
    readonly versionHash: string | null;
    readonly proposedOn: string | null;
    readonly source: Source | null;
  };
}

/** The cooperation is under way, with or without a signed agreement ("coopère depuis 2009"). */
export interface CooperationStarted {
  readonly type: "CooperationStarted";
  readonly data: { readonly partnershipId: string; readonly startedOn: string; readonly source: Source | null };
}

export interface MoUSigned {
  readonly type: "MoUSigned";
  readonly data: {
    readonly partnershipId: string;
    readonly signedOn: string;
    /** Many agreements have none. */
    readonly expiresOn: string | null;
    readonly signatories: readonly Signatory[];
    readonly versionHash: string | null;
    /** Months of notice either party must give to terminate; null when the agreement sets none. */
    readonly noticePeriodMonths: number | null;
    /** How many agreements this record covers: 1, or more when a source reports several together. */
    readonly agreements: number;
    readonly title: string | null;
    readonly place: string | null;
    readonly source: Source | null;
  };
}

/** A party approved the exact text version it saw (as Erasmus Without Paper inter-institutional agreements do). */
export interface AgreementVersionApproved {
  readonly type: "AgreementVersionApproved";
  readonly data: {
    readonly partnershipId: string;
    readonly institutionId: string;
    readonly versionHash: string;
    readonly approvedOn: string | null;
    readonly approvedBy: string | null;
  };
}

/** The text changed: a new version, and every earlier approval is void. */
export interface MoUAmended {
  readonly type: "MoUAmended";
  readonly data: {
    readonly partnershipId: string;
    readonly amendedOn: string;
    readonly versionHash: string;
    readonly summary: string;
    readonly source: Source | null;
  };
}

export interface MoURenewed {
  readonly type: "MoURenewed";
  readonly data: {
    readonly partnershipId: string;
    readonly renewedOn: string;
    readonly period: { readonly from: string; readonly to: string | null };
    readonly source: Source | null;
  };
}

export interface PartnershipSuspended {
  readonly type: "PartnershipSuspended";
  readonly data: {
    readonly partnershipId: string;
    readonly suspendedOn: string;
    readonly reason: string;
    readonly source: Source | null;
  };
}

export interface PartnershipResumed {
  readonly type: "PartnershipResumed";
  readonly data: { readonly partnershipId: string; readonly resumedOn: string; readonly source: Source | null };
}

export interface PartnershipTerminated {
  readonly type: "PartnershipTerminated";
  readonly data: {
    readonly partnershipId: string;
    readonly noticeGivenOn: string;
    readonly effectiveOn: string;
    readonly reason: string;
    readonly source: Source | null;
  };
}

/** The international-relations commission reviewed the partnership (it sits twice a year). */
export interface CommissionReviewRecorded {
  readonly type: "CommissionReviewRecorded";
  readonly data: {
    readonly partnershipId: string;
    readonly reviewedOn: string;
    readonly outcome: ReviewOutcome;
    readonly notes: string | null;
    readonly nextReviewOn: string;
  };
}

/**
 * A dated fact about the partnership that is none of the above: a container shipped, colloquia organised, a
 * partner founded (`contextual`), something announced (`planned`).
 */
export interface MilestoneRecorded {
  readonly type: "MilestoneRecorded";
  readonly data: {
    readonly partnershipId: string;
    readonly occurredOn: string;
    readonly summary: string;
    readonly planned: boolean;
    /** Background about a partner or framework rather than an event of the partnership itself. */
    readonly contextual: boolean;
    readonly details: Readonly<Record<string, string | number | boolean>>;
    readonly source: Source | null;
  };
}

/** The partnership stream's events that state a fact: every one but a correction. */
export const PARTNERSHIP_FACTS = [
  "PartnershipProposed",
  "CooperationStarted",
  "MoUSigned",
  "AgreementVersionApproved",
  "MoUAmended",
  "MoURenewed",
  "PartnershipSuspended",
  "PartnershipResumed",
  "PartnershipTerminated",
  "CommissionReviewRecorded",
  "MilestoneRecorded",
] as const satisfies readonly PartnershipEvent["type"][];

// A new fact event that is not listed above does not compile.
type UnlistedFact = Exclude<Exclude<PartnershipEvent["type"], "FactCorrected">, (typeof PARTNERSHIP_FACTS)[number]>;
export const EVERY_FACT_LISTED: [UnlistedFact] extends [never] ? true : UnlistedFact = true;

/** Facts a correction may replace: the dated ones. A proposal's parties are changed by a new proposal, not here. */
const UNCORRECTABLE: readonly string[] = ["PartnershipProposed", "AgreementVersionApproved"] as const;
export const CORRECTABLE_FACTS = PARTNERSHIP_FACTS.filter(
  (type): type is Exclude<(typeof PARTNERSHIP_FACTS)[number], "PartnershipProposed" | "AgreementVersionApproved"> =>
    !UNCORRECTABLE.includes(type),
);
export type CorrectableFact = Extract<PartnershipEvent, { type: (typeof CORRECTABLE_FACTS)[number] }>;

/**
 * An earlier fact of the stream was wrong: from now on it reads as `after`. The corrected event stays in the
 * log, untouched; history shows both. `before` is what the fact said until this correction.
 */
export interface FactCorrected {
  readonly type: "FactCorrected";
  readonly data: {
    readonly partnershipId: string;
    readonly corrects: { readonly revision: number; readonly type: CorrectableFact["type"] };
    readonly before: CorrectableFact["data"];
    readonly after: CorrectableFact["data"];
    readonly reason: string;
    readonly source: Source | null;
  };
}

export type PartnershipEvent =
  | FactCorrected
  | PartnershipProposed
  | CooperationStarted
  | MoUSigned
  | AgreementVersionApproved
  | MoUAmended
  | MoURenewed
  | PartnershipSuspended
  | PartnershipResumed
  | PartnershipTerminated
  | CommissionReviewRecorded
  | MilestoneRecorded;
