/** Access grants as the API shows them. */
import { Directive, Field, ObjectType } from "type-graphql";
import { CommandOutcome } from "../common/graphql/command-outcome";
import { listSize } from "../common/graphql/limits";
import { PositionScalar } from "../common/graphql/scalars";

@ObjectType({ description: "A person's right to write one institution's partnerships and activities, over a period." })
export class AccessGrant {
  @Field({ description: "The token subject (`sub`) the grant is for: the actor their commands are recorded as." })
  grantee: string;

  @Field(() => String, { nullable: true, description: "The institution granted; null: every institution." })
  institutionId: string | null;

  @Field({ description: "True when the grant covers every institution of the network." })
  network: boolean;

  @Field({ description: "When the ledger recorded the grant (ISO-8601)." })
  grantedAt: string;

  @Field({ description: "The administrator who granted it." })
  grantedBy: string;

  @Field(() => PositionScalar, { description: "Log position of the grant." })
  grantedPosition: string;

  @Field(() => String, { nullable: true, description: "When it was revoked; null while in force." })
  revokedAt: string | null;

  @Field(() => String, { nullable: true })
  revokedBy: string | null;
}

@ObjectType()
export class AccessPayload extends CommandOutcome {
  @Directive(listSize(50))
  @Field(() => [AccessGrant], { description: "The grantee's grants in force after the command." })
  grants: AccessGrant[];
}
