/** Input types every subgraph shares. */
import { IsOptional, Length, ValidateNested } from "class-validator";
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

/** The optional `source` field of an input that records a fact: a SourceInput, validated as a whole. */
export function SourceField(): PropertyDecorator {
  // In the order TypeScript applies stacked decorators: bottom first.
  return (prototype, property) => {
    ValidateNested()(prototype, property);
    IsOptional()(prototype, property);
    Field(() => SourceInput, { nullable: true })(prototype, property);
  };
}
