import { CellError } from "./errors.js";

/** A parsed date cell. */
export interface ParsedDate {
  /** Calendar date `YYYY-MM-DD`: as written when no zone is given, else the UTC date of the instant. */
  date: string;
  /** ISO 8601 UTC instant (`…Z`) when the cell has a time, else undefined. A time without zone is read as UTC. */
  timestamp: string | undefined;
}

/** Options of `parseDate`. */
export interface ParseDateOptions {
  /**
   * How to read `03/04/2025`: `"month"` first (US exports, the default) or `"day"` first.
   * `03.04.2025` (dots) is always day first; ISO `2025-04-03` is unambiguous.
   */
  order?: "month" | "day";
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/**
 * Parses the date formats exports use: ISO dates and date-times with or without a zone
 * (`2025-04-03`, `2025-04-03 14:05`, `2025-04-03T14:05:09.123Z`, `…+02:00`, `… UTC`), US or
 * day-first slashes with an optional 12- or 24-hour time (`4/3/2025 2:05 PM`), dotted day-first
 * dates (`03.04.2025`), `3 Apr 2025` / `Apr 3, 2025`, and Unix epoch milliseconds (13 digits, as
 * HubSpot's API-style exports write them). Throws `CellError` `invalid_date` on anything else or
 * on an impossible date (2025-02-30).
 */
export function parseDate(text: string, options: ParseDateOptions = {}): ParsedDate {
  const raw = text.trim();
  const bad = (why: string): never => {
    throw new CellError("invalid_date", `${JSON.stringify(text.slice(0, 40))} is not a date: ${why}.`);
  };
  if (raw === "") bad("it is blank");
  if (/^\d{13}$/.test(raw)) {
    const instant = new Date(Number(raw));
    return { date: instant.toISOString().slice(0, 10), timestamp: instant.toISOString() };
  }
  const parts = splitDate(raw, options);
  if (!parts) return bad("expected e.g. 2025-04-03, 4/3/2025 or 2025-04-03 14:05:00+02:00");
  const { y, m, d } = parts;
  let rest = parts.rest;
  if (m < 1 || m > 12) bad(`month ${m} does not exist`);
  const probe = new Date(Date.UTC(y, m - 1, d));
  if (d < 1 || probe.getUTCMonth() !== m - 1 || probe.getUTCFullYear() !== y)
    bad(`day ${d} is not in month ${m} of ${y}`);
  const date = `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
  rest = rest.trim().replace(/^T/, "");
  if (rest === "") return { date, timestamp: undefined };
  const time =
    /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*([AaPp][Mm])?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$/.exec(
      rest,
    );
  if (!time) return bad(`the time "${rest.slice(0, 30)}" is not hh:mm[:ss] [AM|PM] [zone]`);
  let hour = Number(time[1]);
  const minute = Number(time[2]);
  const second = Number(time[3] ?? 0);
  const millis = Number((time[4] ?? "0").padEnd(3, "0").slice(0, 3));
  const meridiem = time[5]?.toUpperCase();
  if (meridiem) {
    if (hour < 1 || hour > 12) bad(`hour ${hour} is not a 12-hour clock hour`);
    hour = (hour % 12) + (meridiem === "PM" ? 12 : 0);
  }
  if (hour > 23 || minute > 59 || second > 59) bad("the time is out of range");
  const zone = time[6]?.toUpperCase();
  let offsetMinutes = 0;
  if (zone && zone !== "Z" && zone !== "UTC" && zone !== "GMT") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
  }
  const instant = new Date(Date.UTC(y, m - 1, d, hour, minute, second, millis) - offsetMinutes * 60_000);
  const timestamp = instant.toISOString();
  return { date: zone ? timestamp.slice(0, 10) : date, timestamp };
}

function splitDate(
  raw: string,
  options: ParseDateOptions,
): { y: number; m: number; d: number; rest: string } | undefined {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(.*)$/.exec(raw);
  if (iso) return { y: Number(iso[1]), m: Number(iso[2]), d: Number(iso[3]), rest: iso[4] ?? "" };
  const slash = /^(\d{1,2})([/.])(\d{1,2})\2(\d{4}|\d{2})(.*)$/.exec(raw);
  if (slash) {
    const a = Number(slash[1]);
    const b = Number(slash[3]);
    const dayFirst = slash[2] === "." || options.order === "day";
    const year = Number(slash[4]) + ((slash[4] ?? "").length === 2 ? 2000 : 0);
    return { y: year, m: dayFirst ? b : a, d: dayFirst ? a : b, rest: slash[5] ?? "" };
  }
  const dayMonth = /^(\d{1,2})[ -]([A-Za-z]{3})[a-z]*\.?[ -](\d{4})(.*)$/.exec(raw);
  if (dayMonth) {
    const m = MONTHS.indexOf((dayMonth[2] ?? "").toLowerCase()) + 1;
    return { y: Number(dayMonth[3]), m, d: Number(dayMonth[1]), rest: dayMonth[4] ?? "" };
  }
  const monthDay = /^([A-Za-z]{3})[a-z]*\.? (\d{1,2}),? (\d{4})(.*)$/.exec(raw);
  if (monthDay) {
    const m = MONTHS.indexOf((monthDay[1] ?? "").toLowerCase()) + 1;
    return { y: Number(monthDay[3]), m, d: Number(monthDay[2]), rest: monthDay[4] ?? "" };
  }
  return undefined;
}
