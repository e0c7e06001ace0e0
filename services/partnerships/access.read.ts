/** Grant rows as GraphQL objects. */
import { accessGrants, grantsInForce, type GrantQuery } from "../../projections/read-models/access-grants";
import { readModels, type GraphQLContext } from "../common/graphql/context";
import type { AccessGrant } from "./access.type";

export async function findGrants(context: GraphQLContext, query: GrantQuery): Promise<AccessGrant[]> {
  const rm = await readModels(context);
  return grantsInForce(rm, context.runtime.runner.tables(accessGrants), query).map((row) => ({
    grantee: row.grantee,
    institutionId: row.institution_id,
    network: row.institution_id === null,
    grantedAt: row.granted_at,
    grantedBy: row.granted_by,
    grantedPosition: row.granted_position,
    revokedAt: row.revoked_at,
    revokedBy: row.revoked_by,
  }));
}
