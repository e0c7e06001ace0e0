/**
 * One helper turns a type-graphql schema into an Apollo Federation 2 subgraph: build the schema, print it with
 * its federation directives under the @link header, and build the subgraph schema from that SDL with the
 * resolvers (plus reference resolvers) merged in.
 */
import "reflect-metadata";
import { buildSubgraphSchema, printSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper";
import { printSchemaWithDirectives } from "@graphql-tools/utils";
import { parse, type GraphQLSchema } from "graphql";
import { buildSchema, createResolversMap, type AuthChecker, type NonEmptyArray, type PubSub } from "type-graphql";
import type { Role } from "../auth";
import type { GraphQLContext } from "./context";
import { forbidden, unauthenticated } from "./errors";
import { DEFAULT_LIMITS, refuseCostlyOperations } from "./limits";
import { BusinessDateScalar, PositionScalar } from "./scalars";

/** Federation 2.9: the first with demand control's `@cost` and `@listSize`, which composition keeps for the gateway. */
export const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@shareable", "@cost", "@listSize"])';

/**
 * A subgraph refuses an operation estimated above twice the gateway's bound, entity fetches counted per entity:
 * the parts of what the gateway lets through fit (its planner splits an operation and adds no lists) unless
 * real lists outgrow their assumed sizes twice over; a direct caller gets no more than that.
 */
export const SUBGRAPH_MAX_COST = DEFAULT_LIMITS.maxCost * 2;

/** Everyone must be signed in; a field's roles say who else may use it (admin may use everything). */
export const authChecker: AuthChecker<GraphQLContext, Role> = ({ context }, roles) => {
  if (context.identityError) throw unauthenticated(context.identityError);
  if (!context.identity) throw unauthenticated();
  if (roles.length === 0 || context.identity.roles.includes("admin")) return true;
  if (roles.some((role) => context.identity!.roles.includes(role))) return true;
  throw forbidden(
    `This needs one of the roles ${roles.join(", ")}; you have ${context.identity.roles.join(", ") || "none"}.`,
  );
};

/**
 * type-graphql insists on a PubSub once a schema has subscriptions, even when each subscription brings its own
 * `subscribe` (ours read the event log, the one source of live events). Topic-based publishing is never used.
 */
const NO_TOPICS: PubSub = {
  publish: () => {
    throw new Error("topic-based subscriptions are not used: subscribe to the event log");
  },
  subscribe: () => {
    throw new Error("topic-based subscriptions are not used: subscribe to the event log");
  },
};

export interface SubgraphOptions {
  // type-graphql takes resolver classes as constructors.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly resolvers: NonEmptyArray<Function>;
  /** Entity classes only extended here through field resolvers: listed, or type-graphql drops them. */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly orphanedTypes?: Function[];
  readonly referenceResolvers?: GraphQLResolverMap<GraphQLContext>;
}

export interface Subgraph {
  readonly schema: GraphQLSchema;
  /** The subgraph's SDL as composition reads it: its contract, checked in under schema/. */
  readonly sdl: string;
}

export async function buildSubgraph(options: SubgraphOptions): Promise<Subgraph> {
  const typeGraphQLSchema = await buildSchema({
    resolvers: options.resolvers,
    orphanedTypes: options.orphanedTypes ?? [],
    authChecker,
    validate: { forbidUnknownValues: false },
    scalarsMap: [],
    pubSub: NO_TOPICS,
    skipCheck: true,
  });
  const typeDefs = parse(`${FEDERATION_LINK}\n\n${printSchemaWithDirectives(typeGraphQLSchema)}`);
  const resolvers = createResolversMap(typeGraphQLSchema) as GraphQLResolverMap<GraphQLContext>;
  for (const [typeName, extra] of Object.entries(options.referenceResolvers ?? {})) {
    resolvers[typeName] = { ...(resolvers[typeName] as object), ...(extra as object) } as never;
  }
  const schema = buildSubgraphSchema({ typeDefs, resolvers: resolvers as GraphQLResolverMap<unknown> });
  refuseCostlyOperations(schema, { maxCost: SUBGRAPH_MAX_COST, listSize: DEFAULT_LIMITS.listSize });
  return { schema, sdl: printSubgraphSchema(schema) };
}

export { BusinessDateScalar, PositionScalar };
