/**
 * The other candidate gateway, for the benchmark only: Apollo Gateway serving the same checked-in supergraph,
 * forwarding the bearer token as ours does. (Ours is Hive Gateway because Apollo Gateway cannot carry the
 * analysts' subscriptions; this measures what that choice costs or saves on queries.)
 *
 *   node dist/bench/apollo-gateway.js <port> <partnerships url> <activities url> <audit url>
 * prints "listening <url>" when up.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ApolloGateway, RemoteGraphQLDataSource } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { repoRoot } from "../services/common/paths";

async function main(): Promise<void> {
  const [port, partnerships, activities, audit] = process.argv.slice(2);
  if (!port || !partnerships || !activities || !audit)
    throw new Error("usage: apollo-gateway <port> <partnerships url> <activities url> <audit url>");
  const urls: Record<string, string> = { partnerships, activities, audit };
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(join(repoRoot(), "schema", "supergraph.graphql"), "utf8"),
    buildService: ({ name }) =>
      new RemoteGraphQLDataSource<{ authorization?: string }>({
        url: urls[name],
        willSendRequest({ request, context }) {
          if (context.authorization) request.http?.headers.set("authorization", context.authorization);
        },
      }),
  });
  const server = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(server, {
    listen: { port: Number(port), host: "127.0.0.1" },
    context: async ({ req }) => ({ authorization: req.headers.authorization }),
  });
  process.stdout.write(`listening ${url}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
