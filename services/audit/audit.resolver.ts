/** Queries of the audit subgraph: a partnership's history, the global event feed, statistics. */
import {
  Arg,
  Authorized,
  Ctx,
  Directive,
  FieldResolver,
  InputType,
  Field,
  Int,
  Query,
  Resolver,
  Root,
} from "type-graphql";
import type { RecordedEvent } from "../../events/envelope";
import { POSITION_PATTERN, START_POSITION } from "../../events/envelope";
import type { EventStore } from "../../events/port";
import { InvalidInput } from "../../domain/decider";
import { upcast } from "../../events/upcasters";
import { eventIndex, streamsOf, timeline } from "../../projections/read-models/event-index";
import { treeWitnessOf, verifyIntegrity, witnessOf } from "./integrity";
import { ledgerTree } from "../../projections/read-models/ledger-tree";
import { partnershipAsOf } from "./time-travel";
import { counters, statistics, type StatisticDimension as Dimension } from "../../projections/read-models/statistics";
import { readModels, type GraphQLContext } from "../common/graphql/context";
import { listSize } from "../common/graphql/limits";
import { CONNECTION_SIZE, decodeCursor, pageSize, toConnection } from "../common/graphql/relay";
import {
  Counter,
  IntegrityReport,
  LedgerEvent,
  LedgerEventConnection,
  Partnership,
  PartnershipAsOf,
  StatisticDimension,
} from "./audit.type";
import { BusinessDateScalar } from "../common/graphql/scalars";
import { ID } from "type-graphql";
import { ArrayMaxSize, IsOptional, MaxLength } from "class-validator";
import { MAX_FILTER_PREFIXES, MAX_PREFIX_LENGTH } from "../../events/port";

@InputType()
export class EventFeedFilter {
  @Field(() => [String], { nullable: true, description: "Event type prefixes: `Mission`, `MoUSigned`." })
  @IsOptional()
  @ArrayMaxSize(MAX_FILTER_PREFIXES)
  @MaxLength(MAX_PREFIX_LENGTH, { each: true })
  types?: string[];

  @Field(() => [String], { nullable: true, description: "Stream id prefixes: `partnership-`, `mission-tours`." })
  @IsOptional()
  @ArrayMaxSize(MAX_FILTER_PREFIXES)
  @MaxLength(MAX_PREFIX_LENGTH, { each: true })
  streams?: string[];
}

/**
 * What a caller may see of an event. Auditors (and admins) see all of it; an analyst sees what happened and
 * when — type, stream, positions, dates, hash — but not who recorded it, the correlation ids, the data or the
 * source quote, which may hold people's names.
 */
export type EventView = "full" | "without-content";

export function eventViewOf(context: GraphQLContext): EventView {
  const roles = context.identity?.roles ?? [];
  return roles.includes("auditor") || roles.includes("admin") ? "full" : "without-content";
}

export function toLedgerEvent(stored: RecordedEvent, view: EventView = "full"): LedgerEvent {
  const event = upcast(stored);
  const data = (event.data ?? {}) as Record<string, unknown>;
  const source = data.source as { document: string; quote: string; dateBasis?: string } | null | undefined;
  return {
    position: event.position,
    id: event.id,
    type: event.type,
    version: event.version,
    storedVersion: stored.version,
    streamId: event.streamId,
    revision: event.revision,
    recordedAt: event.recordedAt,
    businessDate: event.metadata.businessDate,
    ...(view === "full"
      ? {
          actor: event.metadata.actor,
          commandId: event.metadata.commandId,
          correlationId: event.metadata.correlationId,
          causationId: event.metadata.causationId,
          data,
        }
      : { actor: null, commandId: null, correlationId: null, causationId: null, data: null }),
    source:
      view === "full" && source
        ? { document: source.document, quote: source.quote, dateBasis: source.dateBasis ?? null }
        : null,
    hash: event.metadata.hash,
  };
}

async function readEvent(store: EventStore, streamId: string, revision: number): Promise<RecordedEvent | undefined> {
  for await (const event of store.readStream(streamId, { fromRevision: revision, maxCount: 1 })) return event;
  return undefined;
}

@Resolver(() => Partnership)
export class PartnershipHistoryResolver {
  @Authorized("auditor")
  @Directive("@cost(weight: 20)")
  @FieldResolver(() => PartnershipAsOf, {
    description:
      "The partnership as of a business date (what had happened by then) and/or a recorded time (what the ledger said then), replayed from its stream.",
  })
  async asOf(
    @Root() partnership: Partnership,
    @Ctx() context: GraphQLContext,
    @Arg("businessDate", () => BusinessDateScalar, { nullable: true }) businessDate?: string,
    @Arg("recordedAt", () => String, { nullable: true, description: "ISO-8601 instant." }) recordedAt?: string,
  ): Promise<PartnershipAsOf> {
    const events: RecordedEvent[] = [];
    for await (const event of context.runtime.store.readStream(`partnership-${partnership.id}`))
      events.push(upcast(event));
    const { state, facts } = partnershipAsOf(events, {
      businessDate: businessDate ?? null,
      recordedAt: recordedAt ?? null,
    });
    const p = state.status === "none" ? null : state;
    return {
      businessDate: businessDate ?? null,
      recordedAt: recordedAt ? new Date(recordedAt).toISOString() : null,
      existed: p !== null,
      title: p?.title ?? null,
      status: p?.status ?? null,
      cooperationSince: p?.cooperationSince ?? null,
      signedOn: p?.agreement?.signedOn ?? null,
      expiresOn: p?.agreement?.expiresOn ?? null,
      agreementsSigned: p?.agreement?.signed ?? 0,
      amendments: p?.agreement?.amendments ?? 0,
      renewals: p?.agreement?.renewals ?? 0,
      textVersion: p?.text?.versionHash ?? null,
      suspendedSince: p?.suspension?.since ?? null,
      suspensionReason: p?.suspension?.reason ?? null,
      terminatedOn: p?.termination?.effectiveOn ?? null,
      lastReviewOn: p?.lastReview?.reviewedOn ?? null,
      nextReviewOn: p?.nextReviewOn ?? null,
      milestones: p?.milestones ?? 0,
      facts: facts.map((fact) => ({
        event: toLedgerEvent(fact.event),
        data: (fact.data ?? {}) as Record<string, unknown>,
        businessDate: fact.businessDate,
        reading: fact.reading,
        corrections: fact.corrections.map((correction) => toLedgerEvent(correction)),
      })),
    };
  }

