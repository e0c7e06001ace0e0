/**
 * Sign-on through the hospital's OpenID Connect provider, end to end: a real OpenID Provider (panva's
 * oidc-provider, in its own process, with keys made here) issues the tokens; the whole system runs as
 * `npm start` runs it, configured with that issuer; every request goes through the gateway. Then one subgraph
 * alone for what only a fresh process shows: the provider not answering yet, a nested roles claim and a role map.
 */
import { createHmac, createPrivateKey, generateKeyPairSync, sign, type JsonWebKey } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { freePort, graphql, liveClient, startSystem, type GraphQLResponse, type RunningSystem } from "./support/system";
import { ledgerKeyEnv, ready, start, type Child } from "./support/processes";
import {
  authorizationCodeToken,
  clientCredentialsToken,
  signingKey,
  startProvider,
  type ProviderSettings,
  type RunningProvider,
} from "./support/oidc";
import { tempDir } from "./support/temp";

const AUDIENCE = "https://passerelle.chu.test/graphql";
const ELSEWHERE = "https://pharmacy.chu.test/api";
/** Resource indicators of the same audience, for tokens signed otherwise. */
const AS_ES256 = "urn:test:passerelle-es256";
const AS_HS256 = "urn:test:passerelle-hs256";
const DEV_SECRET = "a-development-secret-0123456789";
/** The services' settings below: the provider is asked again after 1 s, keys are fetched again after 4 s. */
const COOLDOWN_MS = 1000;
const KEYS_MAX_AGE_MS = 4000;
/** auth.ts CLOCK_TOLERANCE_S: an expired token is refused once this much past its `exp`. */
const CLOCK_TOLERANCE_S = 5;

const rsa1 = signingKey("rsa-2026-1");
const rsa2 = signingKey("rsa-2026-2");
const ec1 = signingKey("ec-2026-1", "EC");
const CONSOLE_REDIRECT = "http://127.0.0.1:5173/signed-in";

const program = (id: string) => ({ id, secret: `${id}-secret-0123456789` });

function settings(keys: readonly JsonWebKey[], signingKid: string, port?: number): ProviderSettings {
  return {
    ...(port ? { port } : {}),
    keys,
    resources: {
      [AUDIENCE]: { audience: AUDIENCE, alg: "RS256", kid: signingKid },
      [AS_ES256]: { audience: AUDIENCE, alg: "ES256" },
      [AS_HS256]: { audience: AUDIENCE, alg: "HS256", secret: DEV_SECRET },
      [ELSEWHERE]: { audience: ELSEWHERE, alg: "RS256", kid: signingKid },
    },
    clients: [
      { client_id: "grants-office", client_secret: program("grants-office").secret, claims: { roles: ["editor"] } },
      {
        client_id: "limoges-office",
        client_secret: program("limoges-office").secret,
        claims: { roles: ["editor"], passerelle: { institutions: ["chu-limoges"] } },
      },
      { client_id: "ledger-admin", client_secret: program("ledger-admin").secret, claims: { roles: ["admin"] } },
      // One space-separated string, as some providers put roles (like `scope`).
      { client_id: "reporting", client_secret: program("reporting").secret, claims: { roles: "analyst reader" } },
      { client_id: "nightly", client_secret: program("nightly").secret, ttl: 2, claims: { roles: ["editor"] } },
      { client_id: "console", redirect_uri: CONSOLE_REDIRECT },
    ],
    accounts: { "marie.curie": { roles: ["auditor"] } },
  };
}

const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
const headerOf = (token: string) =>
  JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString()) as Record<string, unknown>;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const codes = (response: GraphQLResponse) => (response.errors ?? []).map((e) => e.extensions?.code);

/** A token signed here, not by the provider: HS256 with a secret, RS256 with a key, or unsigned. */
function handSigned(header: Record<string, unknown>, claims: Record<string, unknown>, key?: string | JsonWebKey) {
  const unsigned = `${part(header)}.${part(claims)}`;
  if (header.alg === "none") return `${unsigned}.`;
  const signature =
    typeof key === "string"
      ? createHmac("sha256", key).update(unsigned).digest()
      : sign("sha256", Buffer.from(unsigned), createPrivateKey({ key: key!, format: "jwk" }));
  return `${unsigned}.${signature.toString("base64url")}`;
}

