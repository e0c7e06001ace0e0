/**
 * The gateway: Hive Gateway serving the checked-in supergraph at /graphql — queries and mutations over HTTP,
 * subscriptions over graphql-ws on the same endpoint (Apollo Gateway cannot execute subscriptions), GraphiQL
 * inlined (no CDN: hospital networks often block them), and abusive operations rejected before execution.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { blockFieldSuggestionsPlugin } from "@escape.tech/graphql-armor-block-field-suggestions";
import { maxDepthPlugin } from "@escape.tech/graphql-armor-max-depth";
import { maxTokensPlugin } from "@escape.tech/graphql-armor-max-tokens";
import { createGatewayRuntime, getGraphQLWSOptions } from "@graphql-hive/gateway";
import { renderGraphiQL } from "@graphql-yoga/render-graphiql";
import { normalizeNodeRequest } from "@whatwg-node/server";
import {
  GraphQLError,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
  type ValidationContext,
} from "graphql";
import type { PromiseOrValue } from "graphql/jsutils/PromiseOrValue";
import { useServer, type Extra } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import { POSITION_PATTERN } from "../../events/envelope";
import type { Identify } from "../common/auth";
import { MAX_BODY_BYTES, outlastClientKeepAlive } from "../common/graphql/http";
import { jsonBoundsProblem, jsonBoundsRefusal } from "../common/graphql/json-bounds";
import {
  DEFAULT_LIMITS,
  DEFAULT_MAX_RESPONSE_BYTES,
  estimateCost,
  maxAliasesRule,
  operationOf,
  responseTooLarge,
  tooExpensive,
  type OperationLimits,
} from "../common/graphql/limits";
import { serveConsole, type ConsoleOptions } from "./console";
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
 * Live subscriptions one user (token subject) may hold at once across all their sockets to this gateway
 * process (PASSERELLE_MAX_SUBSCRIPTIONS_PER_USER): three consoles' worth. Without it, one account could open
 * sockets until the gateway and the audit service ran out of memory.
 */
export const MAX_SUBSCRIPTIONS_PER_USER = 30;

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
  /** The largest serialized answer sent; bigger ones get RESPONSE_TOO_LARGE. Default DEFAULT_MAX_RESPONSE_BYTES. */
  readonly maxResponseBytes?: number;
  /** Default MAX_SUBSCRIPTIONS_PER_USER. */
  readonly maxSubscriptionsPerUser?: number;
  /** Checks a token as the subgraphs do (auth.ts `tokenVerifier`): whose subscriptions count against whom. */
  readonly identify: Identify;
  /** CORS origins and host names the gateway answers to (see web-guard.ts). */
  readonly web?: WebGuardOptions;
  /** The console served at `/` (console.ts); none when it is not built. */
  readonly console?: ConsoleOptions;
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

interface OperationArgs {
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
  readonly variableValues?: Readonly<Record<string, unknown>> | null;
  readonly operationName?: string | null;
}

/**
 * Demand control over the whole operation, before it is planned. Hive Gateway's own (`demandControl`) prices
 * each subgraph request apart, where an entity fetch counts once however many entities it carries: a list
 * whose items come from another subgraph would count as one item there.
 */
function costLimit(limits: OperationLimits) {
  const check = ({
    args,
    setResultAndStopExecution,
  }: {
    args: OperationArgs;
    setResultAndStopExecution: (result: ExecutionResult) => void;
  }) => {
    const operation = operationOf(args.document, args.operationName);
    if (!operation) return;
    const cost = estimateCost({ schema: args.schema, ...operation, variables: args.variableValues }, limits.listSize);
    if (cost > limits.maxCost) setResultAndStopExecution({ errors: [tooExpensive(cost, limits.maxCost)] });
  };
  return { onExecute: check, onSubscribe: check };
}

/**
 * An answer longer than `max` bytes once serialized is replaced by RESPONSE_TOO_LARGE, before it is sent: the
 * cost limit bounds what is asked, this bounds what lists turned out to hold.
 */
