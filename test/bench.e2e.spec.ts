/**
 * The benchmarks at tiny sizes (`npm run bench -- --smoke`, and `-- --curves --smoke`), so they don't rot: every
 * one runs to the end and reports real figures (a ratio with its goal; a curve's points and picture). Speed
 * itself is never asserted here — machines are noisy.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./support/system";
import { tempDir } from "./support/temp";

interface SavedResult {
  name: string;
  ratio: number;
  goal: { op: string; value: number } | null;
  met: boolean | null;
  figures: Record<string, number | string>;
}

const EXPECTED_GOALS: Record<string, string | null> = {
  "append, one writer": ">= 0.9",
  "append bound: the same guarantees, by hand": null,
  "append, 8 writers": ">= 6",
  "append bound: 8 writers, no fsync": null,
  "vs Emmett, one writer": ">= 1",
  "vs Emmett, 8 writers": ">= 2.5",
  "ledger tree upkeep": ">= 1",
  "rebuild bound: reading through the port": null,
  "rebuild partnership_summary": ">= 0.7",
  "rebuild institution_directory": ">= 0.7",
  "rebuild review_reminders": ">= 0.7",
  "rebuild activity_calendar": ">= 0.7",
  "rebuild funding": ">= 0.7",
  "rebuild statistics": ">= 0.7",
  "rebuild event_index": ">= 0.7",
  "rebuild access_grants": ">= 0.7",
  "rebuild ledger_tree": ">= 0.7",
  "rebuild people": ">= 0.7",
  "replay memory": "<= 1.5",
  "history of one partnership": "<= 1.2",
  "gateway, p50": "<= 1.25",
  "gateway, p99": "<= 1.25",
  "gateway bound: one extra hop, p50": null,
  "Hive ÷ Apollo Gateway, p50": null,
  "console JavaScript, first page": "<= 1",
  "console, dashboard figures shown": null,
};

test("every benchmark runs at smoke size and reports a measured ratio against its goal", () => {
  const out = tempDir("passerelle-bench-test-");
  try {
    const run = spawnSync(process.execPath, [join(ROOT, "dist", "bench", "run.js"), "--smoke", "--out", out.path], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 240_000,
    });
    expect({ status: run.status, stderr: run.status === 0 ? "" : run.stderr }).toEqual({ status: 0, stderr: "" });
    const saved = JSON.parse(readFileSync(join(out.path, "latest.json"), "utf8")) as {
      mode: string;
      results: SavedResult[];
    };
    expect(saved.mode).toBe("smoke");
    expect(
      Object.fromEntries(saved.results.map((r) => [r.name, r.goal ? `${r.goal.op} ${r.goal.value}` : null])),
    ).toEqual(EXPECTED_GOALS);
    for (const result of saved.results) {
      // A ratio of two measured figures: finite, positive, and consistent with the verdict saved beside it.
      expect(Number.isFinite(result.ratio) && result.ratio > 0).toBe(true);
      if (result.goal) {
        const met = result.goal.op === ">=" ? result.ratio >= result.goal.value : result.ratio <= result.goal.value;
        expect(result.met).toBe(met);
      }
      expect(Object.values(result.figures).every((v) => typeof v === "string" || Number.isFinite(v))).toBe(true);
      // Each read model's rebuild stands beside the bound of its tables: its SQL run bare, measured.
      if (result.name.startsWith("rebuild ") && !result.name.startsWith("rebuild bound")) {
        expect(result.figures.tables_bound_ratio).toBeGreaterThan(0);
        expect(result.figures.sql_bare_s).toBeGreaterThan(0);
      }
      // The printed table has the same row.
      expect(run.stdout).toContain(result.name);
    }
  } finally {
    out.remove();
  }
}, 300_000);

interface SavedCurve {
  id: string;
  title: string;
  points: Array<{ series: string; x: number; y: number }>;
  growth: Record<string, number[]>;
}

/** The x values `--curves --smoke` measures (bench/curves.ts, SMOKE_CURVES), per curve. */
const SMOKE_CURVE_XS: Record<string, number[]> = {
  "appends-by-writers": [1, 4],
  "rebuild-by-log-size": [1000, 2000],
  "replay-memory-by-log-size": [1000, 2000],
  "history-by-log-size": [1000, 2000],
  "gateway-by-clients": [1, 4],
  "subscription-lag-by-subscribers": [1, 5],
};

test("every curve runs at smoke size: measured points for each x, its data and its picture saved", () => {
  const out = tempDir("passerelle-curves-test-");
  try {
    const run = spawnSync(
      process.execPath,
      [join(ROOT, "dist", "bench", "run.js"), "--curves", "--smoke", "--out", out.path],
      { cwd: ROOT, encoding: "utf8", timeout: 240_000 },
    );
    expect({ status: run.status, stderr: run.status === 0 ? "" : run.stderr }).toEqual({ status: 0, stderr: "" });
    const saved = JSON.parse(readFileSync(join(out.path, "curves.json"), "utf8")) as {
      mode: string;
      curves: SavedCurve[];
    };
    expect(saved.mode).toBe("smoke");
    expect(saved.curves.map((c) => c.id).sort()).toEqual(Object.keys(SMOKE_CURVE_XS).sort());
    for (const curve of saved.curves) {
      const series = [...new Set(curve.points.map((p) => p.series))];
      for (const name of series) {
        const points = curve.points.filter((p) => p.series === name);
        expect({ curve: curve.id, series: name, xs: points.map((p) => p.x) }).toEqual({
          curve: curve.id,
          series: name,
          xs: SMOKE_CURVE_XS[curve.id],
        });
        expect(points.every((p) => Number.isFinite(p.y) && p.y > 0)).toBe(true);
        expect(curve.growth[name]).toHaveLength(points.length - 1);
      }
      // Vega's SVG: the title, and one line per series, named.
      const svg = readFileSync(join(out.path, "curves", `${curve.id}.svg`), "utf8");
      expect(svg.startsWith("<svg")).toBe(true);
      expect(svg).toContain(curve.title);
      const lines = [
        ...svg.matchAll(
          /aria-label="[^"]*series: ([^;"]*)[^"]*" role="graphics-symbol" aria-roledescription="line mark"/g,
        ),
      ];
      expect(lines.map((m) => m[1]).sort()).toEqual([...series].sort());
    }
  } finally {
    out.remove();
  }
}, 300_000);
