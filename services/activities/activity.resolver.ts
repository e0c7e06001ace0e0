/** Queries of the activities subgraph, and the fields it adds to Partnership. */
import { Arg, Authorized, Ctx, Directive, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import { InvalidInput } from "../../domain/decider";
import { calendar, type CalendarFilter } from "../../projections/read-models/activity-calendar";
import { fundingTotals, grantsOf, type FundingDimension as Dimension } from "../../projections/read-models/funding";
import type { GraphQLContext } from "../common/graphql/context";
import { listSize } from "../common/graphql/limits";
import { CONNECTION_SIZE, decodeCursor, pageSize, toConnection } from "../common/graphql/relay";
import { ActivityFilter } from "./activity.input";
import {
  Activity,
  ActivityConnection,
  FundingDimension,
  FundingTotal,
  Grant,
  Mission,
  Partnership,
} from "./activity.type";
import { findActivity, findGrant, toActivity, toGrant, views } from "./read";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

async function activityPage(
  context: GraphQLContext,
  filter: CalendarFilter,
  first: number,
  after: string | null | undefined,
) {
  if (filter.from && !DAY.test(filter.from)) throw new InvalidInput("filter.from", "must be a day, YYYY-MM-DD");
  if (filter.to && !DAY.test(filter.to)) throw new InvalidInput("filter.to", "must be a day, YYYY-MM-DD");
  const offsetText = decodeCursor("activity", after);
  const offset = offsetText === undefined ? 0 : Number(offsetText);
  if (!Number.isSafeInteger(offset) || offset < 0)
    throw new InvalidInput("after", "is not a cursor from this connection");
  const { rm, calendar: tables } = await views(context);
  const size = pageSize(first);
  const page = calendar(rm, tables, filter, size, offset);
  const activities = page.items.map(toActivity);
  // Calendar order is by date, not by a unique key: the cursor is the position in that order.
  const connection = toConnection(
    "activity",
    activities.map((node, index) => ({ node, index: offset + index + 1 })),
    (item) => String(item.index),
    page.totalCount,
    offset + size < page.totalCount,
    offset > 0,
  );
  return { ...connection, edges: connection.edges.map((edge) => ({ cursor: edge.cursor, node: edge.node.node })) };
}

@Resolver(() => Partnership)
export class PartnershipActivitiesResolver {
  @Directive(CONNECTION_SIZE)
  @FieldResolver(() => ActivityConnection, {
    description: "The partnership's missions, delegations and trainings, by date.",
  })
  activities(
    @Root() partnership: Partnership,
    @Ctx() context: GraphQLContext,
    @Arg("first", () => Int, { defaultValue: 20 }) first: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
    @Arg("filter", () => ActivityFilter, { nullable: true }) filter?: ActivityFilter,
  ) {
    return activityPage(context, { ...filter, partnershipId: partnership.id }, first, after);
  }

  @Directive(listSize(50))
  @FieldResolver(() => [Grant], { description: "Funding granted to the partnership." })
  async grants(@Root() partnership: Partnership, @Ctx() context: GraphQLContext): Promise<Grant[]> {
    const { rm, funding } = await views(context);
    return grantsOf(rm, funding, partnership.id).map(toGrant);
  }

  @Directive(listSize(10))
  @FieldResolver(() => [FundingTotal], { description: "Exact totals per currency." })
  async fundingTotals(@Root() partnership: Partnership, @Ctx() context: GraphQLContext): Promise<FundingTotal[]> {
    const { rm, funding } = await views(context);
    return fundingTotals(rm, funding, "partnership", { partnershipId: partnership.id });
  }
}

@Resolver(() => Activity)
export class ActivityResolver {
  @Authorized()
  @Directive(CONNECTION_SIZE)
  @Query(() => ActivityConnection, {
    description: "The activity calendar: by date (the precise before the vague), filtered.",
  })
  activities(
    @Ctx() context: GraphQLContext,
    @Arg("first", () => Int, { defaultValue: 20 }) first: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
    @Arg("filter", () => ActivityFilter, { nullable: true }) filter?: ActivityFilter,
  ) {
    return activityPage(context, { ...filter }, first, after);
  }

  @Authorized()
  @Query(() => Mission, { nullable: true })
  mission(@Arg("id", () => ID) id: string, @Ctx() context: GraphQLContext) {
    return findActivity(context, "mission", id);
  }

  @Authorized()
  @Query(() => Activity, { nullable: true, description: "A delegation's visit." })
  delegation(@Arg("id", () => ID) id: string, @Ctx() context: GraphQLContext) {
    return findActivity(context, "delegation", id);
  }

  @Authorized()
  @Query(() => Activity, { nullable: true })
  training(@Arg("id", () => ID) id: string, @Ctx() context: GraphQLContext) {
    return findActivity(context, "training", id);
  }

  @Authorized()
  @Query(() => Grant, { nullable: true })
  grant(@Arg("id", () => ID) id: string, @Ctx() context: GraphQLContext) {
    return findGrant(context, id);
  }

  @Authorized()
  @Directive(listSize(500))
  @Query(() => [FundingTotal], { description: "Funding totals by funder, partnership or year, per currency." })
  async fundingTotals(
    @Ctx() context: GraphQLContext,
    @Arg("by", () => FundingDimension) by: Dimension,
    @Arg("partnershipId", () => ID, { nullable: true }) partnershipId?: string,
    @Arg("year", () => Int, { nullable: true }) year?: number,
  ): Promise<FundingTotal[]> {
    const { rm, funding } = await views(context);
    return fundingTotals(rm, funding, by, {
      ...(partnershipId ? { partnershipId } : {}),
      ...(year === undefined || year === null ? {} : { year }),
    });
  }
}
