import { Field, Int, ObjectType } from "type-graphql";
import { PositionScalar } from "./scalars";

/** Fields every command result has. */
@ObjectType({ description: "Fields every command result has (not queried on its own)." })
export abstract class CommandOutcome {
  @Field(() => Int, { description: "The stream's revision after the command: send it as expectedRevision next time." })
  revision: number;

  @Field(() => PositionScalar, {
    description: "Log position of the command's last event, for Passerelle-Consistent-With.",
  })
  position: string;

  @Field({ description: "True when this command id had already been handled: the original result, nothing appended." })
  replayed: boolean;
}
