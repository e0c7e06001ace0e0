/** GraphQL types of the audit subgraph: the log's events as auditors and analysts read them. */
import { GraphQLJSONObject } from "graphql-scalars";
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { PARTNERSHIP_STATUSES } from "../../events/catalogue";
import { enumOf } from "../common/graphql/enums";
import { listSize } from "../common/graphql/limits";
import { connectionOf } from "../common/graphql/relay";
import { BusinessDateScalar, PositionScalar } from "../common/graphql/scalars";

export const StatisticDimension = {
  COUNTRY: "country",
  THEME: "theme",
  STATUS: "status",
  YEAR: "year",
  ACTIVITY_KIND: "activity_kind",
  INSTITUTION: "institution",
} as const;
registerEnumType(StatisticDimension, { name: "StatisticDimension" });

@ObjectType()
@Directive('@key(fields: "id")')
export class Partnership {
  @Field(() => ID)
  id: string;
}

@ObjectType({ description: "Where a recorded fact comes from." })
export class EventSource {
  @Field()
  document: string;

  @Field({ description: "The verbatim quote." })
  quote: string;

  @Field(() => String, { nullable: true })
  dateBasis: string | null;
}

@ObjectType({ description: "One event of the log, as recorded, its data read at the current schema version." })
export class LedgerEvent {
  @Field(() => PositionScalar)
  position: string;

  @Field(() => ID)
  id: string;

  @Field()
  type: string;

  @Field(() => Int, { description: "Schema version of `data` as shown (the current one)." })
  version: number;

  @Field(() => Int, { description: "Schema version the event was stored with; older ones are upcast." })
  storedVersion: number;

  @Field()
  streamId: string;

  @Field(() => Int)
  revision: number;

  @Field({ description: "When the ledger recorded it (ISO-8601)." })
  recordedAt: string;

  @Field(() => BusinessDateScalar, { nullable: true, description: "When it happened in the world." })
  businessDate: string | null;

  @Field(() => String, { nullable: true, description: "Who recorded it; null for analysts." })
  actor: string | null;

  @Field(() => String, { nullable: true, description: "Null for analysts." })
  commandId: string | null;

  @Field(() => String, { nullable: true, description: "Null for analysts." })
  correlationId: string | null;

  @Field(() => String, { nullable: true })
  causationId: string | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: "What the event says; null for analysts." })
  data: Record<string, unknown> | null;

  @Field(() => EventSource, {
    nullable: true,
    description: "The source quote, where the data has one; null for analysts.",
  })
  source: EventSource | null;

  @Field({ description: "sha256 chain hash: hash(previous event's hash + this event)." })
  hash: string;
}

export const LedgerEventConnection = connectionOf(LedgerEvent, "LedgerEvent");

@ObjectType()
export class Counter {
  @Field(() => StatisticDimension)
  dimension: string;

  @Field()
  key: string;

  @Field()
  metric: string;

  @Field(() => Int)
  value: number;
}

export const FactReading = { APPLIED: "applied", UNDATED: "undated", UNCERTAIN: "uncertain", LATER: "later" } as const;
registerEnumType(FactReading, {
  name: "FactReading",
  description:
    "APPLIED: certainly happened by the date asked. UNDATED: has no date, applied. UNCERTAIN: its imprecise date straddles it, not applied. LATER: not applied.",
});

export const AuditedStatus = enumOf(PARTNERSHIP_STATUSES, { name: "PartnershipStatusAsOf" });

@ObjectType({ description: "A fact of the partnership's stream as the ledger read it at the time asked." })
export class HistoricalFact {
  @Field(() => LedgerEvent)
  event: LedgerEvent;

  @Field(() => GraphQLJSONObject, { description: "What the fact said then (corrections known by then applied)." })
  data: Record<string, unknown>;

  @Field(() => BusinessDateScalar, { nullable: true })
  businessDate: string | null;

  @Field(() => FactReading)
  reading: string;

  @Directive(listSize(10))
  @Field(() => [LedgerEvent], { description: "Corrections of this fact known by then." })
  corrections: LedgerEvent[];
}

@ObjectType({ description: "A partnership as of a business date and/or a recorded time, replayed from its stream." })
export class PartnershipAsOf {
  @Field(() => BusinessDateScalar, { nullable: true })
  businessDate: string | null;

  @Field(() => String, { nullable: true, description: "The recorded time asked, normalized (ISO-8601)." })
  recordedAt: string | null;

  @Field(() => Boolean, {
    description: "False when nothing of the partnership was recorded, or had happened, by then.",
  })
  existed: boolean;

  @Field(() => String, { nullable: true })
  title: string | null;

  @Field(() => AuditedStatus, { nullable: true })
  status: string | null;

  @Field(() => BusinessDateScalar, { nullable: true })
  cooperationSince: string | null;

  @Field(() => BusinessDateScalar, { nullable: true })
  signedOn: string | null;

  @Field(() => BusinessDateScalar, { nullable: true })
  expiresOn: string | null;

  @Field(() => Int)
  agreementsSigned: number;

  @Field(() => Int)
  amendments: number;

  @Field(() => Int)
  renewals: number;

  @Field(() => String, { nullable: true, description: "sha256 of the agreement text in force." })
  textVersion: string | null;

  @Field(() => BusinessDateScalar, { nullable: true })
  suspendedSince: string | null;

  @Field(() => String, { nullable: true })
  suspensionReason: string | null;

  @Field(() => BusinessDateScalar, { nullable: true })
  terminatedOn: string | null;

  @Field(() => BusinessDateScalar, { nullable: true })
  lastReviewOn: string | null;

  @Field(() => BusinessDateScalar, { nullable: true })
  nextReviewOn: string | null;

  @Field(() => Int)
  milestones: number;

  @Directive(listSize(200))
  @Field(() => [HistoricalFact])
  facts: HistoricalFact[];
}

@ObjectType()
export class IntegrityBreak {
  @Field({
    description:
      "hash, revision, order, missing, unexpected, witness, tree (an event differs from its leaf in the ledger tree) or head (the log no longer hashes to a signed tree head's root).",
  })
  kind: string;

  @Field(() => PositionScalar)
  position: string;

  @Field({ description: "Empty when no event of the log is at fault (a deleted one)." })
  streamId: string;

  @Field(() => Int, { description: "-1 when no event of the log is at fault." })
  revision: number;

  @Field(() => String, { nullable: true })
  type: string | null;

  @Field()
  detail: string;
}

@ObjectType({ description: "Hash chains recomputed and events compared with the witness; the first break named." })
export class IntegrityReport {
  @Field()
  ok: boolean;

  @Field(() => Int)
  eventsChecked: number;

  @Field(() => Int)
  streamsChecked: number;

  @Field(() => Int, { description: "Events also compared with the witness (the audit service's index)." })
  eventsWitnessed: number;

  @Field(() => Int, { description: "Events compared with their leaf in the ledger tree (whole-log checks)." })
  leavesChecked: number;

  @Field(() => Int, {
    description: "Signed tree heads whose root was recomputed from the log itself (whole-log checks).",
  })
  headsChecked: number;

  @Field(() => IntegrityBreak, { nullable: true })
  firstBreak: IntegrityBreak | null;
}

@ObjectType({ description: "Statistics of one dimension as of `position`: every event up to it counted, none after." })
export class StatisticsUpdate {
  @Field(() => PositionScalar)
  position: string;

  @Directive(listSize(1000))
  @Field(() => [Counter])
  counters: Counter[];
}
