/** Subscriptions of the audit subgraph: the event feed and live statistics, resumable from a position. */
import { Arg, Authorized, Field, ID, InputType, Resolver, Root, Subscription } from "type-graphql";
import { START_POSITION } from "../../events/envelope";
import { eventIndex, partnershipScope } from "../../projections/read-models/event-index";
import { counters, statistics, type StatisticDimension as Dimension } from "../../projections/read-models/statistics";
import type { GraphQLContext } from "../common/graphql/context";
import { PositionScalar } from "../common/graphql/scalars";
import { eventViewOf, toLedgerEvent } from "./audit.resolver";
import { LedgerEvent, StatisticDimension, StatisticsUpdate } from "./audit.type";
import { liveFeed, projectionReady, startingWith, type FeedOptions } from "./feed";
import { ArrayMaxSize, IsOptional, MaxLength } from "class-validator";
import { MAX_FILTER_PREFIXES, MAX_PREFIX_LENGTH } from "../../events/port";

@InputType()
export class EventSubscriptionFilter {
  @Field(() => [String], { nullable: true, description: "Event type prefixes: `Mission`, `MoUSigned`." })
  @IsOptional()
  @ArrayMaxSize(MAX_FILTER_PREFIXES)
  @MaxLength(MAX_PREFIX_LENGTH, { each: true })
  types?: string[];

  @Field(() => ID, { nullable: true, description: "Events of this partnership and of its activities." })
  partnershipId?: string;

  @Field(() => ID, {
    nullable: true,
    description: "Events naming this institution, or of partnerships it is a party to.",
  })
  institutionId?: string;

  @Field(() => String, {
    nullable: true,
    description: "Events in this country (ISO 3166-1 alpha-2): of partnerships there, missions to it, visits from it.",
  })
  country?: string;
}

interface FeedArgs {
  after?: string | null;
  filter?: EventSubscriptionFilter | null;
}

function options(
  context: GraphQLContext,
  after: string | null | undefined,
  filter: EventSubscriptionFilter | null | undefined,
): FeedOptions {
  const { store, runner, readModels, consistencyTimeoutMs } = context.runtime;
  const tables = runner.tables(eventIndex);
  return {
    store,
    after: after ?? START_POSITION,
    ...(filter?.types ? { typePrefixes: filter.types } : {}),
    scope: {
      ...(filter?.partnershipId ? { partnershipId: filter.partnershipId } : {}),
      ...(filter?.institutionId ? { institutionId: filter.institutionId } : {}),
      ...(filter?.country ? { country: filter.country } : {}),
    },
    lookup: (id) => partnershipScope(readModels, tables, id),
    lookupReady: projectionReady(runner, eventIndex.name, consistencyTimeoutMs),
    ...(context.outbox ? { outbox: context.outbox } : {}),
    onOpen: () => context.runtime.metrics.subscriptions.inc(),
    onEnd: () => context.runtime.metrics.subscriptions.dec(),
  };
}

@Resolver()
export class FeedResolver {
  @Authorized("analyst", "auditor")
  @Subscription(() => LedgerEvent, {
    description:
      "Every event after `after` (default: from the start), then live, in log order, filtered. Resume by passing the last position you saw.",
    subscribe: ({ args, context }) => {
      const { after, filter } = args as FeedArgs;
      const view = eventViewOf(context as GraphQLContext);
      return liveFeed(options(context as GraphQLContext, after, filter), (event) => toLedgerEvent(event, view));
    },
  })
  eventFeed(
    @Root() event: LedgerEvent,
    @Arg("after", () => PositionScalar, { nullable: true }) _after?: string,
    @Arg("filter", () => EventSubscriptionFilter, { nullable: true }) _filter?: EventSubscriptionFilter,
  ): LedgerEvent {
    return event;
  }

  @Authorized("analyst")
  @Subscription(() => StatisticsUpdate, {
    subscribe: async ({ args, context }) => {
      const ctx = context as GraphQLContext;
      const { dimension, after } = args as { dimension: Dimension; after?: string | null };
      const { runner, readModels, consistencyTimeoutMs, store } = ctx.runtime;
      const tables = runner.tables(statistics);
      let previous = "";
      // The counters once the statistics projection has applied the event at `position`, labelled with how far
      // it had got when read (it may be ahead); unchanged ones are skipped.
      const snapshot = async (position: string) => {
        await runner.waitForPosition(statistics.name, position, consistencyTimeoutMs);
        const current = counters(readModels, tables, dimension);
        const asOf = runner.checkpoint(statistics.name);
        const text = JSON.stringify(current);
        if (text === previous) return undefined;
        previous = text;
        return { position: asOf, counters: current };
      };
      const from = after ?? (await store.headPosition());
      const first = (await snapshot(from))!;
      return startingWith(
        first,
        liveFeed(options(ctx, from, null), (event) => snapshot(event.position)),
      );
    },
    description:
      "The statistics of one dimension as of `after` (default: now), then again each time an event changes them.",
  })
  statisticsUpdated(
    @Root() update: StatisticsUpdate,
    @Arg("dimension", () => StatisticDimension) _dimension: string,
    @Arg("after", () => PositionScalar, { nullable: true }) _after?: string,
  ): StatisticsUpdate {
    return update;
  }
}
