/** Inputs of the partnerships subgraph's commands and filters. Rules beyond the shape live in the deciders. */
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsInt,
  IsISO31661Alpha2,
  IsOptional,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from "class-validator";
import { GraphQLJSONObject } from "graphql-scalars";
import { Field, ID, InputType, Int } from "type-graphql";
import { BusinessDateScalar } from "../common/graphql/scalars";
import { ID_PATTERN } from "../../domain/validation";
import { PeriodInput, SourceField, SourceInput } from "../common/graphql/inputs";
import type { PartnershipStatus as PartnershipStatusValue } from "../../events/catalogue";
import { InstitutionKind, PartnershipStatus, ReviewOutcome, Scope } from "./partnership.type";

const HASH_PATTERN = /^[0-9a-f]{64}$/;
const ID_MESSAGE = "$property must be letters, digits, - _ . (at most 200)";

@InputType()
export class RegisterInstitutionInput {
  @Field(() => ID, {
    nullable: true,
    description: "A readable slug (`chu-toulouse`); derived from the command id when omitted.",
  })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  institutionId?: string;

  @Field()
  @Length(1, 300)
  name: string;

  @Field(() => InstitutionKind)
  kind: (typeof InstitutionKind)[keyof typeof InstitutionKind];

  @Field(() => String, { nullable: true, description: "ISO 3166-1 alpha-2; omit for intergovernmental bodies." })
  @IsOptional()
  @IsISO31661Alpha2()
  country?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  city?: string | null;
}

@InputType()
export class RenameInstitutionInput {
  @Field(() => ID)
  institutionId: string;

  @Field()
  @Length(1, 300)
  name: string;
}

@InputType()
export class ProposePartnershipInput {
  @Field(() => ID, { nullable: true, description: "Derived from the command id when omitted." })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  partnershipId?: string;

  @Field()
  @Length(1, 300)
  title: string;

  @Field(() => Scope)
  scope: (typeof Scope)[keyof typeof Scope];

  @Field(() => [ID], { description: "Registered institutions; two or more." })
  @ArrayMinSize(2)
  @ArrayMaxSize(50)
  parties: string[];

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  themes?: string[];

  @Field(() => [String], { nullable: true, description: "ISO 3166-1 alpha-2 codes." })
  @IsOptional()
  @ArrayMaxSize(50)
  @IsISO31661Alpha2({ each: true })
  countries?: string[];

  @Field(() => String, { nullable: true, description: "sha256 (hex) of the draft agreement text, for approvals." })
  @IsOptional()
  @Matches(HASH_PATTERN)
  versionHash?: string | null;

  @Field(() => BusinessDateScalar, { nullable: true })
  proposedOn?: string | null;

  @SourceField()
  source?: SourceInput | null;
}

@InputType({ description: "Base of the inputs that act on one partnership (never used alone)." })
abstract class OnPartnership {
  @Field(() => ID)
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  partnershipId: string;
}

@InputType()
export class StartCooperationInput extends OnPartnership {
  @Field(() => BusinessDateScalar)
  startedOn: string;

  @SourceField()
  source?: SourceInput | null;
}

@InputType()
export class SignatoryInput {
  @Field(() => ID)
  institutionId: string;

  @Field(() => String, {
    nullable: true,
    description:
      "The person who signed, as a recorded person: `@{person:<id>}` (recordPerson first). A name in clear is refused: the log could never erase it.",
  })
  @IsOptional()
  @Matches(/^@\{person:[A-Za-z0-9._-]{1,200}\}$/, {
    message: "$property must name a recorded person as @{person:<id>}: a name given in clear could never be erased",
  })
  person?: string | null;

  @Field(() => String, { nullable: true, description: "Their role, e.g. « directeur général »." })
  @IsOptional()
  @Length(1, 200)
  role?: string | null;
}

@InputType()
export class SignMoUInput extends OnPartnership {
  @Field(() => BusinessDateScalar)
  signedOn: string;

  @Field(() => BusinessDateScalar, { nullable: true, description: "Omit when the agreement has none." })
  expiresOn?: string | null;

  @Field(() => [SignatoryInput], { nullable: true })
  @IsOptional()
  @ValidateNested({ each: true })
  signatories?: SignatoryInput[];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(HASH_PATTERN)
  versionHash?: string | null;

  @Field(() => Int, { nullable: true, description: "Months of notice to terminate, if the agreement sets them." })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(60)
  noticePeriodMonths?: number | null;

