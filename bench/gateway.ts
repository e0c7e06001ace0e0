/**
 * The same query through the gateway ÷ straight to the subgraph that answers it (p50 and p99), and our
 * gateway (Hive) ÷ the other candidate (Apollo Gateway) on the same supergraph. Beside them, the bound: a
 * pass-through proxy (bench/pass-through.ts) ÷ the same direct call, the least one extra hop costs. The whole
 * system runs as `npm start` runs it, on the demo data.
 */
import { freePort, startSystem } from "../test/support/system";
import { compareLatencies, type Latency } from "./load";
import { line, start } from "../test/support/processes";
import type { BenchResult } from "./report";

/** The bench's query: a first page of 20 partnerships with their parties (it crosses into a second entity). */
export const PARTNERSHIPS = `{
  partnerships(first: 20) { totalCount edges { node { id title status countries themes nextReviewOn parties { id name country } } } }
}`;

export async function gatewayBenchmarks(timing: {
  rounds: number;
  secondsPerRound: number;
  warmupSeconds: number;
}): Promise<BenchResult[]> {
  const system = await startSystem();
  const apolloPort = await freePort();
  const subgraph = (port: number) => `http://127.0.0.1:${port}/graphql`;
  const apollo = start(
    "bench/apollo-gateway.js",
    [
      String(apolloPort),
      subgraph(system.ports.partnerships),
      subgraph(system.ports.activities),
      subgraph(system.ports.audit),
    ],
    {},
  );
  const proxyPort = await freePort();
  const proxy = start("bench/pass-through.js", [String(proxyPort), subgraph(system.ports.partnerships)], {});
  try {
    await line(apollo, /^listening /m, 60_000);
    await line(proxy, /^listening /m, 60_000);
    const token = system.tokens.analyst!;
    const latency = await compareLatencies(
      {
        direct: { url: `http://127.0.0.1:${system.ports.partnerships}/graphql`, query: PARTNERSHIPS, token },
        hive: { url: system.url, query: PARTNERSHIPS, token },
        apollo: { url: `http://127.0.0.1:${apolloPort}/graphql`, query: PARTNERSHIPS, token },
        proxy: { url: `http://127.0.0.1:${proxyPort}/graphql`, query: PARTNERSHIPS, token },
      },
      timing,
    );
    const figures = {
      direct_p50_ms: latency.direct.p50Ms,
      hive_p50_ms: latency.hive.p50Ms,
      apollo_p50_ms: latency.apollo.p50Ms,
      direct_p99_ms: latency.direct.p99Ms,
      hive_p99_ms: latency.hive.p99Ms,
      apollo_p99_ms: latency.apollo.p99Ms,
      proxy_p50_ms: latency.proxy.p50Ms,
      proxy_p99_ms: latency.proxy.p99Ms,
    };
    return [
      {
        name: "gateway, p50",
        ratioOf: "partnerships query through Hive Gateway ÷ straight to the subgraph",
        ratio: latency.hive.p50Ms / latency.direct.p50Ms,
        goal: { op: "<=", value: 1.25 },
        figures,
      },
      {
        name: "gateway, p99",
        ratioOf: "partnerships query through Hive Gateway ÷ straight to the subgraph",
        ratio: latency.hive.p99Ms / latency.direct.p99Ms,
        goal: { op: "<=", value: 1.25 },
        figures,
      },
      comparedAtP50(
        "gateway bound: one extra hop, p50",
        "the same query through a pass-through proxy (no GraphQL work) ÷ straight to the subgraph",
        ["proxy", latency.proxy],
        ["direct", latency.direct],
        "node:http server reading the body, forwarding it on a keep-alive Agent and piping the answer back: " +
          "the floor under any gateway's ratio on this machine.",
      ),
      comparedAtP50(
        "Hive ÷ Apollo Gateway, p50",
        "same query, our gateway ÷ the other candidate (below 1: ours is faster)",
        ["hive", latency.hive],
        ["apollo", latency.apollo],
      ),
    ];
  } finally {
    await proxy.stop();
    await apollo.stop();
    await system.stop();
  }
}

/** A ratio the issue sets no goal for: one target's p50 ÷ another's, their p99s' ratio beside it. */
function comparedAtP50(
  name: string,
  ratioOf: string,
  [over, a]: [string, Latency],
  [under, b]: [string, Latency],
  notes?: string,
): BenchResult {
  return {
    name,
    ratioOf,
    ratio: a.p50Ms / b.p50Ms,
    goal: null,
    figures: { [`${over}_p50_ms`]: a.p50Ms, [`${under}_p50_ms`]: b.p50Ms, p99_ratio: a.p99Ms / b.p99Ms },
    ...(notes ? { notes } : {}),
  };
}
