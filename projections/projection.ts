/**
 * A projection: a named, versioned set of handlers from event types to read-model changes. Everything it
 * stores is derived from events (never from the clock), so a rebuild gives the same rows.
 */
import type { EventOf, EventType } from "../events/catalogue";
import type { RecordedEvent } from "../events/envelope";

/** The SQL a handler or query needs, with prepared statements cached by text. */
export interface Sql {
  run(sql: string, ...params: unknown[]): { changes: number };
  get<Row>(sql: string, ...params: unknown[]): Row | undefined;
  all<Row>(sql: string, ...params: unknown[]): Row[];
}

/** Table names of one projection version: `t.partnerships` is `partnership_summary_v2_partnerships`. */
export type Tables<Name extends string> = Readonly<Record<Name, string>>;

export type Handler<T extends EventType, TableName extends string> = (
  event: RecordedEvent & EventOf<T>,
  sql: Sql,
  tables: Tables<TableName>,
) => void;

export type Handlers<TableName extends string> = { readonly [T in EventType]?: Handler<T, TableName> };

/**
 * What a read model keeps in memory between `begin` and `end` may live in one module-level map: a batch applies
 * synchronously, in one transaction, so two batches (of any track or file) never interleave.
 */
export interface BatchedWrites<TableName extends string> {
  begin(): void;
  end(sql: Sql, tables: Tables<TableName>): void;
}

export interface ProjectionDefinition<TableName extends string = string> {
  /** snake_case; with the version it names the projection's tables. */
  readonly name: string;
  /** Bump it when the handlers or tables change: the new version is rebuilt from zero. */
  readonly version: number;
  /**
   * The read-model file it lives in, when not its service's own (`read-models/<file>.db`): for a read model as
   * long as the log, or one whose rebuild must not touch the others.
   */
  readonly file?: string;
  readonly tables: readonly TableName[];
  /** Creates the version's tables (names from `t`), and the indexes its handlers look rows up by. */
  setup(sql: Sql, tables: Tables<TableName>): void;
  /**
   * The indexes only queries use, as `CREATE INDEX IF NOT EXISTS` statements: made once the projection has
   * caught up, so that a rebuild fills its tables without updating them at every row, and kept up from then on.
   */
  readonly queryIndexes?: (tables: Tables<TableName>) => readonly string[];
  readonly handlers: Handlers<TableName>;
  /** Called for every stored event as it is (before upcasting, whatever its type), before `handlers`. */
  readonly everyEvent?: (event: RecordedEvent, sql: Sql, tables: Tables<TableName>) => void;
  /**
   * Called once per batch with its stored events, in the batch's transaction, before the per-event handlers:
   * for a read model that can read its state once and write each row once per batch.
   */
  readonly everyBatch?: (events: readonly RecordedEvent[], sql: Sql, tables: Tables<TableName>) => void;
  /**
   * Writes a read model keeps in memory for a batch and makes once at its end: `begin` before the batch's first
   * event (a batch that failed is retried event by event, each retry begun afresh), `end` after its last, in the
   * batch's transaction. For sums, which many events move and no handler reads back.
   */
  readonly batched?: BatchedWrites<TableName>;
  /**
   * The version this one replaces, kept in code for one release: it keeps being updated and serving queries
   * while this version rebuilds, and is dropped once this one has caught up.
   */
  readonly previous?: ProjectionDefinition<TableName>;
}

export function defineProjection<TableName extends string>(
  definition: ProjectionDefinition<TableName>,
): ProjectionDefinition<TableName> {
  if (!/^[a-z][a-z0-9_]*$/.test(definition.name))
    throw new Error(`projection name must be snake_case: ${definition.name}`);
  return definition;
}

export function tablesOf<TableName extends string>(
  name: string,
  version: number,
  tables: readonly TableName[],
): Tables<TableName> {
  return Object.fromEntries(tables.map((table) => [table, `${name}_v${version}_${table}`])) as Tables<TableName>;
}
