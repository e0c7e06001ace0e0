/** Inputs of the people commands. */
import { IsEmail, IsIn, IsOptional, Length, Matches } from "class-validator";
import { Field, ID, InputType } from "type-graphql";
import { ERASURE_BASES, type ErasureBasis } from "../../events/catalogue";
import { ID_PATTERN } from "../../domain/validation";
import { enumOf } from "../common/graphql/enums";

export const ErasureBasisEnum = enumOf(ERASURE_BASES, {
  name: "ErasureBasis",
  description:
    "Why a person is forgotten: REQUEST (they asked, GDPR art. 17) or RETENTION (the policy's term ran out).",
});

@InputType({ description: "A person the ledger names: their name and title are sealed with their own key." })
export class RecordPersonInput {
  @Field(() => ID, { nullable: true, description: "Omitted: one derived from the command id." })
  @IsOptional()
  @Matches(ID_PATTERN, { message: "$property must be letters, digits, - _ . (at most 200)" })
  personId?: string | null;

  @Field(() => ID, { description: "The institution the person acts for." })
  @Matches(ID_PATTERN, { message: "$property must be letters, digits, - _ . (at most 200)" })
  institutionId: string;

  @Field()
  @Length(1, 300)
  name: string;

  @Field(() => String, { nullable: true, description: "Their title or function (« directeur général »)." })
  @IsOptional()
  @Length(1, 300)
  role?: string | null;

  @Field(() => String, { nullable: true, description: "Kept outside the log, in the personal-data vault." })
  @IsOptional()
  @IsEmail()
  email?: string | null;
}

@InputType()
export class ForgetPersonInput {
  @Field(() => ID)
  @Matches(ID_PATTERN, { message: "$property must be letters, digits, - _ . (at most 200)" })
  personId: string;

  @Field(() => ErasureBasisEnum)
  @IsIn(ERASURE_BASES)
  basis: ErasureBasis;
}

@InputType()
export class ApplyRetentionInput {
  @Field(() => String, {
    nullable: true,
    description: "The day the policy is applied as of, YYYY-MM-DD; default today.",
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: "$property must be a day, YYYY-MM-DD" })
  asOf?: string | null;
}
