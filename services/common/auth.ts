/**
 * Identity: JWT bearer tokens carrying the caller's id (`sub`, the actor recorded in event metadata) and roles.
 * The gateway forwards the Authorization header; each subgraph verifies it and enforces its own rules.
 *
 * Two ways, never both: with PASSERELLE_OIDC_ISSUER set, tokens of the hospital's OpenID Connect provider
 * (asymmetric signatures checked against its published keys, issuer and audience checked, roles from a
 * configurable claim); otherwise development tokens, HS256 with PASSERELLE_JWT_SECRET, as `npm start` prints.
 */
import {
  SignJWT,
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from "jose";
import type { Logger } from "pino";
import type { AccessState } from "../../domain/access/access.decider";
import { isTrustedProviderUrl, oidcConfig, type EnvReader, type OidcConfig } from "./config";

/** `dpo`: the data protection officer, who answers for the personal data the ledger holds. */
export const ROLES = ["editor", "auditor", "analyst", "dpo", "admin"] as const;
export type Role = (typeof ROLES)[number];

export interface Identity {
  /** Recorded as the actor of every event this caller's commands append. */
  readonly actor: string;
  readonly roles: readonly Role[];
  /** The institutions the token itself lets its bearer write for, besides their grants (access.ts). */
  readonly access?: AccessState;
}

/** The claim every development token carries its institutions in; `*` stands for every one. */
const INSTITUTIONS_CLAIM = "institutions";
const EVERY_INSTITUTION = "*";

/** The institutions a claim's values (a list, or one space-separated string) name; none when absent. */
function tokenAccess(claim: unknown): AccessState | undefined {
  const values = claimValues(claim);
  if (values.length === 0) return undefined;
  return {
    network: values.includes(EVERY_INSTITUTION),
    institutions: values.filter((value) => value !== EVERY_INSTITUTION),
  };
}

function claimValues(claim: unknown): string[] {
  if (typeof claim === "string") return claim.split(/\s+/).filter((value) => value.length > 0);
  return Array.isArray(claim) ? claim.filter((value): value is string => typeof value === "string") : [];
}

/** The identity in an `Authorization: Bearer …` header; null when there is none; InvalidTokenError when it is bad. */
export type Identify = (authorization: string | undefined) => Promise<Identity | null>;

const DEV_ISSUER = "passerelle";

/** Seconds of clock difference with the provider tolerated on `exp`, `nbf` and `iat`. */
export const CLOCK_TOLERANCE_S = 5;

/** How long one request to the provider (discovery, keys) may take before the token is refused. */
const PROVIDER_TIMEOUT_MS = 5000;

function key(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

/** A development token (`npm start`): HS256, refused wherever an OpenID provider is configured. */
export async function issueToken(secret: string, identity: Identity, expiresIn = "30d"): Promise<string> {
  const { access } = identity;
  const institutions = access && [...(access.network ? [EVERY_INSTITUTION] : []), ...access.institutions];
  return new SignJWT({ roles: [...identity.roles], ...(institutions ? { [INSTITUTIONS_CLAIM]: institutions } : {}) })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(identity.actor)
    .setIssuer(DEV_ISSUER)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(key(secret));
}

export class InvalidTokenError extends Error {
  readonly code = "UNAUTHENTICATED";
}

/** The provider did not answer, or answered something unusable: the token could not be checked. */
class ProviderUnavailableError extends Error {}

function isRole(value: unknown): value is Role {
  return ROLES.includes(value as Role);
}

function bearer(authorization: string): string {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (!match) throw new InvalidTokenError("the Authorization header must be `Bearer <token>`");
  return match[1]!;
}

export type VerifierOptions = { readonly oidc: OidcConfig } | { readonly devSecret: string };

/**
 * How tokens are checked, from the environment: the OpenID provider when PASSERELLE_OIDC_ISSUER is set (no
 * secret is needed or used then), else development tokens with PASSERELLE_JWT_SECRET. Problems go to `reader`.
 */
export function verifierOptions(reader: EnvReader, env: NodeJS.ProcessEnv): VerifierOptions {
  const oidc = oidcConfig(reader, env, ROLES);
  return oidc ? { oidc } : { devSecret: reader.secret("PASSERELLE_JWT_SECRET") };
}

export interface Verifier {
  readonly identify: Identify;
  /** Asks the provider for its metadata and keys now and logs the outcome; never throws. A no-op for dev tokens. */
  warmUp(): Promise<void>;
}

/** The one place tokens are checked, built once at start from the configuration. */
export function tokenVerifier(options: VerifierOptions, logger?: Logger): Verifier {
  return "oidc" in options ? oidcVerifier(options.oidc, logger) : devVerifier(options.devSecret);
}

function devVerifier(secret: string): Verifier {
  return {
    async identify(authorization) {
      if (!authorization) return null;
      const token = bearer(authorization);
      try {
        // A token that never expires is refused: a leaked one would be good forever.
        const { payload } = await jwtVerify(token, key(secret), {
          issuer: DEV_ISSUER,
          algorithms: ["HS256"],
          requiredClaims: ["exp"],
        });
        if (!payload.sub) throw new InvalidTokenError("the token names no subject");
        const access = tokenAccess(payload[INSTITUTIONS_CLAIM]);
        return {
          actor: payload.sub,
          roles: Array.isArray(payload.roles) ? payload.roles.filter(isRole) : [],
          ...(access ? { access } : {}),
        };
      } catch (error) {
        if (error instanceof InvalidTokenError) throw error;
        throw new InvalidTokenError(`invalid token: ${(error as Error).message}`);
      }
    },
    warmUp: async () => undefined,
  };
}

/** The claim at a dot path (`realm_access.roles`), through plain objects only. */
function claimAt(payload: JWTPayload, path: readonly string[]): unknown {
  let value: unknown = payload;
  for (const segment of path) {
    if (value === null || typeof value !== "object" || Array.isArray(value) || !Object.hasOwn(value, segment))
      return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/**
 * Passerelle roles from the claim's values (an array of strings, or one space-separated string). With a role
 * map only mapped values count — a directory group that happens to be called `admin` grants nothing; without
 * one, values that are role names do.
 */
function rolesOf(claim: unknown, roleMap: OidcConfig["roleMap"]): Role[] {
  const values = claimValues(claim);
  const roles = roleMap ? values.flatMap((value) => roleMap.get(value) ?? []) : values;
  return [...new Set(roles.filter(isRole))];
}

/** `<issuer>/.well-known/openid-configuration`, which must name the same issuer; its jwks_uri. */
async function discoverKeysUrl(issuer: string): Promise<URL> {
  const url = `${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`;
  let metadata: { issuer?: unknown; jwks_uri?: unknown };
  try {
    const response = await fetch(url, {
      headers: { accept: "application/json" },
      redirect: "manual",
      signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
    });
    if (response.status !== 200) throw new Error(`answered HTTP ${response.status}`);
    metadata = (await response.json()) as typeof metadata;
  } catch (error) {
    throw new ProviderUnavailableError(`${url}: ${(error as Error).message}`);
  }
  if (metadata.issuer !== issuer)
    throw new ProviderUnavailableError(`${url} names the issuer ${JSON.stringify(metadata.issuer)}, not ${issuer}`);
  if (typeof metadata.jwks_uri !== "string" || !isTrustedProviderUrl(metadata.jwks_uri))
    throw new ProviderUnavailableError(`${url} gives no https jwks_uri (got ${JSON.stringify(metadata.jwks_uri)})`);
  return new URL(metadata.jwks_uri);
}

/** Errors that say the token's key is not among the provider's (or its algorithm is unusable), not that the provider failed. */
function isKeyMismatch(error: unknown): boolean {
  return (
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys ||
    error instanceof errors.JOSENotSupported
  );
}

/**
 * The provider's keys (jose's remote key set: cached for `jwksMaxAgeMs`, fetched again at once for a token
 * signed with a key it does not know — the provider rotated — at most once per `cooldownMs`). When the provider
 * does not answer, the keys already fetched go on verifying the tokens they signed, and it is asked again only
 * after `cooldownMs`.
 */
function providerKeys(keysUrl: URL, config: OidcConfig, logger?: Logger): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(keysUrl, {
    cooldownDuration: config.cooldownMs,
    cacheMaxAge: config.jwksMaxAgeMs,
    timeoutDuration: PROVIDER_TIMEOUT_MS,
  });
  let unavailableUntil = 0;
  let lastFailure = "";
  const known = async (header: Parameters<JWTVerifyGetKey>[0], token: Parameters<JWTVerifyGetKey>[1]) => {
    const jwks = remote.jwks();
    if (!jwks) throw new ProviderUnavailableError(lastFailure);
    try {
      return await createLocalJWKSet(jwks)(header, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey) throw new ProviderUnavailableError(lastFailure);
      throw error;
    }
  };
  return async (header, token) => {
    if (Date.now() < unavailableUntil) return known(header, token);
    try {
      return await remote(header, token);
    } catch (error) {
      if (isKeyMismatch(error)) throw error;
      unavailableUntil = Date.now() + config.cooldownMs;
      lastFailure = `${keysUrl.href}: ${(error as Error).message}`;
      logger?.error(
        { issuer: config.issuer, jwksUri: keysUrl.href, err: (error as Error).message },
        "OIDC keys unavailable",
      );
      return known(header, token);
    }
  };
}

function oidcVerifier(config: OidcConfig, logger?: Logger): Verifier {
  let keys: Promise<JWTVerifyGetKey> | undefined;
  let unavailableUntil = 0;
  let lastFailure = "";
  // The provider's address comes from the configuration only, never from a token (whose `iss` is just compared).
  const discovered = (): Promise<JWTVerifyGetKey> => {
    if (Date.now() < unavailableUntil) return Promise.reject(new ProviderUnavailableError(lastFailure));
    keys ??= discoverKeysUrl(config.issuer).then(
      (url) => {
        logger?.info({ issuer: config.issuer, jwksUri: url.href }, "OIDC provider discovered");
        return providerKeys(url, config, logger);
      },
      (error: Error) => {
        keys = undefined;
        unavailableUntil = Date.now() + config.cooldownMs;
        lastFailure = error.message;
        logger?.error({ issuer: config.issuer, err: error.message }, "OIDC discovery failed");
        throw error;
      },
    );
    return keys;
  };
  const unavailable = () =>
    new InvalidTokenError(
      `the token could not be checked: the sign-on provider ${config.issuer} is not answering; try again shortly`,
    );
  return {
    async identify(authorization) {
      if (!authorization) return null;
      const token = bearer(authorization);
      let getKey: JWTVerifyGetKey;
      try {
        getKey = await discovered();
      } catch {
        throw unavailable();
      }
      try {
        const { payload } = await jwtVerify(token, getKey, {
          issuer: config.issuer,
          audience: config.audience,
          algorithms: [...config.algorithms],
          requiredClaims: ["exp", "sub"],
          clockTolerance: CLOCK_TOLERANCE_S,
        });
        if (typeof payload.sub !== "string" || payload.sub.trim() === "")
          throw new InvalidTokenError("the token's subject (sub) must be a non-empty string");
        const access = config.institutionsClaim ? tokenAccess(claimAt(payload, config.institutionsClaim)) : undefined;
        return {
          actor: payload.sub,
          roles: rolesOf(claimAt(payload, config.rolesClaim), config.roleMap),
          ...(access ? { access } : {}),
        };
      } catch (error) {
        if (error instanceof ProviderUnavailableError) throw unavailable();
        throw new InvalidTokenError(`invalid token: ${(error as Error).message}`);
      }
    },
    async warmUp() {
      try {
        await discovered();
      } catch {
        // Logged where it failed; the first token asks again after the cooldown.
      }
    },
  };
}
