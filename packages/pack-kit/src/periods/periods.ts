import { z } from "zod";
import { PackKitError, ToolError } from "../errors.js";
import { dayOf, isoDate, monthStartDay } from "./calendar.js";

const PERIOD = /^(\d{4}-Q[1-4]|\d{4}-\d{2}|\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2})$/;
const QUARTER = /^(\d{4})-Q([1-4])$/;
const MONTH = /^\d{4}-\d{2}$/;
const MAX_SPAN_DAYS = 3 * 366;

/**
 * Tool input for a period: a calendar quarter (`2026-Q2`), a month (`2026-06`) or an inclusive
 * range of dates (`2026-04-01..2026-06-30`). Only the shape is checked here, before a handler
 * runs; `resolvePeriod` checks that the dates exist, are in order and span at most three years.
 */
export const periodSchema = z
  .string()
  .regex(PERIOD, "use 2026-Q2, 2026-06 or 2026-04-01..2026-06-30")
  .describe("calendar quarter (2026-Q2), month (2026-06) or inclusive date range (2026-04-01..2026-06-30)");

/** Tool output for the period an answer covers: what was asked (or defaulted to) and its days. */
export const periodOutput = z.object({ label: z.string(), from: z.string(), to: z.string() });

/** A closed range of calendar days, both ends inclusive (`from`, `to` as `YYYY-MM-DD`). */
export type Period = z.infer<typeof periodOutput>;

function invalid(text: string, why: string): ToolError {
  return new ToolError("invalid_period", `Period "${text}" ${why}.`, {
    fix: "use a quarter (2026-Q2), a month (2026-06) or a range of real dates, from before to, at most 3 years long.",
  });
}

function monthOf(first: number, label: string): Period {
  return { label, from: isoDate(first), to: isoDate(monthStartDay(first, 1) - 1) };
}

/** The calendar quarter containing the ISO date `asOf`, labelled like `2026-Q2`. */
export function quarterPeriod(asOf: string): Period {
  const quarter = Math.floor((Number(asOf.slice(5, 7)) - 1) / 3) + 1;
  return resolvePeriod(`${asOf.slice(0, 4)}-Q${quarter}`, asOf);
}

/** The calendar month containing the ISO date `asOf`, labelled like `2026-06`. */
export function monthPeriod(asOf: string): Period {
  return resolvePeriod(asOf.slice(0, 7), asOf);
}

/**
 * Resolves a period text (shape-checked by `periodSchema`) to its first and last day. Without
 * text, the quarter or month (`fallback`, default month) containing `asOf`. Throws ToolError
 * `invalid_period`, with a fix for the model, for a month or date that does not exist, a range
 * that ends before it starts or spans more than three years, and any other shape.
 */
export function resolvePeriod(
  text: string | undefined,
  asOf: string,
  fallback: "quarter" | "month" = "month",
): Period {
  if (text === undefined) return fallback === "quarter" ? quarterPeriod(asOf) : monthPeriod(asOf);
  const quarter = QUARTER.exec(text);
  if (quarter) {
    const first = dayOf(`${quarter[1]}-${String(Number(quarter[2]) * 3 - 2).padStart(2, "0")}-01`);
    return { label: text, from: isoDate(first), to: isoDate(monthStartDay(first, 3) - 1) };
  }
  if (MONTH.test(text)) {
    const first = dayOf(`${text}-01`);
    if (Number.isNaN(first)) throw invalid(text, "is not a calendar month");
    return monthOf(first, text);
  }
  const parts = text.split("..");
  if (parts.length !== 2) throw invalid(text, "is not a quarter, a month or a range of two dates");
  const [fromText = "", toText = ""] = parts;
  const from = dayOf(fromText);
  const to = dayOf(toText);
  if (Number.isNaN(from) || Number.isNaN(to)) throw invalid(text, "contains a date that does not exist");
  if (to < from) throw invalid(text, "ends before it starts");
  if (to - from > MAX_SPAN_DAYS) throw invalid(text, "spans more than three years");
  return { label: text, from: fromText, to: toText };
}

/**
 * The window of the last `days` calendar days up to and including `asOf`: exactly `days` days,
 * `from` = `asOf` - (`days` - 1). "The last 90 days" as of 2026-06-30 is 2026-04-02..2026-06-30.
 * Every trailing window of every pack comes from here, so no tool counts one day more than it
 * says. Throws PackKitError `invalid_date` for a date that does not exist or `days` that is not
 * a positive whole number.
 */
export function trailingDays(asOf: string, days: number, label = `last ${days} days`): Period {
  if (!Number.isInteger(days) || days < 1) {
    throw new PackKitError(
      "invalid_date",
      `trailingDays("${asOf}", ${days}): days must be a positive whole number.`,
    );
  }
  const to = asOf.slice(0, 10);
  return { label, from: addDays(to, -(days - 1)), to };
}

/**
 * Whole days from `from` to `to` (ISO dates or timestamps; only the date part counts),
 * negative when `to` is earlier, NaN when either is not a real date.
 */
export function daysBetween(from: string, to: string): number {
  return dayOf(to.slice(0, 10)) - dayOf(from.slice(0, 10));
}

/**
 * The ISO date `days` after the date of `iso` (negative goes back). Throws PackKitError
 * `invalid_date` when `iso` does not start with a real date or `days` is not a whole number.
 */
export function addDays(iso: string, days: number): string {
  const day = dayOf(iso.slice(0, 10));
  if (Number.isNaN(day) || !Number.isInteger(days)) {
    throw new PackKitError(
      "invalid_date",
      `addDays("${iso}", ${days}): needs a real date (YYYY-MM-DD, optionally a timestamp) and a whole number of days.`,
    );
  }
  return isoDate(day + days);
}
