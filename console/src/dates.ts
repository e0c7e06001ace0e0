/**
 * Business dates as the ledger holds them: a year (« 2019 »), a month (« 2019-05 ») or a day (« 2019-05-12 »).
 * Shown at that precision and never more: « mai 2019 » is not « 1er mai 2019 ».
 */
export type Precision = "year" | "month" | "day";

export function precisionOf(date: string): Precision {
  return date.length === 4 ? "year" : date.length === 7 ? "month" : "day";
}

const FORMATS: Record<Precision, Intl.DateTimeFormatOptions> = {
  year: { year: "numeric", timeZone: "UTC" },
  month: { year: "numeric", month: "long", timeZone: "UTC" },
  day: { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" },
};

export function formatBusinessDate(date: string | null | undefined, locale: string): string {
  if (!date) return "—";
  const precision = precisionOf(date);
  const [year, month = "01", day = "01"] = date.split("-");
  return new Intl.DateTimeFormat(locale, FORMATS[precision]).format(new Date(`${year}-${month}-${day}T00:00:00Z`));
}

/** The span a business date covers, in milliseconds: a year-long band for « 2019 », a day for a full date. */
export function spanOf(date: string): { start: number; end: number } {
  const [y, m, d] = date.split("-").map(Number) as [number, number | undefined, number | undefined];
  const start = Date.UTC(y, (m ?? 1) - 1, d ?? 1);
  const end =
    d !== undefined ? Date.UTC(y, m! - 1, d + 1) : m !== undefined ? Date.UTC(y, m, 1) : Date.UTC(y + 1, 0, 1);
  return { start, end };
}

export function formatInstant(iso: string, locale: string): string {
  return (
    new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(
      new Date(iso),
    ) + " UTC"
  );
}
