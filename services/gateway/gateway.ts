/**
 * The gateway: Hive Gateway serving the checked-in supergraph at /graphql — queries and mutations over HTTP,
 * subscriptions over graphql-ws on the same endpoint (Apollo Gateway cannot execute subscriptions), GraphiQL
 * inlined (no CDN: hospital networks often block them), and abusive operations rejected before execution.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { blockFieldSuggestionsPlugin } from "@escape.tech/graphql-armor-block-field-suggestions";
import { maxDepthPlugin } from "@escape.tech/graphql-armor-max-depth";
import { maxTokensPlugin } from "@escape.tech/graphql-armor-max-tokens";
import { createGatewayRuntime, getGraphQLWSOptions } from "@graphql-hive/gateway";
import { renderGraphiQL } from "@graphql-yoga/render-graphiql";
import { normalizeNodeRequest } from "@whatwg-node/server";
import { GraphQLError, type ExecutionResult, type ValidationContext } from "graphql";
import { useServer, type Extra } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import { POSITION_PATTERN } from "../../events/envelope";
import { MAX_BODY_BYTES } from "../common/graphql/http";
import { jsonBoundsProblem, jsonBoundsRefusal } from "../common/graphql/json-bounds";
import { DEFAULT_LIMITS, maxAliasesRule, type OperationLimits } from "../common/graphql/limits";
import { webGuard, type WebGuardOptions } from "./web-guard";

/**
 * A subscriber that lets more than this wait unsent on its socket is cut off (close code 4499, reason naming
 * it): the gateway does not buffer without bound for one slow client. It resubscribes from the last position
 * it processed and loses nothing; writers and other subscribers never wait for it.
 */
export const SLOW_CONSUMER_BYTES = 8 * 1024 * 1024;

/** Live subscriptions one socket may hold at once: a feed and a few statistics is what a console needs. */
export const MAX_SUBSCRIPTIONS_PER_SOCKET = 10;
export const SLOW_CONSUMER_CLOSE_CODE = 4499;

/**
 * Subscription payloads that carry a log position (eventFeed, statisticsUpdated) reach a client in strictly
 * increasing position order. When a subgraph restarts, the gateway's websocket client reconnects and repeats
 * the original subscription, which replays from the position first asked: what the client already has is
 * dropped here, so it sees no duplicate and, since the replay covers everything after, no gap.
 */
export function inPositionOrder<T>(results: T): T {
  const iterable = results as unknown as AsyncIterable<{
    data?: Record<string, { position?: unknown } | null> | null;
  }> | null;
  if (!iterable || typeof iterable[Symbol.asyncIterator] !== "function") return results;
  const source = iterable[Symbol.asyncIterator]();
  let last: bigint | undefined;
  const ordered: AsyncIterableIterator<unknown> = {
    [Symbol.asyncIterator]: () => ordered,
    async next() {
      for (;;) {
        const result = await source.next();
        if (result.done) return result;
        const root = Object.values(result.value.data ?? {})[0];
        const position =
          typeof root?.position === "string" && POSITION_PATTERN.test(root.position)
            ? BigInt(root.position)
            : undefined;
        if (position === undefined) return result;
        if (last !== undefined && position <= last) continue;
        last = position;
        return result;
      }
    },
    return: async () => (source.return ? source.return() : { done: true, value: undefined }),
  };
  return ordered as T;
}

export interface GatewayOptions {
  readonly port: number;
  readonly host?: string;
  /** The supergraph SDL (schema/supergraph.graphql). */
  readonly supergraph: string;
  /** Subgraph name → its HTTP GraphQL URL (overrides the URLs composed into the supergraph). */
  readonly subgraphUrls: Readonly<Record<string, string>>;
  readonly limits?: OperationLimits;
  /** CORS origins and host names the gateway answers to (see web-guard.ts). */
  readonly web?: WebGuardOptions;
}

export interface RunningGateway {
  readonly port: number;
  readonly url: string;
  stop(): Promise<void>;
}

/** Headers that follow a request to every subgraph: identity, read-your-writes. */
const FORWARDED = ["authorization", "passerelle-consistent-with"] as const;

/**
 * Every request gets a correlation id — the client's `X-Correlation-Id`, or a new one — sent to each subgraph
 * it reaches and back to the client: it ends up in the metadata of the events the request's commands append
 * and in every log line about them.
 */
