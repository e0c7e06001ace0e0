/**
 * How a cost grows with the work: a curve is measured points (one or more series), saved as data and drawn as
 * an SVG by Vega-Lite (rendered headless by Vega, no browser, no canvas).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface CurvePoint {
  readonly series: string;
  readonly x: number;
  readonly y: number;
}

export interface Curve {
  /** The file name of its picture: `<id>.svg`. */
  readonly id: string;
  readonly title: string;
  readonly x: { readonly label: string; readonly log: boolean };
  readonly y: { readonly label: string; readonly log: boolean };
  readonly points: readonly CurvePoint[];
  /** How it was measured, in a sentence: shown under the chart's title. */
  readonly how: string;
}

/**
 * Each series' growth between consecutive points, as the slope on log–log axes: 0 is flat, 1 linear, 2
 * quadratic; a slope that jumps between two points is a knee.
 */
export function growth(curve: Curve): Record<string, number[]> {
  const bySeries = new Map<string, CurvePoint[]>();
  for (const point of curve.points) bySeries.set(point.series, [...(bySeries.get(point.series) ?? []), point]);
  return Object.fromEntries(
    [...bySeries].map(([series, points]) => {
      const sorted = [...points].sort((a, b) => a.x - b.x);
      const slopes = sorted.slice(1).map((p, i) => {
        const q = sorted[i]!;
        return Number((Math.log(p.y / q.y) / Math.log(p.x / q.x)).toFixed(2));
      });
      return [series, slopes];
    }),
  );
}

function specOf(curve: Curve): Record<string, unknown> {
  const axis = (side: Curve["x"], field: "x" | "y") => ({
    field,
    type: "quantitative",
    title: side.label,
    scale: side.log ? { type: "log" } : { zero: true },
    axis: { grid: true, labelFontSize: 11, titleFontSize: 12 },
  });
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: curve.title, subtitle: curve.how, fontSize: 14, subtitleFontSize: 11, anchor: "start" },
    width: 560,
    height: 300,
    background: "white",
    data: { values: curve.points },
    mark: { type: "line", point: { size: 50 }, strokeWidth: 2 },
    encoding: {
      x: { ...axis(curve.x, "x"), axis: { grid: true, values: [...new Set(curve.points.map((p) => p.x))] } },
      y: axis(curve.y, "y"),
      color: {
        field: "series",
        type: "nominal",
        title: null,
        legend: { orient: "bottom", columns: 2, labelLimit: 400 },
      },
      tooltip: [{ field: "series" }, { field: "x" }, { field: "y", format: ".3~s" }],
    },
  };
}

export async function svgOf(curve: Curve): Promise<string> {
  // Both are ES modules only: loaded with import() from this CommonJS build.
  const vega = await import("vega");
  const { compile } = await import("vega-lite");
  const view = new vega.View(vega.parse(compile(specOf(curve) as never).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Writes `curves.json` (every point, with the growth slopes) and one SVG per curve; returns the JSON's path. */
export async function saveCurves(
  curves: readonly Curve[],
  directory: string,
  meta: Record<string, unknown>,
): Promise<string> {
  mkdirSync(join(directory, "curves"), { recursive: true });
  for (const curve of curves) writeFileSync(join(directory, "curves", `${curve.id}.svg`), `${await svgOf(curve)}\n`);
  const path = join(directory, "curves.json");
  const body = { ...meta, curves: curves.map((curve) => ({ ...curve, growth: growth(curve) })) };
  writeFileSync(path, `${JSON.stringify(body, null, 2)}\n`);
  return path;
}
