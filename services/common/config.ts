/**
 * Configuration from the environment, validated once at start: each bad value gets its own clear message.
 */
import { join, resolve } from "node:path";
import type { Durability } from "../../events/adapters/sqlite/sqlite-event-store";

export interface StorageConfig {
  /** Where the embedded store and the read models live. Default `./data`. */
  readonly dataDir: string;
  /** When set, EventStoreDB is the event store. */
  readonly eventStoreConnectionString: string | undefined;
  readonly sqlitePath: string;
  readonly durability: Durability;
}

export class ConfigError extends Error {
  readonly code = "CONFIG_INVALID";
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

export function storageConfig(env: NodeJS.ProcessEnv = process.env): StorageConfig {
  const problems: string[] = [];
  const dataDir = resolve(env.PASSERELLE_DATA_DIR ?? "data");
  const durability = (env.PASSERELLE_SQLITE_DURABILITY ?? "full") as Durability;
  if (!["full", "normal", "off"].includes(durability)) {
    problems.push(`PASSERELLE_SQLITE_DURABILITY must be full, normal or off (got ${JSON.stringify(durability)})`);
  }
  const connection = env.EVENTSTORE_CONNECTION_STRING || undefined;
  if (connection !== undefined && !/^(esdb|esdb\+discover|kurrentdb|kurrent):\/\//.test(connection)) {
    problems.push(
      `EVENTSTORE_CONNECTION_STRING must start with esdb:// or esdb+discover:// (got ${JSON.stringify(connection)})`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { dataDir, eventStoreConnectionString: connection, sqlitePath: join(dataDir, "events.db"), durability };
}

/** A service's read-model file: disposable, rebuilt from the log when missing. */
export function readModelPath(config: StorageConfig, service: string): string {
  return join(config.dataDir, "read-models", `${service}.db`);
}
