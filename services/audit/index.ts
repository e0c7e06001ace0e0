/** The audit subgraph: what the log says — histories, the event feed — and statistics for analysts. */
import { SERVICE_PROJECTIONS } from "../../projections/registry";
import { stubReferences } from "../common/graphql/context";
import { buildSubgraph } from "../common/graphql/subgraph";
import type { ServiceDefinition } from "../common/service";
import { EventFeedResolver, PartnershipHistoryResolver } from "./audit.resolver";
import { Partnership } from "./audit.type";
import { FeedResolver } from "./feed.resolver";
import { LedgerEventProofResolver, TransparencyResolver } from "./transparency.resolver";
import { PersonalDataResolver } from "./personal-data.resolver";

export const auditService: ServiceDefinition = {
  name: "audit",
  projections: SERVICE_PROJECTIONS.audit,
  buildSubgraph: () =>
    buildSubgraph({
      resolvers: [
        EventFeedResolver,
        PartnershipHistoryResolver,
        FeedResolver,
        TransparencyResolver,
        LedgerEventProofResolver,
        PersonalDataResolver,
      ],
      orphanedTypes: [Partnership],
      referenceResolvers: stubReferences("Partnership"),
    }),
};
