/**
 * Runs one subgraph as its own service: its own read models (and projection runner), its GraphQL endpoint,
 * /health and /ready. Every subgraph starts the same way, alone or under `npm start`.
 */
import { randomUUID } from "node:crypto";
import { dirname } from "node:path";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { openMentions } from "../../events/personal-data/mentions";
import type { PersonalDataVault } from "../../events/personal-data/vault";
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from "@apollo/server/plugin/disabled";
import { useServer } from "graphql-ws/use/ws";
import type { Logger } from "pino";
import { WebSocketServer } from "ws";
import { openEventStore } from "../../events/open-event-store";
import type { ProjectionDefinition } from "../../projections/projection";
import { ReadModelDatabase } from "../../projections/read-model-db";
import { ProjectionRunner } from "../../projections/runner";
import type { Identify } from "./auth";
import { openSqlitePersonalDataVault } from "../../events/adapters/sqlite/sqlite-personal-data-vault";
import {
  DEFAULT_RETENTION,
  personalDataFiles,
  readModelPath,
  treeHeadsPath,
  type LedgerSigning,
  type RetentionPolicy,
  type StorageConfig,
} from "./config";
import { ledgerTree } from "../../projections/read-models/ledger-tree";
import { TreeHeadLog, TreeHeadSigner } from "../../projections/tree-heads";
import { keyIdOf } from "../../events/transparency/tree-head";
import { createPublicKey } from "node:crypto";
import { createLogger } from "./logging";
import { ServiceMetrics, timedAppends } from "./metrics";
import type { GraphQLContext, ServiceRuntime } from "./graphql/context";
import { badValueFields, errorFormatter } from "./graphql/errors";
import { createServer, graphqlHandler, listen, outlastClientKeepAlive } from "./graphql/http";
import type { Subgraph } from "./graphql/subgraph";
import { POSITION_PATTERN } from "../../events/envelope";
import { ownerOnly } from "./paths";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { DEFAULT_LIMITS, maxAliasesRule } from "./graphql/limits";
import { GraphQLError, type ValidationContext } from "graphql";

export interface ServiceDefinition {
  readonly name: "partnerships" | "activities" | "audit";
  readonly projections: readonly ProjectionDefinition[];
  buildSubgraph(): Promise<Subgraph>;
}

export interface ServiceOptions {
  readonly port: number;
  readonly host?: string;
  readonly storage: StorageConfig;
  /** Checks a request's Authorization header (auth.ts `tokenVerifier`). */
  readonly identify: Identify;
  /** How long a read may wait for Passerelle-Consistent-With, and a mutation for its own write. Default 5 s. */
  readonly consistencyTimeoutMs?: number;
  /** /ready answers 200 while every projection is live and at most this many events behind. Default 100. */
  readonly readyLagEvents?: number;
  readonly logger?: Logger;
  /** How long people are kept after their partnerships end. Default 10 years. */
  readonly retention?: RetentionPolicy;
  /** The key and policy tree heads are signed with, for a service that keeps the ledger tree (audit). */
  readonly ledgerSigning?: LedgerSigning;
}

export interface RunningService {
  readonly name: string;
  readonly port: number;
  readonly url: string;
  readonly runtime: ServiceRuntime;
  stop(): Promise<void>;
}

/**
 * A subgraph's own limits: the gateway's, with room for what its query planner adds (type names, keys) to the
 * fields a client asked for.
 */
const SUBGRAPH_LIMITS = {
  ...DEFAULT_LIMITS,
  maxTokens: DEFAULT_LIMITS.maxTokens * 2,
  maxAliases: DEFAULT_LIMITS.maxAliases * 2,
};

/** graphql-armor's refusal, reported as the validation error it is (not thrown, which reads as internal). */
function asValidationError(context: ValidationContext | null, error: GraphQLError): void {
  context?.reportError(new GraphQLError(error.message, { extensions: { code: "GRAPHQL_VALIDATION_FAILED" } }));
}

