/**
 * The floor of any gateway, for the benchmark only: one extra hop that does nothing but relay. It reads the
 * request's body, sends it to the subgraph over a kept-alive connection and relays the answer, with no
 * parsing, validation, planning, authentication or limits. What a gateway costs above this is its own work.
 *
 *   node dist/bench/pass-through.js <port> <subgraph url>
 * prints "listening <url>" when up.
 */
import { Agent, createServer, request } from "node:http";

function main(): void {
  const [port, target] = process.argv.slice(2);
  if (!port || !target) throw new Error("usage: pass-through <port> <subgraph url>");
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const body = Buffer.concat(chunks);
      const forwarded = request(
        {
          agent,
          host: upstream.hostname,
          port: upstream.port,
          path: upstream.pathname,
          method: incoming.method,
          headers: {
            "content-type": incoming.headers["content-type"] ?? "application/json",
            "content-length": body.length,
            ...(incoming.headers.authorization ? { authorization: incoming.headers.authorization } : {}),
          },
        },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, { "content-type": answer.headers["content-type"] ?? "" });
          answer.pipe(outgoing);
        },
      );
      forwarded.on("error", () => outgoing.writeHead(502).end());
      forwarded.end(body);
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(Number(port), "127.0.0.1", () => process.stdout.write(`listening http://127.0.0.1:${port}/\n`));
}

main();
