/** The commands of a partnership's stream: what an office may ask of it. */
import type { Command, Source } from "../../decider";
import type { ReviewOutcome, Scope } from "../../../events/catalogue";

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