  @Field(() => Int, { nullable: true, description: "How many agreements this record covers (default 1)." })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  agreements?: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 300)
  title?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 300)
  place?: string | null;

  @SourceField()
  source?: SourceInput | null;
}

@InputType()
export class ApproveAgreementVersionInput extends OnPartnership {
  @Field(() => ID)
  institutionId: string;

  @Field({ description: "sha256 (hex) of the exact text the party saw." })
  @Matches(HASH_PATTERN)
  versionHash: string;

  @Field(() => BusinessDateScalar, { nullable: true })
  approvedOn?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  approvedBy?: string | null;
}

@InputType()
export class AmendMoUInput extends OnPartnership {
  @Field(() => BusinessDateScalar)
  amendedOn: string;

  @Field({ description: "sha256 (hex) of the amended text: a new version, which voids earlier approvals." })
  @Matches(HASH_PATTERN)
  versionHash: string;

  @Field()
  @Length(1, 2000)
  summary: string;

  @SourceField()
  source?: SourceInput | null;
}

@InputType()
export class RenewMoUInput extends OnPartnership {
  @Field(() => BusinessDateScalar)
  renewedOn: string;

  @Field(() => PeriodInput)
  @ValidateNested()
  period: PeriodInput;

  @SourceField()
  source?: SourceInput | null;
}

@InputType()
export class SuspendPartnershipInput extends OnPartnership {
  @Field(() => BusinessDateScalar)
  suspendedOn: string;

  @Field()
  @Length(1, 2000)
  reason: string;

  @SourceField()
  source?: SourceInput | null;
}

@InputType()
export class ResumePartnershipInput extends OnPartnership {
  @Field(() => BusinessDateScalar)
  resumedOn: string;

  @SourceField()
  source?: SourceInput | null;
}

@InputType()
export class TerminatePartnershipInput extends OnPartnership {
  @Field(() => BusinessDateScalar)
  noticeGivenOn: string;

  @Field(() => BusinessDateScalar, { description: "No earlier than the agreement's notice period allows." })
  effectiveOn: string;

  @Field()
  @Length(1, 2000)
  reason: string;

  @SourceField()
  source?: SourceInput | null;
}

@InputType()
export class RecordCommissionReviewInput extends OnPartnership {
  @Field(() => BusinessDateScalar)
  reviewedOn: string;

  @Field(() => ReviewOutcome)
  outcome: (typeof ReviewOutcome)[keyof typeof ReviewOutcome];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 5000)
  notes?: string | null;

  @Field(() => BusinessDateScalar, { nullable: true, description: "Default: six months after the review." })
  nextReviewOn?: string | null;
}

@InputType()
export class RecordMilestoneInput extends OnPartnership {
  @Field(() => BusinessDateScalar)
  occurredOn: string;

  @Field()
  @Length(1, 2000)
  summary: string;

  @Field({ nullable: true, description: "Announced, not yet happened: may be dated in the future." })
  planned?: boolean;

  @Field({ nullable: true, description: "Background about a partner rather than an event of the partnership." })
  contextual?: boolean;

  @Field(() => GraphQLJSONObject, { nullable: true, description: "Plain values only (strings, numbers, booleans)." })
  details?: Record<string, string | number | boolean>;

  @SourceField()
  source?: SourceInput | null;
}

@InputType()
export class PartnershipFilter {
  @Field(() => PartnershipStatus, { nullable: true })
  status?: PartnershipStatusValue;

  @Field(() => String, { nullable: true })
  country?: string;

  @Field(() => String, { nullable: true })
  theme?: string;

  @Field(() => ID, { nullable: true, description: "Partnerships this institution is a party to." })
  institution?: string;
}

@InputType()
export class InstitutionFilter {
  @Field(() => String, { nullable: true })
  country?: string;

  @Field(() => InstitutionKind, { nullable: true })
  kind?: string;
}

@InputType({
  description:
    "Corrects an earlier fact of the partnership: the corrected event stays in the log, and history shows both.",
})
export class CorrectFactInput extends OnPartnership {
  @Field(() => Int, { description: "Revision of the fact to correct (see Partnership.history)." })
  @IsInt()
  @Min(0)
  revision: number;

  @Field(() => GraphQLJSONObject, {
    description:
      'What to change in the fact, as a JSON merge patch (RFC 7386): the fields named take the new value (e.g. { signedOn: "2018-11" } for a MoUSigned), null clears an optional field, the fields omitted keep their value.',
  })
  data: Record<string, unknown>;

  @Field()
  @Length(1, 2000)
  reason: string;

  @SourceField()
  source?: SourceInput | null;
}
