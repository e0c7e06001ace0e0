/** Inputs of the access commands. */
import { IsOptional, Length, Matches } from "class-validator";
import { Field, ID, InputType } from "type-graphql";
import { ID_PATTERN } from "../../domain/validation";

@InputType({ description: "A grant or revocation: one institution, or every institution when none is given." })
export class AccessInput {
  @Field({ description: "The person's token subject (`sub`), as the sign-on provider issues it." })
  @Length(1, 500)
  grantee: string;

  @Field(() => ID, { nullable: true, description: "The institution; omitted or null: every institution." })
  @IsOptional()
  @Matches(ID_PATTERN, { message: "$property must be letters, digits, - _ . (at most 200)" })
  institutionId?: string | null;
}
