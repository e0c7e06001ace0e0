/**
 * The benchmarks at tiny sizes (`npm run bench -- --smoke`), so they don't rot: every one runs to the end and
 * reports a real ratio with its goal. Speed itself is never asserted here — machines are noisy.
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
  "append, 8 writers": ">= 5",
  "vs Emmett, one writer": ">= 1",
  "vs Emmett, 8 writers": ">= 2.5",
  "ledger tree upkeep": ">= 1",
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
      // The printed table has the same row.
      expect(run.stdout).toContain(result.name);
    }
  } finally {
    out.remove();
  }
}, 300_000);
