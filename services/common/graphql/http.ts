/**
 * Serves a subgraph over node:http: POST/GET /graphql through Apollo Server, plus /health (the process is up)
 * and /ready (its read models are within the lag threshold) — no web framework needed for that.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { HeaderMap, type ApolloServer, type BaseContext } from "@apollo/server";
import { jsonBoundsProblem, jsonBoundsRefusal } from "./json-bounds";
import { responseTooLarge } from "./limits";

export interface HttpRoutes<TContext extends BaseContext> {
  readonly apollo: ApolloServer<TContext>;
  readonly context: (request: IncomingMessage) => Promise<TContext>;
  /** Extra GET routes (`/health`, `/ready`, `/metrics`): status and body. */
  readonly routes?: Readonly<Record<string, () => Promise<{ status: number; body: string; contentType?: string }>>>;
  /** The largest answer sent; a bigger one is replaced by RESPONSE_TOO_LARGE. Default MAX_RESPONSE_BYTES. */
  readonly maxResponseBytes?: number;
}

/** The largest request body any Passerelle server reads: an operation and its variables fit in 1 MiB. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The largest answer a subgraph sends: four times the gateway's default bound, so what the gateway would send
 * fits, while no caller (the gateway included) has to read and parse more.
 */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw Object.assign(new Error("request body too large"), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function graphqlHandler<TContext extends BaseContext>({
  apollo,
  context,
  routes = {},
  maxResponseBytes = MAX_RESPONSE_BYTES,
}: HttpRoutes<TContext>) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? "/", "http://localhost");
    try {
      const route = request.method === "GET" ? routes[url.pathname] : undefined;
      if (route) {
        const { status, body, contentType } = await route();
        response.writeHead(status, { "content-type": contentType ?? "application/json" }).end(body);
        return;
      }
      if (url.pathname !== "/graphql") {
        response.writeHead(404, { "content-type": "text/plain" }).end("not found");
        return;
      }
      const headers = new HeaderMap();
      for (const [name, value] of Object.entries(request.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
      }
      const text = request.method === "POST" ? await readBody(request) : "";
      let body: unknown = text;
      if (text && (headers.get("content-type") ?? "").includes("application/json")) {
        try {
          body = JSON.parse(text);
        } catch {
          response
            .writeHead(400, { "content-type": "application/json" })
            .end(JSON.stringify({ errors: [{ message: "body is not JSON", extensions: { code: "BAD_REQUEST" } }] }));
          return;
        }
      }
      const variables = (body as { variables?: unknown } | null)?.variables;
      const problem = typeof body === "object" ? jsonBoundsProblem(variables) : null;
      if (problem) {
        response
          .writeHead(400, { "content-type": "application/json" })
          .end(JSON.stringify({ errors: [jsonBoundsRefusal(problem)] }));
        return;
      }
      const result = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: request.method ?? "GET", headers, search: url.search, body },
        context: () => context(request),
      });
      const outgoing: Record<string, string> = {};
      for (const [name, value] of result.headers) outgoing[name] = value;
      response.writeHead(result.status ?? 200, outgoing);
      if (result.body.kind === "complete") {
        const bytes = Buffer.byteLength(result.body.string);
        if (bytes <= maxResponseBytes) response.end(result.body.string);
        else response.end(JSON.stringify({ data: null, errors: [responseTooLarge(bytes, maxResponseBytes)] }));
      } else {
        for await (const chunk of result.body.asyncIterator) response.write(chunk);
        response.end();
      }
    } catch (error) {
      const status = (error as { status?: number }).status ?? 500;
      if (!response.headersSent) response.writeHead(status, { "content-type": "application/json" });
      response.end(
        JSON.stringify({
          errors: [
            {
              message: status === 413 ? "request body too large" : "internal error",
              extensions: { code: status === 413 ? "BAD_REQUEST" : "INTERNAL_SERVER_ERROR" },
            },
          ],
        }),
      );
    }
  };
}

/** Listens on `port` (0 for any free port) and resolves with the server and its actual port. */
export function listen(server: Server, port: number, host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

export { createServer };

/**
 * Idle keep-alive connections outlive the clients' own (undici closes its idle ones after 4 s, proxies after up
 * to 60 s): with Node's default 5 s, a client whose timer runs late under load reuses a socket at the moment the
 * server closes it, and its request fails with "other side closed".
 */
export function outlastClientKeepAlive(server: Server): Server {
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return server;
}
