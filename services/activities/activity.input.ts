/** Inputs of the activities subgraph's commands and filters. Rules beyond the shape live in the deciders. */
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsInt,
  IsISO31661Alpha2,
  IsISO4217CurrencyCode,
  IsOptional,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from "class-validator";
import { Field, ID, InputType, Int } from "type-graphql";
import { ID_PATTERN } from "../../domain/validation";
import { PeriodInput, SourceField, SourceInput } from "../common/graphql/inputs";
import { BusinessDateScalar } from "../common/graphql/scalars";
import { ActivityKind, ActivityStatus, DurationUnit } from "./activity.type";

const ID_MESSAGE = "$property must be letters, digits, - _ . (at most 200)";

@InputType()
export class HeadcountInput {
  @Field(() => Int)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  count: number;

  @Field({ nullable: true, description: "True for « plus de dix »: more than `count`." })
  moreThan?: boolean;
}

@InputType()
export class DurationInput {
  @Field(() => Int)
  @IsInt()
  @Min(1)
  @Max(1000)
  amount: number;

  @Field(() => DurationUnit)
  unit: "day" | "week" | "month" | "year";
}

@InputType()
export class PlaceInput {
  @Field(() => String, { nullable: true, description: "ISO 3166-1 alpha-2." })
  @IsOptional()
  @IsISO31661Alpha2()
  country?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 300)
  place?: string | null;
}

@InputType()
export class OriginInput {
  @Field(() => String, { nullable: true, description: "ISO 3166-1 alpha-2." })
  @IsOptional()
  @IsISO31661Alpha2()
  country?: string | null;

  @Field(() => [ID], { nullable: true, description: "Registered institutions the visitors come from." })
  @IsOptional()
  @ArrayMaxSize(50)
  institutions?: string[];
}

@InputType()
export class MoneyInput {
  @Field({ description: 'Exact decimal: "5200000", "1250.50".' })
  @Matches(/^\d{1,15}(\.\d{1,4})?$/, { message: "$property must be a positive decimal like 1250.50" })
  value: string;

  @Field({ description: "ISO 4217: EUR, XOF, USD…" })
  @IsISO4217CurrencyCode()
  currency: string;

  @Field({ nullable: true, description: "The amount is a ceiling (« jusqu'à »)." })
  ceiling?: boolean;
}

@InputType({ description: "Fields that describe a mission (all optional when completing a planned one)." })
class MissionFields {
  @Field(() => PlaceInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  destination?: PlaceInput | null;

  @Field(() => HeadcountInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  participants?: HeadcountInput | null;

  @Field(() => Int, { nullable: true, description: "How many trips this record covers (default 1)." })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  trips?: number;

  @Field(() => DurationInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  duration?: DurationInput | null;

  @Field(() => String, { nullable: true, description: "For a standing arrangement: « trois missions par an »." })
  @IsOptional()
  @Length(1, 200)
  recurrence?: string | null;

  @SourceField()
  source?: SourceInput | null;
}

@InputType()
export class PlanMissionInput extends MissionFields {
  @Field(() => ID, { nullable: true, description: "Derived from the command id when omitted." })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  missionId?: string;

  @Field(() => ID)
  partnershipId: string;

  @Field()
  @Length(1, 1000)
  purpose: string;

  @Field(() => BusinessDateScalar)
  plannedStart: string;

  @Field(() => BusinessDateScalar, { nullable: true })
  plannedEnd?: string | null;

  @Field(() => BusinessDateScalar, { nullable: true, description: "When the plan was made, if known." })
  plannedOn?: string | null;
}

@InputType()
export class PostponeMissionInput {
  @Field(() => ID)
  missionId: string;

  @Field()
  @Length(1, 2000)
  reason: string;

  @Field(() => BusinessDateScalar, { nullable: true })
  postponedOn?: string | null;

  @Field(() => BusinessDateScalar, { nullable: true, description: "Omit when postponed with no new date." })
  plannedStart?: string | null;

  @Field(() => BusinessDateScalar, { nullable: true })
  plannedEnd?: string | null;

  @SourceField()
  source?: SourceInput | null;
}

@InputType()
export class StartMissionInput {
  @Field(() => ID)
  missionId: string;

  @Field(() => BusinessDateScalar)
  startedOn: string;
}

@InputType({
  description:
    "Completes a planned mission, or records a past one never planned here (then give partnershipId and purpose).",
})
export class CompleteMissionInput extends MissionFields {
  @Field(() => ID, {
    nullable: true,
    description: "Derived from the command id when omitted (a past mission recorded once).",
  })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  missionId?: string;

  @Field(() => ID, { nullable: true })
  partnershipId?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 1000)
  purpose?: string;

  @Field(() => BusinessDateScalar, { nullable: true })
  startedOn?: string | null;

  @Field(() => BusinessDateScalar)
  completedOn: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 2000)
  outcome?: string | null;
}

@InputType()
export class CancelActivityInput {
  @Field(() => ID)
  id: string;

