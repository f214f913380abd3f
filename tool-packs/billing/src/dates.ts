import { ToolError } from "@toolpacks/pack-kit";
import { dayOf, isoDate } from "@toolpacks/world";
import { z } from "zod";

/** A closed range of calendar days, both ends inclusive. */
export interface Period {
  /** What the caller asked for (or the default), e.g. `2026-Q2`. */
  label: string;
  from: string;
  to: string;
}

const PERIOD = /^(\d{4}-Q[1-4]|\d{4}-\d{2}|\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2})$/;

/** Input field for a period: a quarter, a month, or an explicit date range. */
export const periodSchema = z
  .string()
  .regex(PERIOD, "use 2026-Q2, 2026-06 or 2026-04-01..2026-06-30")
  .describe("calendar quarter (2026-Q2), month (2026-06) or inclusive date range (2026-04-01..2026-06-30)");

/** Output shape of a resolved period. */
export const periodOutput = z.object({ label: z.string(), from: z.string(), to: z.string() });

const MAX_SPAN_DAYS = 3 * 366;

function invalid(text: string, why: string): ToolError {
  return new ToolError("invalid_period", `Period "${text}" ${why}.`, {
    fix: "use a quarter (2026-Q2), a month (2026-06) or a range of real dates, from before to, at most 3 years long.",
  });
}

/** First day of the month `months` after the month of `day` (negative goes back). */
export function monthStart(day: number, months = 0): number {
  const iso = isoDate(day);
  const index = Number(iso.slice(0, 4)) * 12 + Number(iso.slice(5, 7)) - 1 + months;
  const y = Math.floor(index / 12);
  return dayOf(`${String(y).padStart(4, "0")}-${String((index % 12) + 1).padStart(2, "0")}-01`);
}

/**
 * Resolves a period text (shape-checked by `periodSchema`) to its first and last day; without
 * text, the month containing `asOf`. Throws ToolError `invalid_period` for impossible dates,
 * reversed ranges and ranges over three years.
 */
export function resolvePeriod(text: string | undefined, asOf: string): Period {
  const label = text ?? asOf.slice(0, 7);
  const quarter = /^(\d{4})-Q([1-4])$/.exec(label);
  if (quarter) {
    const first = dayOf(`${quarter[1]}-${String(Number(quarter[2]) * 3 - 2).padStart(2, "0")}-01`);
    return { label, from: isoDate(first), to: isoDate(monthStart(first, 3) - 1) };
  }
  if (/^\d{4}-\d{2}$/.test(label)) {
    const first = dayOf(`${label}-01`);
    if (Number.isNaN(first)) throw invalid(label, "is not a calendar month");
    return { label, from: isoDate(first), to: isoDate(monthStart(first, 1) - 1) };
  }
  const [fromText = "", toText = ""] = label.split("..");
  const from = dayOf(fromText);
  const to = dayOf(toText);
  if (Number.isNaN(from) || Number.isNaN(to)) throw invalid(label, "contains a date that does not exist");
  if (to < from) throw invalid(label, "ends before it starts");
  if (to - from > MAX_SPAN_DAYS) throw invalid(label, "spans more than three years");
  return { label, from: fromText, to: toText };
}

/** Whole days from ISO date `from` to ISO date `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayOf(to.slice(0, 10)) - dayOf(from.slice(0, 10));
}

/** The earlier of two ISO dates. */
export function earlierDate(a: string, b: string): string {
  return b < a ? b : a;
}

/** The ISO date `days` after `iso` (negative goes back). */
export function addDays(iso: string, days: number): string {
  return isoDate(dayOf(iso) + days);
}

/**
 * Checks an optional booking date for a write: defaults to `asOf`, must be a real date, not
 * after `asOf` and not before `notBefore`. Throws ToolError `invalid_date` saying which bound.
 */
export function bookingDate(
  field: string,
  value: string | undefined,
  asOf: string,
  notBefore?: string,
): string {
  const date = value ?? asOf;
  if (Number.isNaN(dayOf(date))) {
    throw new ToolError("invalid_date", `${field} "${date}" is not a calendar date.`, {
      fix: "use YYYY-MM-DD.",
    });
  }
  if (date > asOf) {
    throw new ToolError("invalid_date", `${field} ${date} is after the billing system's date ${asOf}.`, {
      fix: `use a date on or before ${asOf}, or leave ${field} out to use ${asOf}.`,
    });
  }
  if (notBefore !== undefined && date < notBefore) {
    throw new ToolError(
      "invalid_date",
      `${field} ${date} is before ${notBefore}, when the invoice was issued.`,
      {
        fix: `use a date from ${notBefore} to ${asOf}.`,
      },
    );
  }
  return date;
}
