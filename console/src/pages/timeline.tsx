/**
 * A timeline drawn at each fact's precision: a fact known by its year is a band across that year, by its month
 * a band across the month, by its day a point. Drawn in SVG, with the same facts as a list for screen readers.
 */
import { formatBusinessDate, precisionOf, spanOf } from "../dates";
import { useI18n } from "../i18n";

export interface TimelineFact {
  readonly key: string;
  readonly date: string;
  /** A fact that lasted (a mission, a delegation): to its end date, at that date's precision. */
  readonly until?: string | null;
  readonly label: string;
  readonly quote?: string | null;
  readonly uncertain?: boolean;
}

const WIDTH = 960;
const ROW = 22;
const AXIS = 28;

export function Timeline({ facts, title }: { facts: readonly TimelineFact[]; title: string }) {
  const { t, language } = useI18n();
  const dated = [...facts].sort((a, b) => spanOf(a.date).start - spanOf(b.date).start);
  if (dated.length === 0) return <p>{t.none}</p>;
  const spans = dated.map((fact) => ({ ...spanOf(fact.date), end: spanOf(fact.until ?? fact.date).end }));
  const first = new Date(Math.min(...spans.map((s) => s.start))).getUTCFullYear();
  const last = new Date(Math.max(...spans.map((s) => s.end)) - 1).getUTCFullYear() + 1;
  const from = Date.UTC(first, 0, 1);
  const to = Date.UTC(last, 0, 1);
  const x = (time: number) => ((time - from) / (to - from)) * (WIDTH - 20) + 10;
  const years = Array.from({ length: last - first + 1 }, (_, i) => first + i);
  const step = Math.max(1, Math.ceil(years.length / 12));
  const height = AXIS + dated.length * ROW + 8;
  return (
    <figure className="timeline">
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={title} preserveAspectRatio="xMinYMin meet">
        {years.map((year, i) => (
          <g key={year}>
            <line
              x1={x(Date.UTC(year, 0, 1))}
              x2={x(Date.UTC(year, 0, 1))}
              y1={AXIS - 6}
              y2={height}
              className="grid"
            />
            {i % step === 0 && year < last && (
              <text x={x(Date.UTC(year, 0, 1)) + 2} y={14} className="year">
                {year}
              </text>
            )}
          </g>
        ))}
        {dated.map((fact, i) => {
          const span = spans[i]!;
          const y = AXIS + i * ROW;
          const point = precisionOf(fact.date) === "day" && !fact.until;
          return (
            <g
              key={fact.key}
              className={fact.uncertain ? "fact uncertain" : "fact"}
              data-precision={precisionOf(fact.date)}
            >
              {point ? (
                <circle cx={x(span.start)} cy={y + 8} r={5} />
              ) : (
                <rect x={x(span.start)} y={y + 2} width={Math.max(4, x(span.end) - x(span.start))} height={12} rx={3} />
              )}
              <title>{`${formatBusinessDate(fact.date, language)} — ${fact.label}`}</title>
            </g>
          );
        })}
      </svg>
      <figcaption>{t.fiche.timelineHelp}</figcaption>
      <ol className="facts">
        {dated.map((fact) => (
          <li key={fact.key} data-fact={fact.key}>
            <time dateTime={fact.date}>{formatBusinessDate(fact.date, language)}</time>
            {fact.until && fact.until !== fact.date && <> – {formatBusinessDate(fact.until, language)}</>} :{" "}
            {fact.label}
            {fact.uncertain && <span className="badge uncertain"> {t.fiche.reading.UNCERTAIN}</span>}
            {fact.quote && <blockquote lang="fr">« {fact.quote} »</blockquote>}
          </li>
        ))}
      </ol>
    </figure>
  );
}
