/** GraphQL types of what the ledger holds about people, for the data protection officer. */
import { GraphQLJSONObject } from "graphql-scalars";
import { Directive, Field, ID, Int, ObjectType } from "type-graphql";
import { listSize } from "../common/graphql/limits";
import { BusinessDateScalar, PositionScalar } from "../common/graphql/scalars";

@ObjectType({
  description:
    "One line of the record of processing (GDPR art. 30): a stored field, whether it is personal, why it is kept and for how long.",
})
export class ProcessingEntry {
  @Field({ description: "`event`, `metadata` or `read model`." })
  kind: string;

  @Field({ description: "The event type, or the read model's projection and table (`access_grants.grants`)." })
  record: string;

  @Field({ description: "The field's path (`signatories.person`) or column." })
  field: string;

  @Field({ description: "reference, institutional, person-name, person-role, recorder or free-text." })
  category: string;

  @Field({ description: "`yes` when the value names or identifies a person, `may` for free text that can, `no`." })
  personal: string;

  @Field()
  purpose: string;

  @Field()
  legalBasis: string;

  @Field()
  retention: string;
}

@ObjectType({ description: "One event that names the person: what it says (mentions opened), who recorded it, when." })
export class SubjectFact {
  @Field(() => PositionScalar)
  position: string;

  @Field()
  type: string;

  @Field()
  streamId: string;

  @Field(() => Int)
  revision: number;

  @Field()
  recordedAt: string;

  @Field({ description: "Who recorded it: the sign-on subject." })
  recordedBy: string;

  @Field(() => BusinessDateScalar, { nullable: true })
  businessDate: string | null;

  @Field(() => GraphQLJSONObject)
  data: Record<string, unknown>;
}

@ObjectType({
  description:
    "Everything the ledger holds about one person (GDPR art. 15): their record, and every event that names them.",
})
export class SubjectAccessReport {
  @Field(() => ID)
  personId: string;

  @Field({ description: "False when no person was ever recorded under this id." })
  recorded: boolean;

  @Field(() => ID, { nullable: true })
  institutionId: string | null;

  @Field(() => String, { nullable: true })
  name: string | null;

  @Field(() => String, { nullable: true })
  role: string | null;

  @Field(() => String, { nullable: true })
  email: string | null;

  @Field()
  erased: boolean;

  @Field(() => String, { nullable: true })
  forgottenAt: string | null;

  // Priced as a person named by a few hundred events; the list holds every one however many there are.
  @Directive(listSize(500))
  @Field(() => [SubjectFact])
  facts: SubjectFact[];
}
