/**
 * Two audit replicas side by side, each a fresh `services/audit` process building its read models from its
 * own log: one of about ten thousand events, one of about a million. They give two ratios:
 * - memory: the large replica's peak RSS while it replays its million events (the kernel's high-water mark,
 *   read once it is ready and before any query) ÷ the small replica's RSS at rest;
 * - history: one partnership's history (first page of 50; the same partnership, the same hundred events in
 *   both logs), p50 on the large log ÷ on the small one. The query goes straight to the subgraph
 *   (`_entities`, as the gateway sends it), so the gateway's cost does not dilute the ratio.
 */
import { readFileSync } from "node:fs";
import { issueToken } from "../services/common/auth";
import { freePort } from "../test/support/system";
import { compareLatencies, type Operation } from "./load";
import { ledgerKeyEnv, ready, start, type Child } from "../test/support/processes";
import type { LedgerDir } from "./ledger";
import type { BenchResult } from "./report";

const SECRET = "bench-secret-bench-secret-bench-secret";

const HISTORY = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Partnership { history(first: 50) { totalCount edges { node { position type businessDate revision actor data } } } }
  }
}`;

/** A process's current and peak resident memory, in MiB, as Linux reports them. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
  return { rss: kib("VmRSS") / 1024, peak: kib("VmHWM") / 1024 };
}

export interface Replica {
  readonly child: Child;
  /** The history query of one partnership, straight to this replica. */
  readonly history: (partnershipId: string) => Operation;
  /** Its memory once ready: the peak is reached while it replays the log. */
  readonly memory: { rss: number; peak: number };
  /** From its start until its read models had caught up with the log. */
  readonly readySeconds: number;
}

/** A fresh audit service on the ledger, awaited until its read models have caught up with the log. */
export async function startReplica(ledger: LedgerDir, readyTimeoutMs: number): Promise<Replica> {
  const token = await issueToken(SECRET, { actor: "bench-auditor", roles: ["auditor"] });
  const port = await freePort();
  const started = Date.now();
  const child = start("services/audit/main.js", [], {
    PASSERELLE_DATA_DIR: ledger.dataDir,
    ...ledgerKeyEnv(ledger.dataDir),
    PASSERELLE_AUDIT_PORT: String(port),
    PASSERELLE_JWT_SECRET: SECRET,
  });
  try {
    await ready(child, `http://127.0.0.1:${port}/ready`, readyTimeoutMs);
  } catch (error) {
    await child.stop();
    throw error;
  }
  return {
    child,
    readySeconds: (Date.now() - started) / 1000,
    memory: memoryOf(child.process.pid!),
    history: (partnershipId) => ({
      url: `http://127.0.0.1:${port}/graphql`,
      query: HISTORY,
      variables: { representations: [{ __typename: "Partnership", id: partnershipId }] },
      token,
    }),
  };
}

export async function replicaBenchmarks(
  small: LedgerDir,
  large: LedgerDir,
  partnershipId: string,
  timing: { rounds: number; secondsPerRound: number; warmupSeconds: number; readyTimeoutMs: number },
): Promise<BenchResult[]> {
  const replicas: Replica[] = [];
  try {
    for (const ledger of [small, large]) replicas.push(await startReplica(ledger, timing.readyTimeoutMs));
    const [atRest, replayed] = [replicas[0]!.memory, replicas[1]!.memory];
    const latency = await compareLatencies(
      { small: replicas[0]!.history(partnershipId), large: replicas[1]!.history(partnershipId) },
      timing,
    );
    return [
      {
        name: "replay memory",
        ratioOf: `audit replica's peak RSS replaying ${large.events} events ÷ RSS at rest`,
        ratio: replayed.peak / atRest.rss,
        goal: { op: "<=", value: 1.5 },
        figures: { peak_rss_MiB: replayed.peak, at_rest_rss_MiB: atRest.rss, rss_after_replay_MiB: replayed.rss },
      },
      {
        name: "history of one partnership",
        ratioOf: `p50 with ${large.events} events ÷ with ${small.events}`,
        ratio: latency.large.p50Ms / latency.small.p50Ms,
        goal: { op: "<=", value: 1.2 },
        figures: {
          large_p50_ms: latency.large.p50Ms,
          small_p50_ms: latency.small.p50Ms,
          p99_ratio: latency.large.p99Ms / latency.small.p99Ms,
          large_p99_ms: latency.large.p99Ms,
          small_p99_ms: latency.small.p99Ms,
          requests: latency.large.requests + latency.small.requests,
        },
      },
    ];
  } finally {
    await Promise.all(replicas.map((replica) => replica.child.stop()));
  }
}
