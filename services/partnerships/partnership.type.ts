/** GraphQL types of the partnerships subgraph: Institution and Partnership entities and their parts. */
import { Directive, Field, ID, Int, ObjectType } from "type-graphql";
import { INSTITUTION_KINDS, PARTNERSHIP_STATUSES, REVIEW_OUTCOMES, SCOPES } from "../../events/catalogue";
import { enumOf } from "../common/graphql/enums";
import { listSize } from "../common/graphql/limits";
import { BusinessDateScalar } from "../common/graphql/scalars";
import { CommandOutcome } from "../common/graphql/command-outcome";
import { connectionOf } from "../common/graphql/relay";

export const InstitutionKind = enumOf(INSTITUTION_KINDS, { name: "InstitutionKind" });

export const PartnershipStatus = enumOf(PARTNERSHIP_STATUSES, {
  name: "PartnershipStatus",
  description: "PROPOSED until the cooperation starts or an agreement is signed.",
});

export const Scope = enumOf(SCOPES, { name: "Scope" });

export const ReviewOutcome = enumOf(REVIEW_OUTCOMES, {
  name: "ReviewOutcome",
  description: "What the international-relations commission decided.",
});

@ObjectType({ description: "A hospital, university, ministry, health authority, NGO or funder." })
@Directive('@key(fields: "id")')
export class Institution {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field(() => InstitutionKind)
  kind: string;

  @Field(() => String, { nullable: true, description: "ISO 3166-1 alpha-2; null for intergovernmental bodies." })
  country: string | null;

  @Field(() => String, { nullable: true })
  city: string | null;

  @Field(() => Int, { description: "How many partnerships it is a party to." })
  partnershipCount: number;
}

@ObjectType({ description: "The agreement in force: its latest signature's terms, and what happened to it." })
export class Agreement {
  @Field(() => BusinessDateScalar)
  firstSignedOn: string;

  @Field(() => BusinessDateScalar)
  signedOn: string;

  @Field(() => BusinessDateScalar, {
    nullable: true,
    description: "Null: the agreement has no expiry (many have none).",
  })
  expiresOn: string | null;

  @Field(() => Int, { description: "Agreements signed in all (a source may report several at once)." })
  signed: number;

  @Field(() => Int)
  amendments: number;

  @Field(() => Int)
  renewals: number;
}

@ObjectType()
export class LastActivity {
  @Field(() => BusinessDateScalar)
  on: string;

  @Field({ description: "mission, delegation, training or funding." })
  kind: string;
}

@ObjectType()
export class Review {
  @Field(() => BusinessDateScalar)
  on: string;

  @Field(() => ReviewOutcome)
  outcome: string;
}

@ObjectType({ description: "A partnership between institutions, with its agreement (MoU) and its course." })
@Directive('@key(fields: "id")')
export class Partnership {
  @Field(() => ID)
  id: string;

  @Field()
  title: string;

  @Field(() => Scope)
  scope: string;

  @Field(() => PartnershipStatus)
  status: string;

  /** Ids of the parties; the `parties` field resolves them. */
  partyIds: string[];

  @Directive(listSize(20))
  @Field(() => [String], { description: "ISO 3166-1 alpha-2 codes of the partner countries." })
  countries: string[];

  @Directive(listSize(20))
  @Field(() => [String])
  themes: string[];

  @Field(() => BusinessDateScalar, { nullable: true, description: "When the cooperation began, if the sources say." })
  cooperationSince: string | null;

  @Field(() => Agreement, { nullable: true })
  agreement: Agreement | null;

  @Field(() => BusinessDateScalar, { nullable: true })
  suspendedSince: string | null;

  @Field(() => BusinessDateScalar, { nullable: true, description: "When the termination took or takes effect." })
  terminatedOn: string | null;

  @Field(() => LastActivity, {
    nullable: true,
    description: "The latest mission, visit, training or funding that happened.",
  })
  lastActivity: LastActivity | null;

  @Field(() => Review, { nullable: true })
  lastReview: Review | null;

  @Field(() => BusinessDateScalar, { nullable: true })
  nextReviewOn: string | null;

  @Field(() => Int)
  milestones: number;
}

@ObjectType({ description: "An institution's part in a partnership." })
export class Membership {
  @Field(() => Partnership)
  partnership: Partnership;

  @Field(() => PartnershipStatus)
  status: string;
}

export const PartnershipConnection = connectionOf(Partnership, "Partnership");
export const InstitutionConnection = connectionOf(Institution, "Institution");

@ObjectType({ description: "A reminder for the commission." })
export class Reminder {
  @Field(() => Partnership)
  partnership: Partnership;

  @Field(() => BusinessDateScalar)
  signedOn: string;

  @Field(() => BusinessDateScalar, { nullable: true })
  expiresOn: string | null;

  @Field(() => BusinessDateScalar, { nullable: true })
  lastReviewOn: string | null;
}

@ObjectType()
export class ReviewReminders {
  @Directive(listSize(250))
  @Field(() => [Reminder], {
    description: "Agreements with no expiry not reviewed within the commission's period (six months).",
  })
  reviewsOverdue: Reminder[];

  @Directive(listSize(250))
  @Field(() => [Reminder], { description: "Agreements expiring within the requested number of months." })
  expiring: Reminder[];
}

@ObjectType()
export class CountryCount {
  @Field(() => String, { nullable: true })
  country: string | null;

  @Field(() => Int)
  institutions: number;

  @Field(() => Int)
  partnerships: number;
}

@ObjectType()
export class PartnershipPayload extends CommandOutcome {
  @Field(() => Partnership)
  partnership: Partnership;
}

@ObjectType()
export class InstitutionPayload extends CommandOutcome {
  @Field(() => Institution)
  institution: Institution;
}
