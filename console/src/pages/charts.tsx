/**
 * Bar charts as SVG, scaled with d3-scale (no inline styles: the console's CSP allows none), each with its
 * figures as a table for screen readers and a CSV download of exactly what it draws.
 */
import { scaleBand, scaleLinear } from "d3-scale";
import { useId } from "react";
import { useI18n } from "../i18n";

export interface Bar {
  readonly key: string;
  readonly label: string;
  readonly value: number;
}

const WIDTH = 640;
const ROW = 22;
const LABELS = 220;

/** RFC 4180: quoted when a field holds a comma, a quote or a line break. */
export function csvOf(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cell = (value: string | number) => {
    const text = String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [header, ...rows].map((row) => row.map(cell).join(",")).join("\r\n") + "\r\n";
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

export function BarChart({
  title,
  bars,
  file,
  unit,
}: {
  title: string;
  bars: readonly Bar[];
  file: string;
  unit: string;
}) {
  const { t } = useI18n();
  const id = useId();
  const height = Math.max(1, bars.length) * ROW + 24;
  const x = scaleLinear()
    .domain([0, Math.max(1, ...bars.map((bar) => bar.value))])
    .nice()
    .range([LABELS, WIDTH - 40]);
  const y = scaleBand<string>()
    .domain(bars.map((bar) => bar.key))
    .range([4, height - 20])
    .padding(0.2);
  return (
    <section className="chart" aria-labelledby={`${id}-title`} data-chart={file}>
      <h2 id={`${id}-title`}>{title}</h2>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} aria-hidden="true">
        {x.ticks(5).map((tick) => (
          <g key={tick}>
            <line x1={x(tick)} x2={x(tick)} y1={0} y2={height - 18} className="grid" />
            <text x={x(tick)} y={height - 4} textAnchor="middle" className="tick">
              {tick}
            </text>
          </g>
        ))}
        {bars.map((bar) => (
          <g key={bar.key}>
            <text x={LABELS - 6} y={(y(bar.key) ?? 0) + y.bandwidth() / 2 + 4} textAnchor="end" className="label">
              {bar.label.length > 32 ? `${bar.label.slice(0, 31)}…` : bar.label}
            </text>
            <rect
              x={LABELS}
              y={y(bar.key)}
              width={Math.max(1, x(bar.value) - LABELS)}
              height={y.bandwidth()}
              className="bar"
            />
            <text x={x(bar.value) + 4} y={(y(bar.key) ?? 0) + y.bandwidth() / 2 + 4} className="value">
              {bar.value}
            </text>
          </g>
        ))}
      </svg>
      <details>
        <summary>{t.stats.table}</summary>
        <table>
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">{t.stats.key}</th>
              <th scope="col">{unit}</th>
            </tr>
          </thead>
          <tbody>
            {bars.map((bar) => (
              <tr key={bar.key} data-key={bar.key}>
                <th scope="row">{bar.label}</th>
                <td>{bar.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <button
        type="button"
        onClick={() =>
          download(
            `${file}.csv`,
            csvOf(
              ["key", "label", unit],
              bars.map((b) => [b.key, b.label, b.value]),
            ),
          )
        }
      >
        {t.stats.csv}
      </button>
    </section>
  );
}