const correlationIds = new WeakMap<object, string>();
function correlationOf(request: Request, fromConnection: Record<string, string | undefined> = {}): string {
  let id = request.headers.get("x-correlation-id") ?? fromConnection["x-correlation-id"] ?? correlationIds.get(request);
  if (!id || id.length > 200) id = randomUUID();
  correlationIds.set(request, id);
  return id;
}

/**
 * graphql-js reports a bad variable value ("Variable "$input" got invalid value …") with no code, and clients
 * are promised one on every refusal. An error of the whole request (no path) that has no code is about what
 * the client sent: BAD_USER_INPUT.
 */
function typedRequestErrors() {
  const typed = (error: GraphQLError) =>
    error.path !== undefined || error.extensions?.code !== undefined
      ? error
      : new GraphQLError(error.message, {
          nodes: error.nodes,
          source: error.source,
          positions: error.positions,
          originalError: error.originalError,
          extensions: { ...error.extensions, code: "BAD_USER_INPUT" },
        });
  return {
    onExecute: () => ({
      onExecuteDone: ({ result, setResult }: { result: unknown; setResult: (result: ExecutionResult) => void }) => {
        const { errors } = result as ExecutionResult;
        if (Symbol.asyncIterator in (result as object) || !errors?.some((e) => typed(e) !== e)) return;
        setResult({ ...(result as ExecutionResult), errors: errors.map(typed) });
      },
    }),
  };
}

/** Variables past the JSON bounds are refused before the gateway parses, validates or plans anything. */
function boundedVariables() {
  return {
    onParams: ({
      params,
      setResult,
    }: {
      params: { variables?: unknown };
      setResult: (result: ExecutionResult) => void;
    }) => {
      const problem = jsonBoundsProblem(params.variables);
      if (problem) {
        const { message, extensions } = jsonBoundsRefusal(problem);
        setResult({ errors: [new GraphQLError(message, { extensions })] });
      }
    },
  };
}

/** A POST that is not JSON gets a GraphQL error saying so (the server alone answers 415 with an empty body). */
function typedUnsupportedMediaType() {
  return {
    onRequest: ({ request, endResponse }: { request: Request; endResponse: (response: Response) => void }) => {
      const type = request.headers.get("content-type") ?? "";
      if (request.method !== "POST" || /json|graphql|multipart\/form-data/i.test(type)) return;
      const message = `Send the operation as JSON (Content-Type: application/json), not ${type || "without a content type"}.`;
      endResponse(
        new Response(JSON.stringify({ errors: [{ message, extensions: { code: "BAD_REQUEST" } }] }), {
          status: 415,
          headers: { "content-type": "application/json; charset=utf-8" },
        }),
      );
    },
  };
}

/**
 * A body refused before it is read, at the subgraphs' bound (the runtime alone would take 25 MB): too long by
 * its Content-Length, or of no declared length.
 */
