/**
 * Dates as whole UTC day numbers (days since 1970-01-01): integer arithmetic keeps
 * generation deterministic and fast, and ISO strings are produced only at the edge
 * (memoised: a world spans a few thousand distinct days, but millions of rows).
 */

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const isoCache = new Map<number, string>();
const dayCache = new Map<string, number>();

/** Civil date of a day number (Howard Hinnant's days-to-civil, proleptic Gregorian). */
function civil(day: number): { y: number; m: number; d: number } {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

/** Day number of a civil date; months outside 1..12 roll over into neighbouring years. */
function daysFromCivil(year: number, month: number, dayOfMonth: number): number {
  const y0 = year + Math.floor((month - 1) / 12);
  const m0 = ((((month - 1) % 12) + 12) % 12) + 1;
  const y = m0 <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m0 > 2 ? m0 - 3 : m0 + 9) + 2) / 5) + dayOfMonth - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

const two = (n: number) => (n < 10 ? `0${n}` : String(n));

/** Day number of an ISO date (`2026-06-30`); NaN when the text is not a real date. */
export function dayOf(isoDateText: string): number {
  const cached = dayCache.get(isoDateText);
  if (cached !== undefined) return cached;
  if (!ISO_DATE.test(isoDateText)) return Number.NaN;
  const y = Number(isoDateText.slice(0, 4));
  const m = Number(isoDateText.slice(5, 7));
  const d = Number(isoDateText.slice(8, 10));
  const day = daysFromCivil(y, m, d);
  if (m < 1 || m > 12 || d < 1 || isoDate(day) !== isoDateText) return Number.NaN;
  dayCache.set(isoDateText, day);
  return day;
}

/** ISO date (`YYYY-MM-DD`) of a day number. */
export function isoDate(day: number): string {
  let text = isoCache.get(day);
  if (text === undefined) {
    const { y, m, d } = civil(day);
    text = `${String(y).padStart(4, "0")}-${two(m)}-${two(d)}`;
    isoCache.set(day, text);
  }
  return text;
}

/** ISO timestamp (`YYYY-MM-DDTHH:MM:00Z`) of a day number plus minutes into that day (0..1439). */
export function isoTimestamp(day: number, minuteOfDay: number): string {
  return `${isoDate(day)}T${two(Math.floor(minuteOfDay / 60))}:${two(minuteOfDay % 60)}:00Z`;
}

/** Calendar quarter label of a day (`2026-Q2`). */
export function quarterOf(day: number): string {
  const { y, m } = civil(day);
  return `${y}-Q${Math.floor((m - 1) / 3) + 1}`;
}

/** Last day number of the quarter that contains `day`. */
export function quarterEnd(day: number): number {
  const { y, m } = civil(day);
  return daysFromCivil(y, Math.floor((m - 1) / 3) * 3 + 4, 1) - 1;
}

/** First day number of the month that contains `day`, shifted by `months`. */
export function monthStart(day: number, months = 0): number {
  const { y, m } = civil(day);
  return daysFromCivil(y, m + months, 1);
}
