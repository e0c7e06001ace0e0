/** GraphQL types of the audit subgraph: the log's events as auditors and analysts read them. */
import { GraphQLJSONObject } from "graphql-scalars";
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
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

  @Field()
  actor: string;

  @Field()
  commandId: string;

  @Field()
  correlationId: string;

  @Field(() => String, { nullable: true })
  causationId: string | null;

  @Field(() => GraphQLJSONObject)
  data: Record<string, unknown>;

  @Field(() => EventSource, { nullable: true, description: "The source quote, where the data has one." })
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