  @Authorized("auditor")
  @Directive(CONNECTION_SIZE)
  @FieldResolver(() => LedgerEventConnection, {
    description: "Every event of the partnership and of its activities, in log order.",
  })
  async history(
    @Root() partnership: Partnership,
    @Ctx() context: GraphQLContext,
    @Arg("first", () => Int, { defaultValue: 50 }) first: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
  ) {
    const rm = await readModels(context);
    const page = timeline(
      rm,
      context.runtime.runner.tables(eventIndex),
      partnership.id,
      pageSize(first),
      decodeCursor("event", after),
    );
    const events = await Promise.all(
      page.entries.map((entry) => readEvent(context.runtime.store, entry.stream_id, entry.revision)),
    );
    const nodes = events.filter((e): e is RecordedEvent => e !== undefined).map((e) => toLedgerEvent(e));
    return toConnection("event", nodes, (e) => e.position, page.totalCount, page.hasNextPage, Boolean(after));
  }
}

@Resolver(() => LedgerEvent)
export class EventFeedResolver {
  @Authorized("analyst", "auditor")
  @Directive(CONNECTION_SIZE)
  @Query(() => LedgerEventConnection, {
    description: "The log itself, in order, after a position. totalCount is the page's size.",
  })
  async events(
    @Ctx() context: GraphQLContext,
    @Arg("first", () => Int, { defaultValue: 50 }) first: number,
    @Arg("after", () => String, { nullable: true, description: "A cursor from this connection." }) after?: string,
    @Arg("filter", () => EventFeedFilter, { nullable: true }) filter?: EventFeedFilter,
  ) {
    const size = pageSize(first);
    const from = decodeCursor("event", after) ?? START_POSITION;
    if (!POSITION_PATTERN.test(from)) throw new InvalidInput("after", "is not a cursor from this connection");
    const events: LedgerEvent[] = [];
    const read = context.runtime.store.readAll({
      after: from,
      maxCount: size + 1,
      filter: {
        ...(filter?.types ? { eventTypePrefixes: filter.types } : {}),
        ...(filter?.streams ? { streamPrefixes: filter.streams } : {}),
      },
    });
    const view = eventViewOf(context);
    for await (const event of read) events.push(toLedgerEvent(event, view));
    const page = events.slice(0, size);
    return toConnection("event", page, (e) => e.position, page.length, events.length > size, from !== START_POSITION);
  }

  @Authorized("auditor")
  @Directive("@cost(weight: 1000)")
  @Query(() => IntegrityReport, {
    description:
      "Recomputes the hash chains — of one partnership's streams, or of the whole log — and compares each event with the witness; over the whole log, also with its ledger-tree leaf, and every signed tree head's root with the log's.",
  })
  async verifyIntegrity(
    @Ctx() context: GraphQLContext,
    @Arg("partnershipId", () => ID, { nullable: true }) partnershipId?: string,
  ): Promise<IntegrityReport> {
    const rm = await readModels(context);
    const tables = context.runtime.runner.tables(eventIndex);
    const streams = partnershipId
      ? [...new Set([`partnership-${partnershipId}`, ...streamsOf(rm, tables, partnershipId)])]
      : undefined;
    // A partnership's check reads its streams only; the tree and its heads are about the whole log.
    const tree = streams
      ? undefined
      : treeWitnessOf(
          { sql: await readModels(context, ledgerTree), tables: context.runtime.runner.tables(ledgerTree) },
          context.runtime.treeHeads,
        );
    return verifyIntegrity(context.runtime.store, {
      witness: witnessOf(rm, tables),
      ...(streams ? { streams } : { tree }),
    });
  }

  @Authorized("analyst")
  @Directive(listSize(2000))
  @Query(() => [Counter], { description: "Counts by country, theme, status, year, activity kind, institution." })
  async statistics(
    @Ctx() context: GraphQLContext,
    @Arg("dimension", () => StatisticDimension, { nullable: true }) dimension?: Dimension,
    @Arg("metric", () => String, { nullable: true }) metric?: string,
  ): Promise<Counter[]> {
    const rm = await readModels(context);
    return counters(rm, context.runtime.runner.tables(statistics), dimension, metric);
  }
}
