/**
 * The gateway: Hive Gateway serving the checked-in supergraph at /graphql — queries and mutations over HTTP,
 * subscriptions over graphql-ws on the same endpoint (Apollo Gateway cannot execute subscriptions), GraphiQL
 * inlined (no CDN: hospital networks often block them), and abusive operations rejected before execution.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { blockFieldSuggestionsPlugin } from "@escape.tech/graphql-armor-block-field-suggestions";
import { maxDepthPlugin } from "@escape.tech/graphql-armor-max-depth";
import { maxTokensPlugin } from "@escape.tech/graphql-armor-max-tokens";
import { createGatewayRuntime, getGraphQLWSOptions } from "@graphql-hive/gateway";
import { renderGraphiQL } from "@graphql-yoga/render-graphiql";
import { normalizeNodeRequest } from "@whatwg-node/server";
import { GraphQLError, type ValidationContext, type ASTVisitor } from "graphql";
import { useServer, type Extra } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";

/** Limits that reject an operation at parse or validation time, before any subgraph is asked. */
export interface OperationLimits {
  readonly maxDepth: number;
  readonly maxTokens: number;
  readonly maxAliases: number;
  /** Demand control: estimated cost, lists assumed `listSize` long. */
  readonly maxCost: number;
  readonly listSize: number;
}

export const DEFAULT_LIMITS: OperationLimits = {
  maxDepth: 12,
  maxTokens: 3000,
  maxAliases: 30,
  maxCost: 50_000,
  listSize: 20,
};

export interface GatewayOptions {
  readonly port: number;
  readonly host?: string;
  /** The supergraph SDL (schema/supergraph.graphql). */
  readonly supergraph: string;
  /** Subgraph name → its HTTP GraphQL URL (overrides the URLs composed into the supergraph). */
  readonly subgraphUrls: Readonly<Record<string, string>>;
  readonly limits?: OperationLimits;
  /** Headers GraphiQL starts with (npm start puts a development token here). */
  readonly graphiqlHeaders?: Readonly<Record<string, string>>;
}

export interface RunningGateway {
  readonly port: number;
  readonly url: string;
  stop(): Promise<void>;
}

/** Headers that follow a request to every subgraph: identity, read-your-writes, tracing. */
const FORWARDED = ["authorization", "passerelle-consistent-with", "x-correlation-id"] as const;

function maxAliasesRule(max: number) {
  return (context: ValidationContext): ASTVisitor => {
    let aliases = 0;
    return {
      Field(node) {
        if (node.alias && ++aliases === max + 1) {
          context.reportError(
            new GraphQLError(`Too many aliases: at most ${max} per operation.`, {
              nodes: [node],
              extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
            }),
          );
        }
      },
    };
  };
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
  const runtime = createGatewayRuntime({
    supergraph: options.supergraph,
    graphqlEndpoint: "/graphql",
    logging: "warn",
    landingPage: false,
    renderGraphiQL,
    graphiql: {
      title: "Passerelle",
      subscriptionsProtocol: "WS",
      ...(options.graphiqlHeaders ? { headers: JSON.stringify(options.graphiqlHeaders, null, 2) } : {}),
    },
    maskedErrors: true,
    demandControl: { maxCost: limits.maxCost, listSize: limits.listSize },
    transportEntries,
    propagateHeaders: {
      fromClientToSubgraphs: ({ request, context }) => {
        const fromConnection = (context as { headers?: Record<string, string | undefined> }).headers ?? {};
        // Over a websocket `request` is the upgrade request; the token is then in the connection params.
        return Object.fromEntries(
          FORWARDED.flatMap((name) => {
            const value = request.headers.get(name) ?? fromConnection[name];
            return value ? [[name, value]] : [];
          }),
        );
      },
    },
    plugins: () => [
      maxTokensPlugin({ n: limits.maxTokens }),
      maxDepthPlugin({ n: limits.maxDepth, propagateOnRejection: false, onReject: [asValidationError as never] }),
      blockFieldSuggestionsPlugin(),
      {
        onValidate: ({ addValidationRule }: { addValidationRule: (rule: ReturnType<typeof maxAliasesRule>) => void }) =>
          addValidationRule(maxAliasesRule(limits.maxAliases)),
      },
    ],
  });
  const server: Server = createServer(runtime);
  const sockets = new WebSocketServer({ server, path: "/graphql" });
  const wsServer = useServer(
    getGraphQLWSOptions<Record<string, unknown>, Extra>(runtime, (context) => ({
      req: context.extra.request,
      socket: context.extra.socket,
      request: normalizeNodeRequest(context.extra.request, runtime.fetchAPI),
      // Header names are case-insensitive; connection params are not: normalize them.
      connectionParams: Object.fromEntries(
        Object.entries(context.connectionParams ?? {}).map(([key, value]) => [key.toLowerCase(), value]),
      ),
    })),
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
