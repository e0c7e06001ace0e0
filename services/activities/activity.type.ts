/** GraphQL types of the activities subgraph: missions, delegations, trainings, funding. */
import { Directive, Field, ID, Int, InterfaceType, ObjectType, registerEnumType } from "type-graphql";
import { CommandOutcome } from "../common/graphql/command-outcome";
import { listSize } from "../common/graphql/limits";
import { connectionOf } from "../common/graphql/relay";
import { BusinessDateScalar } from "../common/graphql/scalars";

export const ActivityKind = { MISSION: "mission", DELEGATION: "delegation", TRAINING: "training" } as const;
registerEnumType(ActivityKind, { name: "ActivityKind" });

export const ActivityStatus = {
  PLANNED: "planned",
  POSTPONED: "postponed",
  STARTED: "started",
  COMPLETED: "completed",
  CANCELLED: "cancelled",
} as const;
registerEnumType(ActivityStatus, {
  name: "ActivityStatus",
  description: "COMPLETED: the mission happened, the delegation was hosted, the training given.",
});

export const FundingDimension = { FUNDER: "funder", PARTNERSHIP: "partnership", YEAR: "year" } as const;
registerEnumType(FundingDimension, { name: "FundingDimension" });

export const DurationUnit = { DAY: "day", WEEK: "week", MONTH: "month", YEAR: "year" } as const;
registerEnumType(DurationUnit, { name: "DurationUnit" });

/** Partnership as this subgraph knows it: its id; the partnerships subgraph resolves the rest. */
@ObjectType()
@Directive('@key(fields: "id")')
export class Partnership {
  @Field(() => ID)
  id: string;
}

/** Institution as this subgraph names it (funders, origins); resolved by the partnerships subgraph. */
@ObjectType()
@Directive('@key(fields: "id", resolvable: false)')
export class Institution {
  @Field(() => ID)
  id: string;
}

@ObjectType({ description: "A number of people as sources give it: exactly `count`, or more than `count`." })
export class Headcount {
  @Field(() => Int)
  count: number;

  @Field()
  moreThan: boolean;
}

@ObjectType()
export class Duration {
  @Field(() => Int)
  amount: number;

  @Field(() => DurationUnit)
  unit: string;
}

@InterfaceType({
  description: "Something done within a partnership, on the calendar.",
  resolveType: (value: { kind: string }) =>
    ({ mission: "Mission", delegation: "Delegation", training: "Training" })[value.kind],
})
export abstract class Activity {
  @Field(() => ID)
  id: string;

  @Field(() => ActivityKind)
  kind: string;

  @Field(() => Partnership)
  partnership: Partnership;

  @Field(() => ActivityStatus)
  status: string;

  @Field({ description: "Purpose of a mission or delegation, topic of a training." })
  title: string;

  @Field(() => BusinessDateScalar, { nullable: true })
  startOn: string | null;

  @Field(() => BusinessDateScalar, { nullable: true })
  endOn: string | null;

  @Field(() => String, {
    nullable: true,
    description: "ISO 3166-1 alpha-2: a mission's destination, a delegation's origin.",
  })
  country: string | null;

  @Field(() => String, { nullable: true })
  place: string | null;

  @Field(() => Headcount, { nullable: true, description: "Participants, visitors or trainees." })
  people: Headcount | null;
}

@ObjectType({ implements: Activity })
export class Mission extends Activity {
  @Field(() => Int, { description: "How many trips this record covers." })
  trips: number;

  @Field(() => Duration, { nullable: true })
  duration: Duration | null;

  @Field(() => String, { nullable: true })
  recurrence: string | null;

  @Field(() => String, { nullable: true })
  outcome: string | null;
}

@ObjectType({ implements: Activity })
export class Delegation extends Activity {
  @Directive(listSize(10))
  @Field(() => [Institution])
  originInstitutions: Institution[];
}

@ObjectType({ implements: Activity })
export class Training extends Activity {
  @Field(() => String, { nullable: true, description: "Who was trained, as the source says it." })
  trainees: string | null;

  @Field()
  remote: boolean;

  @Field(() => Duration, { nullable: true })
  duration: Duration | null;

  @Field(() => String, { nullable: true })
  recurrence: string | null;
}

@ObjectType()
export class Money {
  @Field({ description: "Exact decimal." })
  value: string;

  @Field({ description: "ISO 4217." })
  currency: string;

  @Field({ description: "The amount is a ceiling (« jusqu'à »)." })
  ceiling: boolean;
}

@ObjectType({ description: "Funding granted to a partnership by one or more funders." })
export class Grant {
  @Field(() => ID)
  id: string;

  @Field(() => Partnership)
  partnership: Partnership;

  @Directive(listSize(10))
  @Field(() => [Institution])
  funders: Institution[];

  @Field(() => Money, { nullable: true, description: "Null when the source states no amount." })
  amount: Money | null;

  @Field(() => BusinessDateScalar)
  grantedOn: string;

  @Field(() => String, { nullable: true })
  purpose: string | null;
}

@ObjectType({ description: "A total for one key (funder, partnership or year) in one currency." })
export class FundingTotal {
  @Field()
  key: string;

  @Field(() => String, { nullable: true, description: "Null: grants with no stated amount." })
  currency: string | null;

  @Field(() => String, { nullable: true, description: "Exact decimal sum; never converted between currencies." })
  amount: string | null;

  @Field(() => Int)
  grants: number;

  @Field(() => Int, { description: "Grants shared with other funders (they count in full for each)." })
  cofunded: number;

  @Field({ description: "Some amounts are ceilings: the total is an upper bound." })
  includesCeilings: boolean;
}

export const ActivityConnection = connectionOf(Activity, "Activity");

@ObjectType()
export class ActivityPayload extends CommandOutcome {
  @Field(() => Activity)
  activity: Activity;
}

@ObjectType()
export class GrantPayload extends CommandOutcome {
  @Field(() => Grant)
  grant: Grant;
}
