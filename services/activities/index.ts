/** The activities subgraph: missions, delegations, trainings and funding, and what they add to Partnership. */
import { SERVICE_PROJECTIONS } from "../../projections/registry";
import { stubReferences } from "../common/graphql/context";
import { buildSubgraph } from "../common/graphql/subgraph";
import type { ServiceDefinition } from "../common/service";
import { ActivityCommandsResolver } from "./activity.commands";
import { ActivityResolver, PartnershipActivitiesResolver } from "./activity.resolver";
import { Delegation, Mission, Partnership, Training } from "./activity.type";

export const activitiesService: ServiceDefinition = {
  name: "activities",
  projections: SERVICE_PROJECTIONS.activities,
  buildSubgraph: () =>
    buildSubgraph({
      resolvers: [ActivityResolver, PartnershipActivitiesResolver, ActivityCommandsResolver],
      orphanedTypes: [Partnership, Mission, Delegation, Training],
      referenceResolvers: stubReferences("Partnership"),
    }),
};
