/**
 * Configuration from the environment, validated once at start: each bad value gets its own clear message.
 */
import { createPrivateKey, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { DEFAULT_TREE_HEAD_POLICY, type TreeHeadPolicy } from "../../projections/tree-heads";
import type { Durability } from "../../events/adapters/sqlite/sqlite-event-store";
import { connectionSetting } from "../../events/adapters/eventstoredb/connection-string";

export interface StorageConfig {
  /** Where the embedded store and the read models live. Default `./data`. */
  readonly dataDir: string;
  /** When set, EventStoreDB is the event store: over TLS with credentials, unless PASSERELLE_EVENTSTORE_INSECURE=true. */
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
  if (connection !== undefined) problems.push(...eventStoreProblems(connection, env.PASSERELLE_EVENTSTORE_INSECURE));
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

const INSECURE_ESCAPE =
  "or, for a local experiment against a server started with --insecure, set PASSERELLE_EVENTSTORE_INSECURE=true";

/**
 * An EventStoreDB link without TLS or credentials lets anyone on the store's network read, append to or delete
 * any stream: refused unless PASSERELLE_EVENTSTORE_INSECURE=true says it is meant. Problems never echo a password.
 */
function eventStoreProblems(connection: string, insecure: string | undefined): string[] {
  if (!/^(esdb|esdb\+discover|kurrentdb|kurrent):\/\//.test(connection)) {
    const shown = connection.replace(/^([^:]+:\/\/[^:@/]*):[^@]*@/, "$1:***@");
    return [`EVENTSTORE_CONNECTION_STRING must start with esdb:// or esdb+discover:// (got ${JSON.stringify(shown)})`];
  }
  if (insecure !== undefined && !["", "true", "false"].includes(insecure)) {
    return [`PASSERELLE_EVENTSTORE_INSECURE must be true or false (got ${JSON.stringify(insecure)})`];
  }
  if (insecure === "true") return [];
  // TLS unless the last `tls` setting is false, as the client reads it; credentials as `user:password@` right
  // after the scheme, before any host, path or query.
  const tls = connectionSetting(connection, "tls") !== "false";
  const credentials = /^[^:]+:\/\/[^:@/?]+:[^@/?]+@/.test(connection.trim());
  const problems: string[] = [];
  if (connectionSetting(connection, "tlsVerifyCert") === "false") {
    problems.push(
      "EVENTSTORE_CONNECTION_STRING sets tlsVerifyCert=false: TLS that checks no certificate lets anyone between " +
        `Passerelle and the store read and write the ledger; give the store's CA with tlsCAFile=…, ${INSECURE_ESCAPE}`,
    );
  }
  if (!tls) {
    problems.push(
      "EVENTSTORE_CONNECTION_STRING sets tls=false: the ledger would travel in clear text to a server that checks " +
        `no one; connect over TLS (tls=true, the default, with tlsCAFile=… for the store's own CA), ${INSECURE_ESCAPE}`,
    );
  }
  if (!credentials) {
    problems.push(
      "EVENTSTORE_CONNECTION_STRING carries no credentials: Passerelle connects as its own EventStoreDB user " +
        `(esdb://user:password@host:2113?tls=true&tlsCAFile=…), ${INSECURE_ESCAPE}`,
    );
  }
  return problems;
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

/** Signature algorithms an OpenID provider may sign tokens with here: asymmetric only (no HS*, no `none`). */
export const OIDC_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];

/** Sign-on through the hospital's OpenID Connect provider (see auth.ts). */
export interface OidcConfig {
  /** PASSERELLE_OIDC_ISSUER, compared exactly with the discovery document's `issuer` and every token's `iss`. */
  readonly issuer: string;
  /** PASSERELLE_OIDC_AUDIENCE: a token's `aud` must contain it. Required with an issuer. */
  readonly audience: string;
  /** PASSERELLE_OIDC_ROLES_CLAIM as path segments; default `roles` (`realm_access.roles` → two segments). */
  readonly rolesClaim: readonly string[];
  /**
   * PASSERELLE_OIDC_INSTITUTIONS_CLAIM as path segments: the institutions the token itself lets its bearer write
   * for (`*`: every one), besides their grants. Unset: grants alone.
   */
  readonly institutionsClaim: readonly string[] | undefined;
  /** PASSERELLE_OIDC_ROLE_MAP: claim value → Passerelle roles. Unset: claim values that are role names count. */
  readonly roleMap: ReadonlyMap<string, readonly string[]> | undefined;
  /** PASSERELLE_OIDC_ALGORITHMS; default RS256, ES256. */
  readonly algorithms: readonly string[];
  /** PASSERELLE_OIDC_COOLDOWN_MS: least time between two requests to the provider that tokens cause. Default 30 s. */
  readonly cooldownMs: number;
  /** PASSERELLE_OIDC_JWKS_MAX_AGE_MS: how long fetched keys are trusted before they are fetched again. Default 10 min. */
  readonly jwksMaxAgeMs: number;
}

const LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]"];

/** An https URL, or http on this machine only (a provider started for development or tests). */
export function isTrustedProviderUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  return url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK_HOSTS.includes(url.hostname));
}