/**
 * People named in free text travel sealed in the data; every answer of the subgraph opens them on its way out
 * (or reads them as erased), so no resolver has to, and none can forget to.
 */
function openedMentions(vault: PersonalDataVault): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind === "single" && response.body.singleResult.data) {
            response.body.singleResult.data = await openMentions(response.body.singleResult.data, vault);
          }
        },
      };
    },
  };
}

/** Whether a service keeps the ledger tree, and so its signed heads (the audit service). */
export function keepsLedgerTree(definition: ServiceDefinition): boolean {
  return definition.projections.includes(ledgerTree as ProjectionDefinition);
}

export async function startService(definition: ServiceDefinition, options: ServiceOptions): Promise<RunningService> {
  const logger = options.logger ?? createLogger(definition.name);
  if (!options.storage.eventStoreConnectionString) ownerOnly(options.storage.dataDir);
  const store = openEventStore(options.storage);
  const path = readModelPath(options.storage, definition.name);
  ownerOnly(dirname(path));
  // The service's own read-model file, and one per projection that asks for a file of its own.
  const files = new Map<string, ReadModelDatabase>([[definition.name, new ReadModelDatabase(path)]]);
  const fileOf = (projection: ProjectionDefinition): ReadModelDatabase => {
    const name = projection.file ?? definition.name;
    let file = files.get(name);
    if (!file) {
      file = new ReadModelDatabase(readModelPath(options.storage, name));
      files.set(name, file);
    }
    return file;
  };
  const readModels = files.get(definition.name)!;
  const runner = new ProjectionRunner(store, fileOf, definition.projections);
  runner.start();
  // The service that keeps the ledger tree keeps its signed heads too, and signs new ones when it has the key.
  const keepsTree = keepsLedgerTree(definition);
  if (keepsTree) ownerOnly(dirname(treeHeadsPath(options.storage)));
  const treeHeads = keepsTree ? new TreeHeadLog(treeHeadsPath(options.storage)) : undefined;
  const signing = keepsTree ? options.ledgerSigning : undefined;
  const signer =
    treeHeads && signing
      ? new TreeHeadSigner(
          treeHeads,
          signing.key,
          runner,
          fileOf(ledgerTree as ProjectionDefinition),
          signing.policy,
          Date.now,
          (error) => logger.error({ err: error }, "could not sign a tree head; trying again"),
        )
      : undefined;
  signer?.start();
  const vaultFiles = personalDataFiles(options.storage);
  ownerOnly(dirname(vaultFiles.vault));
  ownerOnly(dirname(vaultFiles.erasureRegister));
  const vault = openSqlitePersonalDataVault(vaultFiles);
  const metrics = new ServiceMetrics(definition.name, runner);
  const runtime: ServiceRuntime = {
    name: definition.name,
    store: timedAppends(store, metrics.appendSeconds),
    readModels,
    readModelsOf: fileOf,
    vault,
    retention: options.retention ?? DEFAULT_RETENTION,
    runner,
    projections: definition.projections,
    ...(treeHeads ? { treeHeads } : {}),
    consistencyTimeoutMs: options.consistencyTimeoutMs ?? 5000,
    metrics,
    logger,
  };
  const { schema } = await definition.buildSubgraph();
  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    formatError: errorFormatter(logger, process.env.NODE_ENV === "development"),
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      badValueFields,
      openedMentions(vault),
    ],
    // The gateway's limits again, for whatever reaches a subgraph directly; and no field suggestions.
    parseOptions: { maxTokens: SUBGRAPH_LIMITS.maxTokens },
    validationRules: [
      maxDepthRule({ n: SUBGRAPH_LIMITS.maxDepth, propagateOnRejection: false, onReject: [asValidationError] }),
      maxAliasesRule(SUBGRAPH_LIMITS.maxAliases),
    ],
    hideSchemaDetailsFromClientErrors: true,
  });
  await apollo.start();
  const readyLag = options.readyLagEvents ?? 100;
  const makeContext = async (
    headers: Record<string, unknown>,
    outbox?: GraphQLContext["outbox"],
  ): Promise<GraphQLContext> => {
    let identity = null;
    let identityError: string | null = null;
    try {
      identity = await options.identify(typeof headers.authorization === "string" ? headers.authorization : undefined);
    } catch (error) {
      identityError = (error as Error).message;
    }
    const consistency = headers["passerelle-consistent-with"];
    const correlation = headers["x-correlation-id"];
    return {
      identity,
      identityError,
      correlationId: typeof correlation === "string" && correlation.length <= 200 ? correlation : randomUUID(),
      runtime,
      consistentWith: typeof consistency === "string" && POSITION_PATTERN.test(consistency) ? consistency : null,
      ...(outbox ? { outbox } : {}),
    };
  };
  const handler = graphqlHandler({
    apollo,
    context: (request) => makeContext(request.headers),
    routes: {
      "/health": async () => ({
        status: 200,
        body: JSON.stringify({ status: "ok", service: definition.name, pid: process.pid }),
      }),
      "/metrics": async () => ({ status: 200, body: await metrics.render(), contentType: metrics.contentType }),
      "/ready": async () => {
        const projections = await runner.status();
        const treeHeadSigner = signer?.broken ?? undefined;
        const ready = projections.every((p) => p.status === "live" && p.lagEvents <= readyLag) && !treeHeadSigner;
        return {
          status: ready ? 200 : 503,
          body: JSON.stringify({ ready, service: definition.name, projections, treeHeadSigner }),
        };
      },
      // The public key tree heads are signed with; auditors compare its id with the one the hospital publishes.
      ...(signing
        ? {
            "/.well-known/ledger-key": async () => ({
              status: 200,
              body: JSON.stringify({
                algorithm: "Ed25519",
                keyId: keyIdOf(signing.key),
                publicKey: createPublicKey(signing.key).export({ type: "spki", format: "pem" }),
              }),
            }),
          }
        : {}),
    },
  });
  const server = outlastClientKeepAlive(createServer(handler));
  // Subscriptions over graphql-ws on the same endpoint; the token comes in the connection params.
  const format = errorFormatter(logger, process.env.NODE_ENV === "development");
  const formatAll = (errors: readonly GraphQLError[]) => errors.map((error) => format(error.toJSON(), error));
  const wsServer = useServer<Record<string, unknown>>(
    {
      schema,
      context: (ctx) => {
        const params = Object.fromEntries(
          Object.entries(ctx.connectionParams ?? {}).map(([key, value]) => [key.toLowerCase(), value]),
        );
        return makeContext(
          { authorization: ctx.extra.request.headers.authorization, ...params },
          { bufferedAmount: () => ctx.extra.socket.bufferedAmount },
        );
      },
      onNext: async (_ctx, _id, _payload, _args, result) => {
        const opened = result.data ? { ...result, data: await openMentions(result.data, vault) } : result;
        return opened.errors ? { ...opened, errors: formatAll(opened.errors as GraphQLError[]) } : opened;
      },
      onError: (_ctx, _id, _payload, errors) => formatAll(errors),
    },
    new WebSocketServer({ server, path: "/graphql" }),
  );
  const port = await listen(server, options.port, options.host);
  logger.info({ port, store: store.backend, readModels: path }, `${definition.name} subgraph listening`);
  return {
    name: definition.name,
    port,
    url: `http://${options.host ?? "127.0.0.1"}:${port}/graphql`,
    runtime,
    async stop() {
      await wsServer.dispose();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await apollo.stop();
      signer?.stop();
      await runner.stop();
      treeHeads?.close();
      await vault.close();
      for (const file of files.values()) file.close();
      await store.close();
    },
  };
}