function bodyRefusal(request: IncomingMessage): { status: number; message: string } | null {
  if (request.method !== "POST") return null;
  const length = request.headers["content-length"];
  if (length === undefined) return { status: 411, message: "Send a Content-Length with the request body." };
  if (!/^\d+$/.test(length) || Number(length) > MAX_BODY_BYTES) {
    return { status: 413, message: `The request body must be at most ${MAX_BODY_BYTES} bytes.` };
  }
  return null;
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const host = options.host ?? "127.0.0.1";
  const asValidationError = (context: ValidationContext | null, error: GraphQLError) =>
    context?.reportError(new GraphQLError(error.message, { extensions: { code: "GRAPHQL_VALIDATION_FAILED" } }));
  const transportEntries = Object.fromEntries(
    Object.entries(options.subgraphUrls).map(([name, url]) => [
      name,
      {
        location: url,
        options: {
          subscriptions: {
            kind: "ws",
            location: url.replace(/^http/, "ws"),
            // The client's token travels in graphql-ws connectionParams; pass it on to the subgraph the same way.
            options: { connectionParams: { authorization: "{context.headers.authorization}" } },
          },
        },
      },
    ]),
  );
  const guard = webGuard(options.web);
  const runtime = createGatewayRuntime({
    supergraph: options.supergraph,
    graphqlEndpoint: "/graphql",
    // The same health endpoints as every subgraph: /health (up), /ready (supergraph loaded).
    healthCheckEndpoint: "/health",
    readinessCheckEndpoint: "/ready",
    logging: "warn",
    landingPage: false,
    renderGraphiQL,
    // No token in the page: GraphiQL asks for one (its Headers tab), so no other page can borrow it.
    graphiql: { title: "Passerelle", subscriptionsProtocol: "WS" },
    cors: (request) => guard.cors(request),
    maskedErrors: true,
    demandControl: { maxCost: limits.maxCost, listSize: limits.listSize },
    transportEntries,
    propagateHeaders: {
      fromClientToSubgraphs: ({ request, context }) => {
        const fromConnection = (context as { headers?: Record<string, string | undefined> }).headers ?? {};
        // Over a websocket `request` is the upgrade request; the token is then in the connection params.
        return {
          ...Object.fromEntries(
            FORWARDED.flatMap((name) => {
              const value = request.headers.get(name) ?? fromConnection[name];
              return value ? [[name, value]] : [];
            }),
          ),
          "x-correlation-id": correlationOf(request, fromConnection),
        };
      },
    },
    plugins: () => [
      guard.plugin,
      {
        onResponse: ({ request, response }: { request: Request; response: Response }) =>
          response.headers.set("x-correlation-id", correlationOf(request)),
      },
      maxTokensPlugin({ n: limits.maxTokens }),
      maxDepthPlugin({ n: limits.maxDepth, propagateOnRejection: false, onReject: [asValidationError as never] }),
      blockFieldSuggestionsPlugin(),
      typedRequestErrors(),
      typedUnsupportedMediaType(),
      boundedVariables(),
      {
        onValidate: ({ addValidationRule }: { addValidationRule: (rule: ReturnType<typeof maxAliasesRule>) => void }) =>
          addValidationRule(maxAliasesRule(limits.maxAliases)),
      },
    ],
  });
  // Load the supergraph now: a websocket's first subscription must not find the schema still unloaded.
  await runtime.getSchema();
  const server: Server = createServer((request, response) => {
    const refusal = bodyRefusal(request);
    if (!refusal) return void runtime(request, response);
    response.writeHead(refusal.status, { "content-type": "application/json; charset=utf-8", connection: "close" });
    response.end(JSON.stringify({ errors: [{ message: refusal.message, extensions: { code: "BAD_REQUEST" } }] }));
  });
  const sockets = new WebSocketServer({
    server,
    path: "/graphql",
    verifyClient: ({ req }: { req: IncomingMessage }) => guard.verifyUpgrade(req),
  });
  const wsOptions = getGraphQLWSOptions<Record<string, unknown>, Extra>(runtime, (context) => ({
    req: context.extra.request,
    socket: context.extra.socket,
    request: normalizeNodeRequest(context.extra.request, runtime.fetchAPI),
    // Header names are case-insensitive; connection params are not: normalize them.
    connectionParams: Object.fromEntries(
      Object.entries(context.connectionParams ?? {}).map(([key, value]) => [key.toLowerCase(), value]),
    ),
  }));
  const open = new WeakMap<object, Set<string>>();
  const wsServer = useServer(
    {
      ...wsOptions,
      // An anonymous socket is closed at once (4403): it could only ever be refused, and would hold a slot.
      onConnect: (context) =>
        Object.entries(context.connectionParams ?? {}).some(
          ([key, value]) => key.toLowerCase() === "authorization" && typeof value === "string",
        ),
      onSubscribe: (context, id, payload) => {
        const ids = open.get(context.extra.socket) ?? new Set<string>();
        open.set(context.extra.socket, ids);
        if (ids.size >= MAX_SUBSCRIPTIONS_PER_SOCKET) {
          return [
            new GraphQLError(`At most ${MAX_SUBSCRIPTIONS_PER_SOCKET} subscriptions per connection.`, {
              extensions: { code: "TOO_MANY_SUBSCRIPTIONS" },
            }),
          ];
        }
        ids.add(id);
        return wsOptions.onSubscribe!(context, id, payload);
      },
      onComplete: (context, id) => {
        open.get(context.extra.socket)?.delete(id);
      },
      onError: (context, id) => {
        open.get(context.extra.socket)?.delete(id);
      },
      subscribe: async (args) => inPositionOrder(await wsOptions.subscribe!(args)),
      onNext: (context, ...rest) => {
        const socket = context.extra.socket;
        if (socket.bufferedAmount > SLOW_CONSUMER_BYTES) {
          socket.close(SLOW_CONSUMER_CLOSE_CODE, "Slow consumer: resubscribe after the last position you processed");
        }
        return wsOptions.onNext?.(context, ...rest);
      },
    },
    sockets,
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://${host}:${port}/graphql`,
    async stop() {
      await wsServer.dispose();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runtime.dispose();
    },
  };
}
