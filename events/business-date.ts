/**
 * Business dates: when something happened in the world, at the precision the source gives it — a year
 * (`2019`), a month (`2019-05`) or a day (`2019-05-12`). A date is an interval of days; nothing here ever
 * invents precision the text did not have.
 *
 * Comparisons are interval comparisons. `2019-05` is definitely before `2019-06-01`, but neither before nor
 * after `2019`: rules reject only what is definitely wrong, never what is merely imprecise.
 */
export type Precision = "year" | "month" | "day";

export interface BusinessDateRange {
  readonly text: string;
  readonly precision: Precision;
  /** First day of the interval, `YYYY-MM-DD`. */
  readonly first: string;
  /** Last day of the interval, `YYYY-MM-DD`. */
  readonly last: string;
}

const PATTERN = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const PRECISION_RANK: Record<Precision, number> = { day: 0, month: 1, year: 2 };

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Gregorian, by arithmetic: a Date per call was most of what parsing a date cost read models. */
function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : MONTH_DAYS[month - 1]!;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** The interval a business date stands for, or null when the text is not one (or not a real calendar date). */
export function parseBusinessDate(text: string): BusinessDateRange | null {
  const match = PATTERN.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  if (year < 1000) return null;
  if (match[2] === undefined) return { text, precision: "year", first: `${match[1]}-01-01`, last: `${match[1]}-12-31` };
  const month = Number(match[2]);
  if (month < 1 || month > 12) return null;
  const lastDay = daysInMonth(year, month);
  if (match[3] === undefined) {
    return {
      text,
      precision: "month",
      first: `${match[1]}-${match[2]}-01`,
      last: `${match[1]}-${match[2]}-${pad(lastDay)}`,
    };
  }
  const day = Number(match[3]);
  if (day < 1 || day > lastDay) return null;
  return { text, precision: "day", first: text, last: text };
}

export function isBusinessDate(text: unknown): text is string {
  return typeof text === "string" && parseBusinessDate(text) !== null;
}

function range(text: string): BusinessDateRange {
  const parsed = parseBusinessDate(text);
  if (!parsed) throw new RangeError(`not a business date: ${text}`);
  return parsed;
}

/** True only when every day of `a` comes before every day of `b`. */
export function isDefinitelyBefore(a: string, b: string): boolean {
  return range(a).last < range(b).first;
}

/** True only when every day of `a` comes after every day of `b`. */
export function isDefinitelyAfter(a: string, b: string): boolean {
  return range(a).first > range(b).last;
}

/** True when the date may have happened on or before `day` (an ISO instant or `YYYY-MM-DD`). */
export function mayBeOnOrBefore(date: string, day: string): boolean {
  return range(date).first <= day.slice(0, 10);
}

/**
 * A total order for timelines: by last possible day, then the more precise first — `2013-05-23`, `2013-10`,
 * `2013` — so a vague date sorts after the precise ones it may contain, as the source data does.
 */
export function compareBusinessDates(a: string, b: string): number {
  const x = range(a);
  const y = range(b);
  if (x.last !== y.last) return x.last < y.last ? -1 : 1;
  if (x.precision !== y.precision) return PRECISION_RANK[x.precision] - PRECISION_RANK[y.precision];
  return x.first < y.first ? -1 : x.first > y.first ? 1 : 0;
}

/**
 * The date `months` later at the same precision (a day is clamped to the month's end: 31 Aug + 6 months is
 * 28/29 Feb). A year-precision date has no same-precision answer for a count that is not a whole number of
 * years, so it returns null rather than guessing.
 */
export function addMonths(text: string, months: number): string | null {
  const date = range(text);
  const year = Number(date.first.slice(0, 4));
  const month = Number(date.first.slice(5, 7));
  if (date.precision === "year") return months % 12 === 0 ? String(year + months / 12) : null;
  const index = year * 12 + (month - 1) + months;
  const newYear = Math.floor(index / 12);
  const newMonth = (index % 12) + 1;
  if (date.precision === "month") return `${pad(newYear, 4)}-${pad(newMonth)}`;
  const day = Math.min(Number(date.first.slice(8, 10)), daysInMonth(newYear, newMonth));
  return `${pad(newYear, 4)}-${pad(newMonth)}-${pad(day)}`;
}

/** The day part (`YYYY-MM-DD`) of an ISO instant, as a day-precision business date. */
export function dayOf(instant: string): string {
  return instant.slice(0, 10);
}
