/** Who may write what, now or at any past instant: for auditors (the grants name people). */
import { Arg, Authorized, Ctx, Directive, Query, Resolver } from "type-graphql";
import { InvalidInput } from "../../domain/decider";
import type { GraphQLContext } from "../common/graphql/context";
import { listSize } from "../common/graphql/limits";
import { findGrants } from "./access.read";
import { AccessGrant } from "./access.type";

@Resolver(() => AccessGrant)
export class AccessResolver {
  @Authorized("auditor")
  @Directive(listSize(1000))
  @Query(() => [AccessGrant], {
    description: "Access grants in force now, or at `asOf` (an ISO-8601 instant), of one grantee or everyone.",
  })
  accessGrants(
    @Ctx() context: GraphQLContext,
    @Arg("grantee", () => String, { nullable: true }) grantee?: string,
    @Arg("asOf", () => String, { nullable: true }) asOf?: string,
  ): Promise<AccessGrant[]> {
    let instant: string | undefined;
    if (asOf !== undefined && asOf !== null) {
      const parsed = new Date(asOf);
      // With its zone (no server-local reading) and a four-digit year (ISO strings then sort as instants).
      const zoned = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(asOf);
      if (!zoned || Number.isNaN(parsed.getTime()) || parsed.getUTCFullYear() > 9999)
        throw new InvalidInput("asOf", "must be an ISO-8601 instant, such as 2026-06-30T00:00:00Z");
      instant = parsed.toISOString();
    }
    return findGrants(context, {
      ...(grantee === undefined || grantee === null ? {} : { grantee }),
      ...(instant === undefined ? {} : { asOf: instant }),
    });
  }
}