function boundedResponses(max: number) {
  return {
    onExecute: () => ({
      onExecuteDone: ({ result, setResult }: { result: unknown; setResult: (result: ExecutionResult) => void }) => {
        if (Symbol.asyncIterator in (result as object)) return;
        const bytes = Buffer.byteLength(JSON.stringify(result));
        if (bytes > max) setResult({ data: null, errors: [responseTooLarge(bytes, max)] });
      },
    }),
  };
}

/** Network failures as Node and the runtime word them: they carry the address that failed. */
const NETWORK_FAILURE =
  /\b(?:ECONNREFUSED|ECONNRESET|ECONNABORTED|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|EPIPE)\b|socket hang up/i;

/**
 * Turns errors that would show a subgraph's address (`connect ECONNREFUSED 10.0.3.7:4003`, a subgraph URL)
 * into SERVICE_UNAVAILABLE: the runtime words an unreachable subgraph that way, unmasked, in subscriptions
 * over websockets and SSE. Every other error passes as it is.
 */
export function addressScrubber(subgraphUrls: Readonly<Record<string, string>>) {
  const addresses = Object.values(subgraphUrls).map((url) => new URL(url).host.toLowerCase());
  const leaks = (text: string) => {
    const lower = text.toLowerCase();
    return NETWORK_FAILURE.test(text) || addresses.some((address) => lower.includes(address));
  };
  const scrub = <E extends { message: string; path?: unknown; locations?: unknown; extensions?: unknown }>(
    error: E,
  ): E | GraphQLError => {
    if (!leaks(error.message) && !leaks(JSON.stringify(error.extensions ?? {}))) return error;
    return new GraphQLError("A service behind the gateway could not be reached; retry shortly.", {
      path: Array.isArray(error.path) ? (error.path as Array<string | number>) : undefined,
      extensions: { code: "SERVICE_UNAVAILABLE" },
    });
  };
  const scrubResult = <R extends { errors?: readonly { message: string }[] | null }>(result: R): R =>
    result.errors?.some((e) => scrub(e) !== e) ? { ...result, errors: result.errors.map(scrub) } : result;
  type Hook = { result: unknown; setResult: (result: never) => void };
  const onResult = ({ result, setResult }: Hook) => {
    if (Symbol.asyncIterator in (result as object)) {
      return {
        onNext: ({ result: next, setResult: replace }: Hook) => {
          const safe = scrubResult(next as ExecutionResult);
          if (safe !== next) replace(safe as never);
        },
      };
    }
    const safe = scrubResult(result as ExecutionResult);
    if (safe !== result) setResult(safe as never);
    return undefined;
  };
  return {
    scrub,
    scrubResult,
    plugin: {
      onExecute: () => ({ onExecuteDone: onResult }),
      onSubscribe: () => ({
        onSubscribeResult: onResult,
        // A source stream that throws is written out by the transport (SSE) as it is: replace the error.
        onSubscribeError: ({ error, setError }: { error: unknown; setError: (error: unknown) => void }) => {
          if (error instanceof Error && scrub(error) !== error) setError(scrub(error));
        },
      }),
    },
  };
}

/** A header as the subgraphs get it: the request's, or over a websocket the connection params'. */
function forwardedHeader(request: Request, context: unknown, name: string): string | undefined {
  const fromConnection = (context as { headers?: Record<string, string | undefined> }).headers ?? {};
  return request.headers.get(name) ?? fromConnection[name];
}

/** The token a socket carries in its connection params, under any case of the name (onConnect allows one). */
function socketToken(connectionParams: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const [, token] = Object.entries(connectionParams ?? {}).find(([key]) => key.toLowerCase() === "authorization") ?? [];
  return typeof token === "string" ? token : undefined;
}

/**
 * Live subscriptions per user — the actor of the token the subgraphs get, verified here as they verify it —
 * across every socket and stream to this gateway process. Websockets take places in their own hook (a refusal
 * is graphql-ws's error message); everything else (SSE) through `subscriptionQuotaPlugin`.
 */
class SubscriptionQuota {
  private readonly held = new Map<string, number>();
  constructor(
    readonly max: number,
    private readonly identify: Identify,
  ) {}

