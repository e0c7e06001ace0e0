import type { EventStore } from "./port";
import { openEventStoreDb } from "./adapters/eventstoredb/eventstoredb-event-store";
import { openSqliteEventStore, type Durability } from "./adapters/sqlite/sqlite-event-store";

export interface EventStoreConfig {
  /** When set, EventStoreDB is used and the SQLite settings are ignored. */
  readonly eventStoreConnectionString?: string | undefined;
  /** Path of the embedded store's file. */
  readonly sqlitePath: string;
  readonly durability?: Durability;
  /** Cap on the embedded store's file (see SqliteEventStoreOptions.maxBytes). */
  readonly sqliteMaxBytes?: number | undefined;
}

/** The one place that picks the backend: EventStoreDB when a connection string is given, else embedded SQLite. */
export function openEventStore(config: EventStoreConfig): EventStore {
  if (config.eventStoreConnectionString) {
    return openEventStoreDb({ connectionString: config.eventStoreConnectionString });
  }
  return openSqliteEventStore({
    path: config.sqlitePath,
    ...(config.durability ? { durability: config.durability } : {}),
    ...(config.sqliteMaxBytes === undefined ? {} : { maxBytes: config.sqliteMaxBytes }),
  });
}
