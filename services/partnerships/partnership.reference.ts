/** How the gateway fetches Partnership and Institution entities from this subgraph for other subgraphs' fields. */
import { requireIdentity, type GraphQLContext } from "../common/graphql/context";
import { findInstitution, findPartnership } from "./read";

export const referenceResolvers = {
  Partnership: {
    __resolveReference(reference: { id: string }, context: GraphQLContext) {
      requireIdentity(context);
      return findPartnership(context, reference.id);
    },
  },
  Institution: {
    __resolveReference(reference: { id: string }, context: GraphQLContext) {
      requireIdentity(context);
      return findInstitution(context, reference.id);
    },
  },
};
