/** What every benchmark returns, and how a run is printed and saved. */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface BenchResult {
  readonly name: string;
  /** What is divided by what, in words. */
  readonly ratioOf: string;
  readonly ratio: number;
  /** Null for a comparison the issue sets no goal for: printed for information. */
  readonly goal: { readonly op: ">=" | "<="; readonly value: number } | null;
  /** The raw figures the ratio comes from, with their units in the key. */
  readonly figures: Readonly<Record<string, number | string>>;
  /** How a contender was set up, when a ratio cannot be read without it: printed under the table. */
  readonly notes?: string;
}

export function met(result: BenchResult): boolean | null {
  const { goal } = result;
  if (goal === null) return null;
  return goal.op === ">=" ? result.ratio >= goal.value : result.ratio <= goal.value;
}

function verdict(result: BenchResult): string {
  const ok = met(result);
  return ok === null ? "" : ok ? "met" : "NOT MET";
}

const round = (n: number) => (Math.abs(n) >= 100 ? Math.round(n) : Number(n.toPrecision(3)));

export function table(results: readonly BenchResult[]): string {
  const rows = results.map((r) => [
    r.name,
    r.ratioOf,
    r.ratio.toFixed(2),
    r.goal ? `${r.goal.op} ${r.goal.value}` : "none",
    verdict(r),
    Object.entries(r.figures)
      .map(([k, v]) => `${k}=${typeof v === "number" ? round(v) : v}`)
      .join(" "),
  ]);
  const header = ["benchmark", "ratio of", "ratio", "goal", "", "raw figures"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ");
  const notes = results.filter((r) => r.notes).map((r) => `${r.name}: ${r.notes}`);
  return [
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line),
    ...(notes.length ? ["", ...notes] : []),
  ].join("\n");
}

export function save(results: readonly BenchResult[], directory: string, meta: Record<string, unknown>): string {
  mkdirSync(directory, { recursive: true });
  const body = JSON.stringify({ ...meta, results: results.map((r) => ({ ...r, met: met(r) })) }, null, 2);
  const path = join(directory, "latest.json");
  writeFileSync(path, `${body}\n`);
  return path;
}

/** Ops per second of a measured duration (nanoseconds). */
export const perSecond = (count: number, nanoseconds: bigint) => count / (Number(nanoseconds) / 1e9);

export function clock(): () => bigint {
  const start = process.hrtime.bigint();
  return () => process.hrtime.bigint() - start;
}

/** Deletes a SQLite file and its WAL and shared-memory files. */
export const removeDatabase = (path: string) =>
  ["", "-wal", "-shm"].forEach((suffix) => rmSync(path + suffix, { force: true }));
