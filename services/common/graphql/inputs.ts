/** Input types every subgraph shares. */
import { IsOptional, Length } from "class-validator";
import { Field, InputType } from "type-graphql";
import { BusinessDateScalar } from "./scalars";

@InputType({ description: "Where a recorded fact comes from: the document and its verbatim quote." })
export class SourceInput {
  @Field()
  @Length(1, 500)
  document: string;

  @Field()
  @Length(1, 5000)
  quote: string;

  @Field(() => String, {
    nullable: true,
    description: "Why the date is what it is, when the source does not state it outright.",
  })
  @IsOptional()
  @Length(1, 1000)
  dateBasis?: string;
}

@InputType()
export class PeriodInput {
  @Field(() => BusinessDateScalar)
  from: string;

  @Field(() => BusinessDateScalar, { nullable: true })
  to?: string | null;
}