  @Field()
  @Length(1, 2000)
  reason: string;

  @Field(() => BusinessDateScalar, { nullable: true })
  cancelledOn?: string | null;
}

@InputType({
  description:
    "A delegation's visit: schedule it, or record it hosted (a past visit needs partnershipId, purpose and from).",
})
export class DelegationInput {
  @Field(() => ID, { nullable: true, description: "Derived from the command id when omitted." })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  delegationId?: string;

  @Field(() => ID, { nullable: true })
  partnershipId?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 1000)
  purpose?: string;

  @Field(() => OriginInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  origin?: OriginInput | null;

  @Field(() => HeadcountInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  visitors?: HeadcountInput | null;

  @Field(() => BusinessDateScalar, { nullable: true })
  from?: string;

  @Field(() => BusinessDateScalar, { nullable: true })
  to?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 300)
  place?: string | null;

  @SourceField()
  source?: SourceInput | null;
}

@InputType({
  description: "A training: schedule it, or record it given (a past one needs partnershipId, topic and from).",
})
export class TrainingInput {
  @Field(() => ID, { nullable: true, description: "Derived from the command id when omitted." })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  trainingId?: string;

  @Field(() => ID, { nullable: true })
  partnershipId?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 1000)
  topic?: string;

  @Field(() => String, { nullable: true, description: "Who was trained: « trois infirmières de l'HOGIP »." })
  @IsOptional()
  @Length(1, 1000)
  trainees?: string | null;

  @Field(() => HeadcountInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  traineeCount?: HeadcountInput | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 300)
  place?: string | null;

  @Field(() => BusinessDateScalar, { nullable: true })
  from?: string;

  @Field(() => BusinessDateScalar, { nullable: true })
  to?: string | null;

  @Field(() => DurationInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  duration?: DurationInput | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  recurrence?: string | null;

  @Field({ nullable: true })
  remote?: boolean;

  @SourceField()
  source?: SourceInput | null;
}

@InputType()
export class GrantFundingInput {
  @Field(() => ID, { nullable: true, description: "Derived from the command id when omitted." })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  fundingId?: string;

  @Field(() => ID)
  partnershipId: string;

  @Field(() => [ID], { description: "Registered institutions; one or more." })
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  funders: string[];

  @Field(() => MoneyInput, { nullable: true, description: "Omit when the source states no amount." })
  @IsOptional()
  @ValidateNested()
  amount?: MoneyInput | null;

  @Field(() => BusinessDateScalar)
  grantedOn: string;

  @Field(() => PeriodInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  period?: PeriodInput | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 2000)
  purpose?: string | null;

  @SourceField()
  source?: SourceInput | null;
}

@InputType()
export class ActivityFilter {
  @Field(() => String, { nullable: true, description: "YYYY-MM-DD: activities that may fall on or after it." })
  from?: string;

  @Field(() => String, { nullable: true, description: "YYYY-MM-DD: activities that may fall on or before it." })
  to?: string;

  @Field(() => ID, { nullable: true })
  partnershipId?: string;

  @Field(() => String, { nullable: true, description: "The activity's country, or its partnership's." })
  country?: string;

  @Field(() => ActivityKind, { nullable: true })
  kind?: "mission" | "delegation" | "training";

  @Field(() => ActivityStatus, { nullable: true })
  status?: "planned" | "postponed" | "started" | "completed" | "cancelled";
}