const PARTNERSHIPS = "{ partnerships(first: 1) { totalCount } }";
const STATISTICS = `{ statistics(dimension: COUNTRY) { key value } }`;
let commands = 0;
const milestone = (partnershipId: string) =>
  `mutation { recordMilestone(commandId: "oidc-e2e-${++commands}", input: { partnershipId: "${partnershipId}", occurredOn: "2026", summary: "Signed on through the hospital's provider" }) { position } }`;

describe("OIDC sign-on through the gateway (a real OpenID Provider)", () => {
  let provider: RunningProvider;
  let system: RunningSystem;
  let first: string;
  let started: number;

  beforeAll(async () => {
    started = Date.now();
    provider = await startProvider(settings([rsa1, ec1], rsa1.kid as string));
    system = await startSystem({
      env: {
        PASSERELLE_OIDC_ISSUER: provider.issuer,
        PASSERELLE_OIDC_AUDIENCE: AUDIENCE,
        PASSERELLE_OIDC_COOLDOWN_MS: String(COOLDOWN_MS),
        PASSERELLE_OIDC_JWKS_MAX_AGE_MS: String(KEYS_MAX_AGE_MS),
        PASSERELLE_OIDC_INSTITUTIONS_CLAIM: "passerelle.institutions",
        // Set as a deployment might leave it: ignored, and its tokens refused.
        PASSERELLE_JWT_SECRET: DEV_SECRET,
      },
    });
  }, 180_000);

  afterAll(async () => {
    expect(await system?.stop()).toBe(0);
    await provider?.stop();
    process.stdout.write(`oidc e2e (gateway part): ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }, 60_000);

  const ask = (query: string, token?: string, headers?: Record<string, string>) =>
    graphql(system.url, query, { ...(token ? { token } : {}), ...(headers ? { headers } : {}) });
  /** Refused, with a message saying why, as a GraphQL error (HTTP 200), never a server error. */
  const expectRefused = async (token: string, why: string | RegExp) => {
    const response = await ask(PARTNERSHIPS, token);
    expect(response.status).toBe(200);
    expect(codes(response)).toEqual(["UNAUTHENTICATED"]);
    expect(response.errors![0]!.message).toMatch(why);
  };

  it("npm start names the provider and prints no development token", () => {
    const text = system.output.join("");
    expect(text).toContain(`Sign-on: tokens of the OpenID provider ${provider.issuer} for the audience ${AUDIENCE}`);
    expect(system.tokens).toEqual({});
    expect(existsSync(join(system.dataDir, "dev-jwt-secret"))).toBe(false);
    expect(text).toContain("PASSERELLE_JWT_SECRET is ignored: PASSERELLE_OIDC_ISSUER is set");
  });

  it("accepts a program's client-credentials token (RS256) with the role its `roles` claim gives", async () => {
    first = await clientCredentialsToken(provider.issuer, program("grants-office"), AUDIENCE);
    expect(headerOf(first)).toMatchObject({ alg: "RS256", kid: "rsa-2026-1" });
    expect(claimsOf(first)).toMatchObject({ iss: provider.issuer, aud: AUDIENCE, sub: "grants-office" });
    const read = await ask(PARTNERSHIPS, first);
    expect(read.errors).toBeUndefined();
    expect(read.data).toEqual({ partnerships: { totalCount: 43 } });
    // An editor: the mutation is decided (no such partnership), statistics are an analyst's.
    expect(codes(await ask(milestone("no-such-partnership"), first))).toEqual(["NOT_FOUND"]);
    expect(codes(await ask(STATISTICS, first))).toEqual(["FORBIDDEN"]);
  });

  it("accepts an ES256 token, and roles given as one space-separated string (unknown names ignored)", async () => {
    const token = await clientCredentialsToken(provider.issuer, program("reporting"), AS_ES256);
    expect(headerOf(token)).toMatchObject({ alg: "ES256", kid: "ec-2026-1" });
    const statistics = await ask(STATISTICS, token);
    expect(statistics.errors).toBeUndefined();
    expect((statistics.data as { statistics: unknown[] }).statistics.length).toBeGreaterThan(0);
    expect(codes(await ask(milestone("no-such-partnership"), token))).toEqual(["FORBIDDEN"]);
  });

  it("scopes an editor to the institutions of the token's institutions claim; without claim or grant, to none", async () => {
    const limoges = await clientCredentialsToken(provider.issuer, program("limoges-office"), AUDIENCE);
    const own = await ask(milestone("limoges-cherkasy-hospital-3"), limoges);
    expect(own.errors).toBeUndefined();
    const other = await ask(milestone("montpellier-yaounde-central-hospital"), limoges);
    expect(codes(other)).toEqual(["FORBIDDEN"]);
    expect(other.errors![0]!.message).toContain("chu-montpellier");
    const unscoped = await clientCredentialsToken(provider.issuer, program("grants-office"), AUDIENCE);
    expect(codes(await ask(milestone("limoges-cherkasy-hospital-3"), unscoped))).toEqual(["FORBIDDEN"]);
  });

  it("records the token's `sub` as the actor of the events a command appends", async () => {
    const token = await clientCredentialsToken(provider.issuer, program("ledger-admin"), AUDIENCE);
    const written = await ask(milestone("montpellier-yaounde-central-hospital"), token);
    expect(written.errors).toBeUndefined();
    const position = (written.data as { recordMilestone: { position: string } }).recordMilestone.position;
    const events = await ask(
      `{ events(filter: { streams: ["partnership-montpellier-yaounde-central-hospital"], types: ["MilestoneRecorded"] }, first: 100) { edges { node { position actor commandId } } } }`,
      token,
      { "Passerelle-Consistent-With": position },
    );
    const nodes = (events.data as { events: { edges: Array<{ node: Record<string, string> }> } }).events.edges;
    expect(nodes.find(({ node }) => node.position === position)?.node).toMatchObject({ actor: "ledger-admin" });
  });

  it("accepts the console's token from the authorization code flow with PKCE, the user as actor", async () => {
    const token = await authorizationCodeToken(provider.issuer, {
      clientId: "console",
      redirectUri: CONSOLE_REDIRECT,
      resource: AUDIENCE,
      login: "marie.curie",
    });
    expect(claimsOf(token)).toMatchObject({ sub: "marie.curie", client_id: "console", aud: AUDIENCE });
    const integrity = await ask("{ verifyIntegrity { ok } }", token);
    expect(integrity.errors).toBeUndefined();
    expect(integrity.data).toEqual({ verifyIntegrity: { ok: true } });
    expect(codes(await ask(milestone("no-such-partnership"), token))).toEqual(["FORBIDDEN"]);
  });

  it("checks the token of a subscription (graphql-ws connection params) the same way", async () => {
    const subscribe = async (token: string) => {
      const client = liveClient(system.url, { authorization: `Bearer ${token}` });
      try {
        const feed = client.iterate({ query: "subscription { eventFeed { position type } }" });
        return JSON.stringify((await feed.next()).value);
      } finally {
        await client.dispose();
      }
    };
    const analyst = await clientCredentialsToken(provider.issuer, program("reporting"), AUDIENCE);
    expect(JSON.parse(await subscribe(analyst))).toMatchObject({
      data: { eventFeed: { position: expect.any(String) } },
    });
    const elsewhere = await clientCredentialsToken(provider.issuer, program("reporting"), ELSEWHERE);
    expect(await subscribe(elsewhere)).toContain("UNAUTHENTICATED");
  });

  it("refuses an expired token (UNAUTHENTICATED), accepted until then", async () => {
    const token = await clientCredentialsToken(provider.issuer, program("nightly"), AUDIENCE);
    expect((await ask(PARTNERSHIPS, token)).errors).toBeUndefined();
    const exp = claimsOf(token).exp as number;
    await sleep(Math.max(0, (exp + CLOCK_TOLERANCE_S + 1) * 1000 - Date.now()));
    await expectRefused(token, /invalid token: "exp" claim timestamp check failed/);
  }, 20_000);

  it("refuses a token of the same provider for another audience", async () => {
    const token = await clientCredentialsToken(provider.issuer, program("grants-office"), ELSEWHERE);
    expect(claimsOf(token).aud).toBe(ELSEWHERE);
    await expectRefused(token, /invalid token: unexpected "aud" claim value/);
  });

  it("refuses a token from an unknown issuer, even one signed with the very same keys", async () => {
    const stranger = await startProvider(settings([rsa1, ec1], rsa1.kid as string));
    try {
      const token = await clientCredentialsToken(stranger.issuer, program("grants-office"), AUDIENCE);
      expect(headerOf(token).kid).toBe("rsa-2026-1");
      await expectRefused(token, /invalid token: unexpected "iss" claim value/);
    } finally {
      await stranger.stop();
    }
  });

  it("refuses HS256 — a development token, and even one the provider itself signed — and unsigned tokens", async () => {
    const now = Math.floor(Date.now() / 1000);
    const dev = handSigned(
      { alg: "HS256", typ: "JWT" },
      { sub: "dev-admin", iss: "passerelle", iat: now, exp: now + 600, roles: ["admin"] },
      DEV_SECRET,
    );
    await expectRefused(dev, /invalid token: "alg" \(Algorithm\) Header Parameter value not allowed/);
    const symmetric = await clientCredentialsToken(provider.issuer, program("grants-office"), AS_HS256);
    expect(headerOf(symmetric).alg).toBe("HS256");
    expect(claimsOf(symmetric)).toMatchObject({ iss: provider.issuer, aud: AUDIENCE });
    await expectRefused(symmetric, /invalid token: "alg" \(Algorithm\) Header Parameter value not allowed/);
    const unsigned = handSigned({ alg: "none" }, { ...claimsOf(first), roles: ["admin"] });
    await expectRefused(unsigned, /invalid token/);
  });

  it("refuses a provider's token whose claims were changed (the signature is checked)", async () => {
    const [header, , signature] = first.split(".");
    const forged = `${header}.${part({ ...claimsOf(first), roles: ["admin"] })}.${signature}`;
    await expectRefused(forged, /invalid token: signature verification failed/);
  });

  describe("key rotation (the provider restarted with a new key set on the same address)", () => {
    let second: string;

    it("accepts tokens of the new key once the cooldown has passed, and the old key's while it is published", async () => {
      await provider.stop();
      provider = await startProvider(settings([rsa2, rsa1, ec1], rsa2.kid as string, provider.port));
      await sleep(COOLDOWN_MS + 200);
      second = await clientCredentialsToken(provider.issuer, program("grants-office"), AUDIENCE);
      expect(headerOf(second).kid).toBe("rsa-2026-2");
      expect((await ask(PARTNERSHIPS, second)).errors).toBeUndefined();
      expect((await ask(PARTNERSHIPS, first)).errors).toBeUndefined();
    });

    it("refuses tokens of a retired key once the fetched keys are older than PASSERELLE_OIDC_JWKS_MAX_AGE_MS", async () => {
      await provider.stop();
      provider = await startProvider(settings([rsa2, ec1], rsa2.kid as string, provider.port));
      await sleep(KEYS_MAX_AGE_MS + 500);
      await expectRefused(first, /invalid token: no applicable key found in the JSON Web Key Set/);
      expect((await ask(PARTNERSHIPS, second)).errors).toBeUndefined();
    }, 15_000);

    it("with the provider down: known keys go on verifying; an unknown one is refused naming the provider", async () => {
      await provider.stop();
      await sleep(KEYS_MAX_AGE_MS + 500);
      expect((await ask(PARTNERSHIPS, second)).errors).toBeUndefined();
      const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      const now = Math.floor(Date.now() / 1000);
      const unknownKey = handSigned(
        { alg: "RS256", kid: "rsa-2026-3" },
        { iss: provider.issuer, aud: AUDIENCE, sub: "grants-office", iat: now, exp: now + 600, roles: ["editor"] },
        privateKey.export({ format: "jwk" }),
      );
      await expectRefused(unknownKey, `the sign-on provider ${provider.issuer} is not answering; try again shortly`);
      expect(system.output.join("")).toContain("OIDC keys unavailable");
    }, 15_000);
  });
});

describe("OIDC in one subgraph alone (the audit service)", () => {
  const dir = tempDir("passerelle-oidc-");
  let provider: RunningProvider | undefined;
  let audit: Child;
  let url: string;
  let providerPort: number;

  beforeAll(async () => {
    providerPort = await freePort();
    const port = await freePort();
    url = `http://127.0.0.1:${port}/graphql`;
    audit = start(join("services", "audit", "main.js"), [], {
      PASSERELLE_LOG_LEVEL: "info",
      PASSERELLE_DATA_DIR: dir.path,
      ...ledgerKeyEnv(dir.path),
      PASSERELLE_AUDIT_PORT: String(port),
      PASSERELLE_OIDC_ISSUER: `http://127.0.0.1:${providerPort}`,
      PASSERELLE_OIDC_AUDIENCE: AUDIENCE,
      PASSERELLE_OIDC_ROLES_CLAIM: "realm_access.roles",
      PASSERELLE_OIDC_ROLE_MAP: "passerelle-auditors=auditor, passerelle-analysts=analyst",
      PASSERELLE_OIDC_COOLDOWN_MS: String(COOLDOWN_MS),
    });
    await ready(audit, `http://127.0.0.1:${port}/ready`, 30_000);
  }, 60_000);

  afterAll(async () => {
    await audit?.stop();
    await provider?.stop();
    dir.remove();
  });

  const keycloakLike = (roles: readonly string[], extra: Record<string, unknown> = {}) => ({
    realm_access: { roles },
    ...extra,
  });

  it("refuses tokens (UNAUTHENTICATED, HTTP 200, logged) while the provider is not answering", async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = handSigned(
      { alg: "RS256", kid: "rsa-2026-1" },
      { iss: `http://127.0.0.1:${providerPort}`, aud: AUDIENCE, sub: "x", iat: now, exp: now + 60 },
      rsa1,
    );
    const response = await graphql(url, "{ verifyIntegrity { ok } }", { token });
    expect(response.status).toBe(200);
    expect(codes(response)).toEqual(["UNAUTHENTICATED"]);
    expect(response.errors![0]!.message).toContain(
      `the sign-on provider http://127.0.0.1:${providerPort} is not answering`,
    );
    expect(audit.output.join("")).toContain("OIDC discovery failed");
  });

  it("once it answers: roles from `realm_access.roles` through the role map, nothing else", async () => {
    const base = settings([rsa1], rsa1.kid as string, providerPort);
    provider = await startProvider({
      ...base,
      clients: [
        // A directory group that happens to be called `admin` grants nothing: only mapped values count.
        {
          client_id: "integrity-check",
          client_secret: program("integrity-check").secret,
          claims: keycloakLike(["passerelle-auditors", "admin", "offline_access"]),
        },
        // A top-level `roles` claim is not the configured one.
        {
          client_id: "dashboards",
          client_secret: program("dashboards").secret,
          claims: keycloakLike(["passerelle-analysts"], { roles: ["admin"] }),
        },
      ],
    });
    await sleep(COOLDOWN_MS + 200);
    const auditor = await clientCredentialsToken(provider.issuer, program("integrity-check"), AUDIENCE);
    const integrity = await graphql(url, "{ verifyIntegrity { ok } }", { token: auditor });
    expect(integrity.errors).toBeUndefined();
    expect(integrity.data).toEqual({ verifyIntegrity: { ok: true } });
    expect(codes(await graphql(url, STATISTICS, { token: auditor }))).toEqual(["FORBIDDEN"]);
    const analyst = await clientCredentialsToken(provider.issuer, program("dashboards"), AUDIENCE);
    expect((await graphql(url, STATISTICS, { token: analyst })).errors).toBeUndefined();
    expect(codes(await graphql(url, "{ verifyIntegrity { ok } }", { token: analyst }))).toEqual(["FORBIDDEN"]);
  });

  it("refuses to start with a bad configuration, naming every problem", async () => {
    const bad = start(join("services", "audit", "main.js"), [], {
      PASSERELLE_DATA_DIR: dir.path,
      ...ledgerKeyEnv(dir.path),
      PASSERELLE_AUDIT_PORT: "0",
      PASSERELLE_OIDC_ISSUER: "http://idp.chu.test/realms/passerelle",
      PASSERELLE_OIDC_ROLE_MAP: "passerelle-editors=editor,passerelle-owners=owner",
      PASSERELLE_OIDC_ALGORITHMS: "RS256,HS256",
    });
    await new Promise<void>((resolve) =>
      bad.process.exitCode !== null ? resolve() : void bad.process.once("exit", () => resolve()),
    );
    expect(bad.process.exitCode).toBe(1);
    const fatal = bad.output
      .join("")
      .split("\n")
      .find((line) => line.includes('"problems"'));
    expect(JSON.parse(fatal!).problems).toEqual([
      expect.stringContaining("PASSERELLE_OIDC_ISSUER must be an https URL"),
      expect.stringContaining("PASSERELLE_OIDC_AUDIENCE is required"),
      expect.stringContaining(
        'PASSERELLE_OIDC_ROLE_MAP entries are <claim value>=<role>, the role one of editor, auditor, analyst, dpo, admin (got "passerelle-owners=owner")',
      ),
      expect.stringContaining('(got "HS256")'),
    ]);
  });
});
