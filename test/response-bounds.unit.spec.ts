/**
 * A subgraph's own bound on the size of what it answers (services/common/graphql/http.ts): past it, callers
 * (the gateway first) get RESPONSE_TOO_LARGE, not megabytes to read and parse.
 */
import { HeaderMap, type ApolloServer, type BaseContext } from "@apollo/server";
import { createServer, graphqlHandler, listen, MAX_RESPONSE_BYTES } from "../services/common/graphql/http";
import { DEFAULT_MAX_RESPONSE_BYTES } from "../services/common/graphql/limits";

/** Stands in for Apollo Server: answers a body of `bytes` characters whatever it is asked. */
function answering(bytes: number): ApolloServer<BaseContext> {
  const string = JSON.stringify({ data: { text: "x".repeat(Math.max(0, bytes - 20)) } });
  return {
    executeHTTPGraphQLRequest: async () => ({
      status: 200,
      headers: new HeaderMap([["content-type", "application/json; charset=utf-8"]]),
      body: { kind: "complete", string },
    }),
  } as unknown as ApolloServer<BaseContext>;
}

async function ask(apollo: ApolloServer<BaseContext>, maxResponseBytes?: number) {
  const server = createServer(
    graphqlHandler({ apollo, context: async () => ({}), ...(maxResponseBytes ? { maxResponseBytes } : {}) }),
  );
  const port = await listen(server, 0);
  try {
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ text }" }),
    });
    return { status: response.status, text: await response.text() };
  } finally {
    server.close();
  }
}

describe("a subgraph's answers", () => {
  it("are sent whole up to the bound", async () => {
    const answer = await ask(answering(50_000), 64 * 1024);
    expect(answer.status).toBe(200);
    expect(answer.text.length).toBeGreaterThan(49_000);
  });

  it("past it, are RESPONSE_TOO_LARGE with the size and the bound", async () => {
    const answer = await ask(answering(100_000), 64 * 1024);
    expect(answer.status).toBe(200);
    const body = JSON.parse(answer.text) as { data: unknown; errors: Array<{ extensions: Record<string, unknown> }> };
    expect(body.data).toBeNull();
    expect(body.errors.map((e) => e.extensions.code)).toEqual(["RESPONSE_TOO_LARGE"]);
    expect(body.errors[0]!.extensions).toMatchObject({ max: 64 * 1024 });
    expect(body.errors[0]!.extensions.bytes).toBeGreaterThan(64 * 1024);
  });

  it("are bounded by default, above what the gateway sends by default", async () => {
    expect(MAX_RESPONSE_BYTES).toBeGreaterThan(DEFAULT_MAX_RESPONSE_BYTES);
    const answer = await ask(answering(MAX_RESPONSE_BYTES + 1));
    expect(answer.text).toContain("RESPONSE_TOO_LARGE");
  });
});
