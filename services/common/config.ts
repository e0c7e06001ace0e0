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
  /** Cap on the embedded store's file; appends beyond it get STORE_FULL. Unset: the disk is the limit. */
  readonly sqliteMaxBytes: number | undefined;
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
  const maxBytesText = env.PASSERELLE_SQLITE_MAX_BYTES || undefined;
  const sqliteMaxBytes = maxBytesText === undefined ? undefined : Number(maxBytesText);
  if (sqliteMaxBytes !== undefined && (!Number.isSafeInteger(sqliteMaxBytes) || sqliteMaxBytes < 65536)) {
    problems.push(
      `PASSERELLE_SQLITE_MAX_BYTES must be a whole number of bytes, at least 65536 (got ${JSON.stringify(maxBytesText)})`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    dataDir,
    eventStoreConnectionString: connection,
    sqlitePath: join(dataDir, "events.db"),
    durability,
    sqliteMaxBytes,
  };
}

/** A service's read-model file: disposable, rebuilt from the log when missing. */
export function readModelPath(config: StorageConfig, service: string): string {
  return join(config.dataDir, "read-models", `${service}.db`);
}

/** Reads and checks everything a process needs, collecting every problem before failing. */
export class EnvReader {
  readonly problems: string[] = [];
  constructor(private readonly env: NodeJS.ProcessEnv) {}

  port(name: string, fallback: number): number {
    const text = this.env[name];
    if (text === undefined || text === "") return fallback;
    const port = Number(text);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      this.problems.push(`${name} must be a port number between 0 and 65535 (got ${JSON.stringify(text)})`);
      return fallback;
    }
    return port;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const text = this.env[name];
    if (text === undefined || text === "") return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) {
      this.problems.push(`${name} must be a whole number between ${min} and ${max} (got ${JSON.stringify(text)})`);
      return fallback;
    }
    return value;
  }

  secret(name: string, fallback?: string): string {
    const value = this.env[name] ?? fallback;
    if (!value) {
      this.problems.push(`${name} is required (the HS256 secret that signs and verifies tokens)`);
      return "";
    }
    if (value.length < 16) this.problems.push(`${name} must be at least 16 characters long`);
    return value;
  }

  url(name: string, fallback: string): string {
    const value = this.env[name] || fallback;
    if (!/^https?:\/\/[^\s/]+(\/\S*)?$/.test(value))
      this.problems.push(`${name} must be an http(s) URL (got ${JSON.stringify(value)})`);
    return value;
  }

  /** A comma-separated list; empty when unset. */
  list(name: string): string[] {
    return (this.env[name] ?? "")
      .split(",")
      .map((item) => item.trim())
      .filter((item) => item.length > 0);
  }

  text(name: string, fallback: string): string {
    return this.env[name] || fallback;
  }

  /** Throws one ConfigError listing every problem found. */
  done(): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }
}
