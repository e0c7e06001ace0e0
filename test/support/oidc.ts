/**
 * The tests' OpenID Provider (test/support/oidc-provider.mjs, panva's oidc-provider in its own process) and the
 * two ways a client gets a token from it: client credentials (a program) and the authorization code flow with
 * PKCE (the console), driven over HTTP as a browser would, the development login and consent forms included.
 */
import { spawn } from "node:child_process";
import { createHash, generateKeyPairSync, randomBytes, type JsonWebKey } from "node:crypto";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { ROOT } from "./system";

const SCRIPT = join(ROOT, "test", "support", "oidc-provider.mjs");

/** A private JWK for the provider: RSA (RS256) or P-256 (ES256). */
export function signingKey(kid: string, kind: "RSA" | "EC" = "RSA"): JsonWebKey {
  const { privateKey } =
    kind === "RSA"
      ? generateKeyPairSync("rsa", { modulusLength: 2048 })
      : generateKeyPairSync("ec", { namedCurve: "P-256" });
  return { ...privateKey.export({ format: "jwk" }), kid, use: "sig", alg: kind === "RSA" ? "RS256" : "ES256" };
}

export interface ProviderSettings {
  readonly port?: number;
  readonly keys: readonly JsonWebKey[];
  readonly resources: Readonly<Record<string, { audience: string; alg: string; kid?: string; secret?: string }>>;
  readonly clients: ReadonlyArray<{
    client_id: string;
    client_secret?: string;
    redirect_uri?: string;
    ttl?: number;
    claims?: Record<string, unknown>;
  }>;
  readonly accounts?: Readonly<Record<string, Record<string, unknown>>>;
}

export interface RunningProvider {
  readonly issuer: string;
  readonly port: number;
  readonly output: string[];
  stop(): Promise<void>;
}

/** Starts the provider and waits (at most 20 s) until it listens. */
export async function startProvider(settings: ProviderSettings): Promise<RunningProvider> {
  const child = spawn(process.execPath, [SCRIPT], {
    cwd: ROOT,
    env: { ...process.env, OIDC_TEST_PROVIDER: JSON.stringify(settings) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  child.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const issuer = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`provider not up after 20 s:\n${output.join("")}`)), 20_000);
    void exited.then(() => reject(new Error(`provider exited:\n${output.join("")}`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      output.push(`${line}\n`);
      const match = /^oidc-provider listening (http\S+)$/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
  }).catch((error: unknown) => {
    child.kill("SIGKILL");
    throw error;
  });
  return {
    issuer,
    port: Number(new URL(issuer).port),
    output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

async function metadata(issuer: string): Promise<{ token_endpoint: string; authorization_endpoint: string }> {
  const response = await fetch(`${issuer}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`discovery: HTTP ${response.status}`);
  return (await response.json()) as { token_endpoint: string; authorization_endpoint: string };
}

async function tokenRequest(issuer: string, form: Record<string, string>, basic?: string): Promise<string> {
  const response = await fetch((await metadata(issuer)).token_endpoint, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...(basic ? { authorization: `Basic ${Buffer.from(basic).toString("base64")}` } : {}),
    },
    body: new URLSearchParams(form),
  });
  const body = (await response.json()) as { access_token?: string; error?: string; error_description?: string };
  if (!response.ok || !body.access_token)
    throw new Error(`token endpoint: HTTP ${response.status} ${body.error}: ${body.error_description}`);
  return body.access_token;
}

/** A program's token: the client credentials grant, for the resource (RFC 8707) that names Passerelle. */
export function clientCredentialsToken(
  issuer: string,
  client: { id: string; secret: string },
  resource: string,
): Promise<string> {
  return tokenRequest(
    issuer,
    { grant_type: "client_credentials", resource, scope: "passerelle" },
    `${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`,
  );
}

/**
 * The console's sign-in: authorization request with a PKCE challenge (S256) and a state, the provider's login
 * and consent pages (its development forms: any login is accepted), the redirect back with a code, and the code
 * exchanged with the verifier — at most 10 hops, each one checked.
 */
export async function authorizationCodeToken(
  issuer: string,
  options: { clientId: string; redirectUri: string; resource: string; login: string },
): Promise<string> {
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  const state = randomBytes(16).toString("base64url");
  const cookies = new Map<string, string>();
  const send = async (url: string, body?: URLSearchParams) => {
    const response = await fetch(url, {
      method: body ? "POST" : "GET",
      redirect: "manual",
      headers: {
        cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join("; "),
        ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}),
      },
      ...(body ? { body } : {}),
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const at = pair!.indexOf("=");
      const name = pair!.slice(0, at);
      const value = pair!.slice(at + 1);
      if (value === "" || /expires=Thu, 01 Jan 1970/i.test(cookie)) cookies.delete(name);
      else cookies.set(name, value);
    }
    return response;
  };
  const authorize = new URL((await metadata(issuer)).authorization_endpoint);
  authorize.search = new URLSearchParams({
    client_id: options.clientId,
    response_type: "code",
    redirect_uri: options.redirectUri,
    scope: "openid passerelle",
    resource: options.resource,
    code_challenge: challenge,
    code_challenge_method: "S256",
    state,
  }).toString();
  let response = await send(authorize.href);
  for (let hop = 0; hop < 10; hop++) {
    const location = response.headers.get("location");
    if (location?.startsWith(options.redirectUri)) {
      const back = new URL(location).searchParams;
      if (back.get("state") !== state) throw new Error(`state mismatch: ${location}`);
      const code = back.get("code");
      if (!code) throw new Error(`no code: ${location}`);
      return tokenRequest(issuer, {
        grant_type: "authorization_code",
        code,
        redirect_uri: options.redirectUri,
        client_id: options.clientId,
        code_verifier: verifier,
        resource: options.resource,
      });
    }
    if (location) {
      response = await send(new URL(location, issuer).href);
      continue;
    }
    const page = await response.text();
    const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1];
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
    if (response.status !== 200 || !prompt || !action)
      throw new Error(`unexpected page (HTTP ${response.status}): ${page.slice(0, 500)}`);
    const form = new URLSearchParams({ prompt });
    if (prompt === "login") {
      form.set("login", options.login);
      form.set("password", "any");
    }
    response = await send(new URL(action.replace(/&amp;/g, "&"), issuer).href, form);
  }
  throw new Error("the authorization flow did not come back to the redirect URI in 10 hops");
}
