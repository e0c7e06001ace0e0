/** The partnerships subgraph: institutions and partnerships, their queries and commands. */
import { SERVICE_PROJECTIONS } from "../../projections/registry";
import { buildSubgraph } from "../common/graphql/subgraph";
import type { ServiceDefinition } from "../common/service";
import { AccessCommandsResolver } from "./access.commands";
import { AccessResolver } from "./access.resolver";
import { PartnershipCommandsResolver } from "./partnership.commands";
import { referenceResolvers } from "./partnership.reference";
import { InstitutionResolver, PartnershipResolver } from "./partnership.resolver";
import { PersonResolver } from "./person.resolver";

export const partnershipsService: ServiceDefinition = {
  name: "partnerships",
  projections: SERVICE_PROJECTIONS.partnerships,
  buildSubgraph: () =>
    buildSubgraph({
      resolvers: [
        PartnershipResolver,
        InstitutionResolver,
        PartnershipCommandsResolver,
        AccessResolver,
        AccessCommandsResolver,
        PersonResolver,
      ],
      referenceResolvers,
    }),
};
