// Calendar days as whole UTC day numbers (days since 1970-01-01), so period arithmetic is
// integer arithmetic and never meets time zones or daylight saving.

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** Day number of an ISO date (`2026-06-30`); NaN when the text is not a real calendar date. */
export function dayOf(iso: string): number {
  const match = ISO_DATE.exec(iso);
  if (!match) return Number.NaN;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  const time = new Date(0).setUTCFullYear(y, m - 1, d);
  const day = time / MS_PER_DAY;
  // Date rolls 2026-02-30 over to March; a real date maps back to the same text.
  return isoDate(day) === iso ? day : Number.NaN;
}

/** ISO date (`YYYY-MM-DD`) of a day number. */
export function isoDate(day: number): string {
  const date = new Date(day * MS_PER_DAY);
  const y = String(date.getUTCFullYear()).padStart(4, "0");
  const m = String(date.getUTCMonth() + 1).padStart(2, "0");
  const d = String(date.getUTCDate()).padStart(2, "0");
  return `${y}-${m}-${d}`;
}

/** Day number of the first day of the month `months` after the month of `day` (negative: before). */
export function monthStartDay(day: number, months = 0): number {
  const date = new Date(day * MS_PER_DAY);
  return new Date(0).setUTCFullYear(date.getUTCFullYear(), date.getUTCMonth() + months, 1) / MS_PER_DAY;
}