/**
 * The OpenID Connect settings, or undefined when PASSERELLE_OIDC_ISSUER is unset (development tokens then).
 * Problems go to the reader; `roles` are the role names a role map may name.
 */
export function oidcConfig(
  reader: EnvReader,
  env: NodeJS.ProcessEnv,
  roles: readonly string[],
): OidcConfig | undefined {
  const issuer = env.PASSERELLE_OIDC_ISSUER || undefined;
  if (issuer === undefined) {
    const stray = Object.keys(env).filter((name) => name.startsWith("PASSERELLE_OIDC_") && env[name]);
    if (stray.length > 0) reader.problems.push(`${stray.join(", ")} set without PASSERELLE_OIDC_ISSUER`);
    return undefined;
  }
  if (!isTrustedProviderUrl(issuer) || /[?#]/.test(issuer)) {
    reader.problems.push(
      `PASSERELLE_OIDC_ISSUER must be an https URL (http only for 127.0.0.1 or localhost), without query or fragment (got ${JSON.stringify(issuer)})`,
    );
  }
  const audience = env.PASSERELLE_OIDC_AUDIENCE ?? "";
  if (!audience.trim()) {
    reader.problems.push(
      "PASSERELLE_OIDC_AUDIENCE is required with PASSERELLE_OIDC_ISSUER (the `aud` tokens for Passerelle carry)",
    );
  }
  const claimPath = (name: string, fallback: string, example: string): string[] => {
    const claim = env[name] || fallback;
    if (!/^[^.\s]+(\.[^.\s]+)*$/.test(claim))
      reader.problems.push(
        `${name} must be a claim name or a dot path such as ${example} (got ${JSON.stringify(claim)})`,
      );
    return claim.split(".");
  };
  const rolesClaim = claimPath("PASSERELLE_OIDC_ROLES_CLAIM", "roles", "realm_access.roles");
  const institutionsClaim = env.PASSERELLE_OIDC_INSTITUTIONS_CLAIM
    ? claimPath("PASSERELLE_OIDC_INSTITUTIONS_CLAIM", "", "passerelle.institutions")
    : undefined;
  let roleMap: Map<string, string[]> | undefined;
  const entries = reader.list("PASSERELLE_OIDC_ROLE_MAP");
  if (entries.length > 0) {
    roleMap = new Map();
    for (const entry of entries) {
      // The last `=` separates: a group's name may hold one (not a comma).
      const at = entry.lastIndexOf("=");
      const value = entry.slice(0, at).trim();
      const role = entry.slice(at + 1).trim();
      if (at <= 0 || !roles.includes(role)) {
        reader.problems.push(
          `PASSERELLE_OIDC_ROLE_MAP entries are <claim value>=<role>, the role one of ${roles.join(", ")} (got ${JSON.stringify(entry)})`,
        );
        continue;
      }
      roleMap.set(value, [...(roleMap.get(value) ?? []), role]);
    }
  }
  const algorithms = reader.list("PASSERELLE_OIDC_ALGORITHMS");
  for (const alg of algorithms) {
    if (!OIDC_ALGORITHMS.includes(alg)) {
      reader.problems.push(
        `PASSERELLE_OIDC_ALGORITHMS may name only ${OIDC_ALGORITHMS.join(", ")} (got ${JSON.stringify(alg)})`,
      );
    }
  }
  return {
    issuer,
    audience,
    rolesClaim,
    institutionsClaim,
    roleMap,
    algorithms: algorithms.length > 0 ? algorithms : ["RS256", "ES256"],
    cooldownMs: reader.integer("PASSERELLE_OIDC_COOLDOWN_MS", 30_000, 0, 3_600_000),
    jwksMaxAgeMs: reader.integer("PASSERELLE_OIDC_JWKS_MAX_AGE_MS", 600_000, 1000, 86_400_000),
  };
}

/**
 * The kept file of signed tree heads: not a read model (heads are not derived from the log), so it is backed up
 * and shared by every audit replica. PASSERELLE_TREE_HEADS_FILE, default `<data dir>/tree-heads.db`.
 */
export function treeHeadsPath(config: StorageConfig, env: NodeJS.ProcessEnv = process.env): string {
  return env.PASSERELLE_TREE_HEADS_FILE
    ? resolve(env.PASSERELLE_TREE_HEADS_FILE)
    : join(config.dataDir, "tree-heads.db");
}

/** Where personal data is kept and where its erasures are registered (events/adapters/sqlite/sqlite-personal-data-vault.ts). */
export interface PersonalDataFiles {
  /** Keys per person and contacts: PASSERELLE_PERSONAL_DATA_FILE, default `<data dir>/personal.db`. */
  readonly vault: string;
  /**
   * Who was forgotten, when and why: PASSERELLE_ERASURE_REGISTER_FILE, default `<data dir>/erasures.db`. Best on
   * other storage than the data directory: a restore reads it to forget again whoever a backup still knows.
   */
  readonly erasureRegister: string;
}

/** The vault is a file apart from the event store, which never holds a key or a plaintext personal value. */
export function personalDataFiles(config: StorageConfig, env: NodeJS.ProcessEnv = process.env): PersonalDataFiles {
  return {
    vault: env.PASSERELLE_PERSONAL_DATA_FILE
      ? resolve(env.PASSERELLE_PERSONAL_DATA_FILE)
      : join(config.dataDir, "personal.db"),
    erasureRegister: env.PASSERELLE_ERASURE_REGISTER_FILE
      ? resolve(env.PASSERELLE_ERASURE_REGISTER_FILE)
      : join(config.dataDir, "erasures.db"),
  };
}

/** The ledger's signing key file: PASSERELLE_LEDGER_KEY_FILE, or the one `npm start` keeps in the data directory. */
export function ledgerKeyPath(config: StorageConfig, env: NodeJS.ProcessEnv = process.env): string {
  return env.PASSERELLE_LEDGER_KEY_FILE
    ? resolve(env.PASSERELLE_LEDGER_KEY_FILE)
    : join(config.dataDir, "ledger-key.pem");
}

/** How the audit service signs tree heads (projections/tree-heads.ts). */
export interface LedgerSigning {
  readonly key: KeyObject;
  readonly policy: TreeHeadPolicy;
}

/**
 * PASSERELLE_LEDGER_KEY_FILE, a PKCS#8 PEM Ed25519 private key (`npm start` generates one in the data directory
 * for development), and how often heads are signed: PASSERELLE_TREE_HEAD_INTERVAL_MS (default 10 s) or
 * PASSERELLE_TREE_HEAD_MAX_EVENTS events (default 1000), whichever comes first.
 */
export function ledgerSigningConfig(reader: EnvReader, env: NodeJS.ProcessEnv): LedgerSigning | undefined {
  const intervalMs = reader.integer(
    "PASSERELLE_TREE_HEAD_INTERVAL_MS",
    DEFAULT_TREE_HEAD_POLICY.intervalMs,
    100,
    86_400_000,
  );
  const maxEvents = reader.integer("PASSERELLE_TREE_HEAD_MAX_EVENTS", DEFAULT_TREE_HEAD_POLICY.maxEvents, 1, 1e9);
  const path = env.PASSERELLE_LEDGER_KEY_FILE;
  if (!path) {
    reader.problems.push(
      "PASSERELLE_LEDGER_KEY_FILE is required: the audit service signs the ledger's tree heads with this Ed25519 " +
        "private key (PKCS#8 PEM; `openssl genpkey -algorithm ed25519`; `npm start` makes one for development)",
    );
    return undefined;
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(readFileSync(path));
  } catch (error) {
    reader.problems.push(
      `PASSERELLE_LEDGER_KEY_FILE: cannot read a private key from ${path}: ${(error as Error).message}`,
    );
    return undefined;
  }
  if (key.asymmetricKeyType !== "ed25519") {
    reader.problems.push(`PASSERELLE_LEDGER_KEY_FILE: ${path} holds a ${key.asymmetricKeyType} key, not Ed25519`);
    return undefined;
  }
  return { key, policy: { intervalMs, maxEvents } };
}

/** How long the people a partnership's facts name are kept after it ends (services/partnerships/retention.ts). */
export interface RetentionPolicy {
  /** Years after a partnership's termination (its effective date); PASSERELLE_RETENTION_YEARS, default 10. */
  readonly yearsAfterTermination: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { yearsAfterTermination: 10 };

export function retentionPolicy(reader: EnvReader): RetentionPolicy {
  const { yearsAfterTermination } = DEFAULT_RETENTION;
  return { yearsAfterTermination: reader.integer("PASSERELLE_RETENTION_YEARS", yearsAfterTermination, 0, 100) };
}
