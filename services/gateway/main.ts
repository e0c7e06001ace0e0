/** Runs the gateway from the environment (`node dist/services/gateway/main.js`). */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { tokenVerifier, verifierOptions } from "../common/auth";
import { ConfigError, EnvReader } from "../common/config";
import { createLogger } from "../common/logging";
import { repoRoot } from "../common/paths";
import { GATEWAY_PORT, SERVICE_PORTS } from "../common/ports";
import { DEFAULT_MAX_RESPONSE_BYTES } from "../common/graphql/limits";
import { MAX_SUBSCRIPTIONS_PER_USER, startGateway } from "./gateway";

const logger = createLogger("gateway");

async function main(): Promise<void> {
  const reader = new EnvReader(process.env);
  const port = reader.port("PASSERELLE_GATEWAY_PORT", GATEWAY_PORT);
  const host = reader.text("PASSERELLE_HOST", "127.0.0.1");
  const supergraphPath = reader.text("PASSERELLE_SUPERGRAPH", join(repoRoot(), "schema", "supergraph.graphql"));
  const subgraphUrls = Object.fromEntries(
    Object.entries(SERVICE_PORTS).map(([name, defaultPort]) => [
      name,
      reader.url(`PASSERELLE_${name.toUpperCase()}_URL`, `http://127.0.0.1:${defaultPort}/graphql`),
    ]),
  );
  const web = {
    corsOrigins: reader.list("PASSERELLE_CORS_ORIGINS"),
    allowedHosts: reader.list("PASSERELLE_ALLOWED_HOSTS"),
  };
  const maxResponseBytes = reader.integer(
    "PASSERELLE_MAX_RESPONSE_BYTES",
    DEFAULT_MAX_RESPONSE_BYTES,
    256 * 1024,
    256 * 1024 * 1024,
  );
  const maxSubscriptionsPerUser = reader.integer(
    "PASSERELLE_MAX_SUBSCRIPTIONS_PER_USER",
    MAX_SUBSCRIPTIONS_PER_USER,
    1,
    100_000,
  );
  const consoleDir = reader.text("PASSERELLE_CONSOLE_DIR", join(repoRoot(), "console", "dist"));
  const devTokens = process.env.PASSERELLE_CONSOLE_DEV_TOKENS
    ? (JSON.parse(process.env.PASSERELLE_CONSOLE_DEV_TOKENS) as Record<string, string>)
    : undefined;
  const auth = verifierOptions(reader, process.env);
  // The console's own client at the provider the API trusts (a public client: no secret).
  const consoleClientId = reader.text("PASSERELLE_CONSOLE_OIDC_CLIENT_ID", "");
  const signOn =
    consoleClientId && "oidc" in auth
      ? {
          issuer: auth.oidc.issuer,
          clientId: consoleClientId,
          resource: reader.text("PASSERELLE_CONSOLE_OIDC_RESOURCE", "") || null,
          scope: reader.text("PASSERELLE_CONSOLE_OIDC_SCOPE", "") || "openid",
        }
      : undefined;
  if (consoleClientId && !("oidc" in auth)) {
    reader.problems.push("PASSERELLE_CONSOLE_OIDC_CLIENT_ID is set without PASSERELLE_OIDC_ISSUER");
  }
  reader.done();
  const verifier = tokenVerifier(auth, logger);
  void verifier.warmUp();
  const gateway = await startGateway({
    port,
    host,
    supergraph: readFileSync(supergraphPath, "utf8"),
    subgraphUrls,
    web,
    maxResponseBytes,
    maxSubscriptionsPerUser,
    identify: verifier.identify,
    ...(existsSync(join(consoleDir, "index.html"))
      ? { console: { dir: consoleDir, ...(devTokens ? { devTokens } : {}), ...(signOn ? { signOn } : {}) } }
      : {}),
  });
  logger.info({ url: gateway.url, subgraphUrls }, "gateway listening");
  // The runtime registers its own SIGINT/SIGTERM disposal but does not exit: stop and exit here.
  const stop = async () => {
    await gateway.stop();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
}

main().catch((error: unknown) => {
  logger.fatal(
    error instanceof ConfigError ? { problems: error.problems } : { err: error },
    error instanceof Error ? error.message : String(error),
  );
  process.exit(1);
});
