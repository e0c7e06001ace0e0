/**
 * Runs one subgraph from the environment (`node dist/services/<name>/main.js`): validated configuration, clean
 * stop on SIGINT/SIGTERM.
 */
import { createLogger } from "./logging";
import { tokenVerifier, verifierOptions } from "./auth";
import { ConfigError, EnvReader, ledgerSigningConfig, retentionPolicy, storageConfig } from "./config";
import { SERVICE_PORTS } from "./ports";
import { keepsLedgerTree, startService, type ServiceDefinition } from "./service";

export function runFromEnvironment(definition: ServiceDefinition, env: NodeJS.ProcessEnv = process.env): void {
  const logger = createLogger(definition.name);
  const main = async () => {
    const reader = new EnvReader(env);
    const variable = `PASSERELLE_${definition.name.toUpperCase()}_PORT`;
    const port = reader.port(variable, SERVICE_PORTS[definition.name]);
    const auth = verifierOptions(reader, env);
    const consistencyTimeoutMs = reader.integer("PASSERELLE_CONSISTENCY_TIMEOUT_MS", 5000, 1, 120_000);
    const readyLagEvents = reader.integer("PASSERELLE_READY_LAG_EVENTS", 100, 0, 1_000_000_000);
    const host = reader.text("PASSERELLE_HOST", "127.0.0.1");
    let storage;
    try {
      storage = storageConfig(env);
    } catch (error) {
      if (error instanceof ConfigError) reader.problems.push(...error.problems);
      else throw error;
    }
    const ledgerSigning = keepsLedgerTree(definition) ? ledgerSigningConfig(reader, env) : undefined;
    const retention = retentionPolicy(reader);
    reader.done();
    if ("oidc" in auth && env.PASSERELLE_JWT_SECRET)
      logger.warn("PASSERELLE_JWT_SECRET is ignored: PASSERELLE_OIDC_ISSUER is set");
    const verifier = tokenVerifier(auth, logger);
    void verifier.warmUp();
    const service = await startService(definition, {
      port,
      host,
      storage: storage!,
      identify: verifier.identify,
      consistencyTimeoutMs,
      readyLagEvents,
      logger,
      retention,
      ...(ledgerSigning ? { ledgerSigning } : {}),
    });
    const stop = async (signal: string) => {
      logger.info({ signal }, "stopping");
      await service.stop();
      process.exit(0);
    };
    process.once("SIGINT", () => void stop("SIGINT"));
    process.once("SIGTERM", () => void stop("SIGTERM"));
  };
  main().catch((error: unknown) => {
    logger.fatal(
      error instanceof ConfigError ? { problems: error.problems } : { err: error },
      error instanceof Error ? error.message : String(error),
    );
    process.exit(1);
  });
}