  /**
   * A place for the token's user, and the function that gives it back (once); a refusal when they hold `max`.
   * A token that does not verify takes no place: the subgraph refuses the subscription itself.
   */
  async take(authorization: string | undefined): Promise<(() => void) | GraphQLError> {
    const user = await this.identify(authorization).then(
      (identity) => identity?.actor,
      () => undefined,
    );
    if (user === undefined) return () => undefined;
    const count = this.held.get(user) ?? 0;
    if (count >= this.max) {
      return new GraphQLError(`At most ${this.max} live subscriptions per user, across all their connections.`, {
        extensions: { code: "TOO_MANY_SUBSCRIPTIONS" },
      });
    }
    this.held.set(user, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.held.get(user) ?? 1) - 1;
      if (left > 0) this.held.set(user, left);
      else this.held.delete(user);
    };
  }
}

/** Marks the context of a websocket's operations: the socket's own hooks count them. */
const OVER_WEBSOCKET = "passerelleOverWebSocket";

type Subscribe = (args: ExecutionArgs) => PromiseOrValue<AsyncIterableIterator<ExecutionResult> | ExecutionResult>;

/** The quota for subscriptions that do not come over a websocket: given back when the stream ends, however. */
function subscriptionQuotaPlugin(quota: SubscriptionQuota) {
  return {
    onSubscribe: async ({
      args,
      subscribeFn,
      setSubscribeFn,
      setResultAndStopExecution,
    }: {
      args: ExecutionArgs;
      subscribeFn: Subscribe;
      setSubscribeFn: (subscribe: Subscribe) => void;
      setResultAndStopExecution: (result: ExecutionResult) => void;
    }) => {
      const context = args.contextValue as { request: Request; [OVER_WEBSOCKET]?: true };
      if (context[OVER_WEBSOCKET]) return undefined;
      const place = await quota.take(forwardedHeader(context.request, context, "authorization"));
      if (place instanceof GraphQLError) {
        setResultAndStopExecution({ errors: [place] });
        return undefined;
      }
      setSubscribeFn(async (subscribeArgs) => {
        try {
          return await subscribeFn(subscribeArgs);
        } catch (error) {
          place();
          throw error;
        }
      });
      return {
        onSubscribeResult: ({ result }: { result: unknown }) => {
          if (!(Symbol.asyncIterator in (result as object))) return place();
          return { onEnd: place };
        },
      };
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

/** Where the public key of the ledger's tree heads is published (the audit service holds it). */
export const LEDGER_KEY_PATH = "/.well-known/ledger-key";

async function relayLedgerKey(auditUrl: string, response: ServerResponse): Promise<void> {
  try {
    const answer = await fetch(new URL(LEDGER_KEY_PATH, auditUrl), { signal: AbortSignal.timeout(5000) });
    response.writeHead(answer.status, { "content-type": "application/json; charset=utf-8" });
    response.end(await answer.text());
  } catch {
    response.writeHead(503, { "content-type": "application/json; charset=utf-8" });
    response.end(JSON.stringify({ error: "The audit service is unavailable.", code: "SERVICE_UNAVAILABLE" }));
  }
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const quota = new SubscriptionQuota(options.maxSubscriptionsPerUser ?? MAX_SUBSCRIPTIONS_PER_USER, options.identify);
  const host = options.host ?? "127.0.0.1";
  const addresses = addressScrubber(options.subgraphUrls);
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
    // Hive's demand control, per subgraph request, from the same @listSize/@cost; costLimit prices the whole.
    demandControl: { maxCost: limits.maxCost, listSize: limits.listSize },
    transportEntries,
    propagateHeaders: {
      fromClientToSubgraphs: ({ request, context }) => {
        const fromConnection = (context as { headers?: Record<string, string | undefined> }).headers ?? {};
        // Over a websocket `request` is the upgrade request; the token is then in the connection params.
        return {
          ...Object.fromEntries(
            FORWARDED.flatMap((name) => {
              const value = forwardedHeader(request, context, name);
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
      costLimit(limits),
      boundedResponses(options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES),
      addresses.plugin,
      {
        onValidate: ({ addValidationRule }: { addValidationRule: (rule: ReturnType<typeof maxAliasesRule>) => void }) =>
          addValidationRule(maxAliasesRule(limits.maxAliases)),
      },
      // Last: an operation another plugin stops never takes a place.
      subscriptionQuotaPlugin(quota),
    ],
  });
  // Load the supergraph now: a websocket's first subscription must not find the schema still unloaded.
  await runtime.getSchema();
  const server: Server = createServer((request, response) => {
    if (request.method === "GET" && request.url === LEDGER_KEY_PATH && options.subgraphUrls.audit) {
      return void relayLedgerKey(options.subgraphUrls.audit, response);
    }
    if (options.console && (request.method === "GET" || request.method === "HEAD")) {
      if (!guard.hostAllowed(request.headers.host)) {
        response.writeHead(403, { "content-type": "text/plain; charset=utf-8" });
        return void response.end("This gateway does not answer to that host name.");
      }
      if (serveConsole(options.console, request, response)) return;
    }
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
    [OVER_WEBSOCKET]: true,
    request: normalizeNodeRequest(context.extra.request, runtime.fetchAPI),
    // Header names are case-insensitive; connection params are not: normalize them.
    connectionParams: Object.fromEntries(
      Object.entries(context.connectionParams ?? {}).map(([key, value]) => [key.toLowerCase(), value]),
    ),
  }));
  /** Each socket's subscriptions by id, with the function that gives their user's place back. */
  const open = new WeakMap<object, Map<string, () => void>>();
  const release = (socket: object, id: string) => {
    open.get(socket)?.get(id)?.();
    open.get(socket)?.delete(id);
  };
  const wsServer = useServer(
    {
      ...wsOptions,
      // An anonymous socket is closed at once (4403): it could only ever be refused, and would hold a slot.
      // One token per socket, the same in the upgrade request if it has one: the token the subgraphs verify is
      // then the one the per-user count reads.
      onConnect: (context) => {
        const tokens = Object.entries(context.connectionParams ?? {}).filter(
          ([key]) => key.toLowerCase() === "authorization",
        );
        const header = context.extra.request.headers.authorization;
        return (
          tokens.length === 1 && typeof tokens[0]![1] === "string" && (header === undefined || header === tokens[0]![1])
        );
      },
      onSubscribe: async (context, id, payload) => {
        const ids = open.get(context.extra.socket) ?? new Map<string, () => void>();
        open.set(context.extra.socket, ids);
        if (ids.size >= MAX_SUBSCRIPTIONS_PER_SOCKET) {
          return [
            new GraphQLError(`At most ${MAX_SUBSCRIPTIONS_PER_SOCKET} subscriptions per connection.`, {
              extensions: { code: "TOO_MANY_SUBSCRIPTIONS" },
            }),
          ];
        }
        // The socket's place is held while the user's is looked up, so concurrent subscribes cannot both pass.
        ids.set(id, () => undefined);
        const place = await quota.take(socketToken(context.connectionParams));
        if (place instanceof GraphQLError) {
          ids.delete(id);
          return [place];
        }
        if (!ids.has(id)) {
          place(); // the socket closed meanwhile: nothing to serve
          return [new GraphQLError("The connection closed.")];
        }
        ids.set(id, place);
        return wsOptions.onSubscribe!(context, id, payload);
      },
      onComplete: (context, id) => release(context.extra.socket, id),
      onError: (context, id, _payload, errors) => {
        release(context.extra.socket, id);
        return errors.map((error) => addresses.scrub(error).toJSON());
      },
      onClose: (context) => {
        for (const id of [...(open.get(context.extra.socket)?.keys() ?? [])]) release(context.extra.socket, id);
      },
      subscribe: async (args) => inPositionOrder(await wsOptions.subscribe!(args)),
      onNext: (context, ...rest) => {
        const socket = context.extra.socket;
        if (socket.bufferedAmount > SLOW_CONSUMER_BYTES) {
          socket.close(SLOW_CONSUMER_CLOSE_CODE, "Slow consumer: resubscribe after the last position you processed");
        }
        const result = rest[3];
        const safe = addresses.scrubResult(result);
        return safe === result ? wsOptions.onNext?.(context, ...rest) : safe;
      },
    },
    sockets,
  );
  outlastClientKeepAlive(server);
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
