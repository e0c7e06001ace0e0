/**
 * `npm run bench`: every benchmark in one run, each a ratio of two figures measured side by side on this
 * machine, printed as a table and saved as bench/results/latest.json. Benchmarks never fail for speed: a goal
 * not met is reported, not thrown.
 *
 *   --smoke            tiny sizes, to prove every benchmark still runs (npm test does this); saved to a
 *                      scratch directory, not over the checked-in results
 *   --only a,b         some of: appends, rebuild, replicas (memory and history), gateway, console
 *   --out DIR          where latest.json goes (default bench/results, or a scratch directory with --smoke)
 *   --curves           instead of the table, how each cost grows with the work (bench/curves.ts): curves.json
 *                      and one SVG per curve under curves/, beside latest.json
 */
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { repoRoot } from "../services/common/paths";
import { appendBenchmarks } from "./appends";
import { saveCurves } from "./charts";
import { consoleBenchmarks } from "./console";
import { FULL_CURVES, SMOKE_CURVES, curveBenchmarks } from "./curves";
import { gatewayBenchmarks } from "./gateway";
import { ledgerDir } from "./ledger";
import { rebuildBenchmarks } from "./rebuild";
import { replicaBenchmarks } from "./replicas";
import { save, table, type BenchResult } from "./report";

const BENCHMARKS = ["appends", "rebuild", "replicas", "gateway", "console"] as const;
type Benchmark = (typeof BENCHMARKS)[number];

/** 500 institutions, then about a hundred events per partnership: these give 10,000 and 1,000,000 events. */
const FULL = {
  appends: { rounds: 10, appends: 300, writers: 64, concurrentAppends: 2000, emmettAppends: 200 },
  smallPartnerships: 95,
  largePartnerships: 9_995,
  timing: { rounds: 5, secondsPerRound: 3, warmupSeconds: 2, readyTimeoutMs: 15 * 60_000 },
  consoleRounds: 15,
};
const SMOKE: typeof FULL = {
  appends: { rounds: 2, appends: 20, writers: 8, concurrentAppends: 100, emmettAppends: 10 },
  smallPartnerships: 5,
  largePartnerships: 15,
  timing: { rounds: 1, secondsPerRound: 0.5, warmupSeconds: 0.2, readyTimeoutMs: 60_000 },
  consoleRounds: 2,
};

const say = (text: string) => process.stderr.write(`${text}\n`);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      smoke: { type: "boolean", default: false },
      only: { type: "string" },
      out: { type: "string" },
      curves: { type: "boolean", default: false },
    },
  });
  const directory =
    values.out ?? (values.smoke ? join(tmpdir(), "passerelle-bench-smoke") : join(repoRoot(), "bench", "results"));
  if (values.curves) return curves(directory, values.smoke);
  const sizes = values.smoke ? SMOKE : FULL;
  const only = values.only ? (values.only.split(",") as Benchmark[]) : [...BENCHMARKS];
  const unknown = only.filter((name) => !BENCHMARKS.includes(name));
  if (unknown.length > 0)
    throw new Error(`unknown benchmark ${unknown.join(", ")}: choose from ${BENCHMARKS.join(", ")}`);
  const scratch = mkdtempSync(join(tmpdir(), "passerelle-bench-"));
  const results: BenchResult[] = [];
  const started = Date.now();
  try {
    if (only.includes("appends")) {
      say("appends: one writer, concurrent writers, Emmett…");
      results.push(...(await appendBenchmarks(scratch, sizes.appends)));
    }
    const needsLedgers = only.includes("rebuild") || only.includes("replicas");
    if (needsLedgers) {
      say(`growing the ledgers (${sizes.smallPartnerships} and ${sizes.largePartnerships} partnerships)…`);
      const small = await ledgerDir(join(scratch, "small"), sizes.smallPartnerships, say);
      const large = await ledgerDir(join(scratch, "large"), sizes.largePartnerships, say);
      const largeStore = join(large.dataDir, "events.db");
      if (only.includes("rebuild")) {
        say(`rebuild: every read model from ${large.events} events…`);
        results.push(...(await rebuildBenchmarks(largeStore, scratch)));
      }
      if (only.includes("replicas")) {
        say(
          `replicas: two audit services building their read models from ${small.events} and ${large.events} events, then queried…`,
        );
        const partnershipId = `bench-${Math.floor(sizes.smallPartnerships / 2)}`;
        results.push(...(await replicaBenchmarks(small, large, partnershipId, sizes.timing)));
      }
    }
    if (only.includes("gateway")) {
      say("gateway: the whole system on the demo data, Hive Gateway, Apollo Gateway, the subgraph…");
      results.push(...(await gatewayBenchmarks(sizes.timing)));
    }
    if (only.includes("console")) {
      say("console: the dashboard in headless Chromium on the demo data…");
      results.push(...(await consoleBenchmarks(sizes.consoleRounds)));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  process.stdout.write(`${table(results)}\n`);
  say(`saved ${save(results, directory, runFacts(values.smoke, started))}`);
}

function runFacts(smoke: boolean, started: number): Record<string, unknown> {
  return {
    date: new Date().toISOString(),
    mode: smoke ? "smoke" : "full",
    seconds: Math.round((Date.now() - started) / 1000),
    node: process.version,
    cpus: `${cpus().length} × ${cpus()[0]?.model ?? "unknown"}`,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
  };
}

async function curves(directory: string, smoke: boolean): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), "passerelle-curves-"));
  const started = Date.now();
  try {
    const measured = await curveBenchmarks(scratch, smoke ? SMOKE_CURVES : FULL_CURVES, say);
    say(`saved ${await saveCurves(measured, directory, runFacts(smoke, started))}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
