/** People as the API shows them: in clear while their key exists, as erased once they are forgotten. */
import { Directive, Field, ID, Int, ObjectType } from "type-graphql";
import { listSize } from "../common/graphql/limits";
import { CommandOutcome } from "../common/graphql/command-outcome";

@ObjectType({ description: "A person the ledger names. Once forgotten, every personal field is null and erased true." })
export class Person {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  institutionId: string;

  @Field(() => String, { nullable: true })
  name: string | null;

  @Field(() => String, { nullable: true })
  role: string | null;

  @Field(() => String, { nullable: true })
  email: string | null;

  @Field({ description: "True once the person is forgotten: their key and contact are destroyed." })
  erased: boolean;

  @Field(() => String, { nullable: true, description: "When the ledger recorded the erasure (ISO-8601)." })
  forgottenAt: string | null;

  @Field(() => String, { nullable: true, description: "`request` or `retention`." })
  erasureBasis: string | null;
}

@ObjectType()
export class PersonPayload extends CommandOutcome {
  @Field(() => Person)
  person: Person;
}

@ObjectType({ description: "A person the retention policy forgot, and the partnership whose end made it due." })
export class RetentionErasure {
  @Field(() => ID)
  personId: string;

  @Field(() => ID, { description: "The last of the partnerships naming them to end." })
  partnershipId: string;

  @Field({ description: "When that partnership ended (its effective date)." })
  terminatedOn: string;
}

@ObjectType()
export class RetentionPayload {
  @Field()
  asOf: string;

  @Field(() => Int)
  yearsAfterTermination: number;

  @Directive(listSize(1000))
  @Field(() => [RetentionErasure])
  forgotten: RetentionErasure[];
}
