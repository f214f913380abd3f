// Period parsing shared with the CRM pack (same inputs, same answers), copied to keep packs independent.
import { ToolError } from "@toolpacks/pack-kit";
import { dayOf, isoDate, quarterEnd, quarterOf } from "@toolpacks/world";
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
    fix: "use a quarter (2026-Q2), a month (2026-06) or a range with real dates, from before to, at most 3 years long.",
  });
}

/** The quarter containing `asOf`, as a period. */
export function quarterPeriod(asOf: string): Period {
  const day = dayOf(asOf);
  const end = quarterEnd(day);
  return { label: quarterOf(day), from: isoDate(quarterEnd(end - 95) + 1), to: isoDate(end) };
}

/** The month containing `asOf`, as a period. */
export function monthPeriod(asOf: string): Period {
  return resolvePeriod(asOf.slice(0, 7), asOf, "month");
}

/**
 * Resolves a period text (already shape-checked by `periodSchema`) to its first and last
 * day; without text, the quarter or month containing `asOf`. Throws ToolError
 * `invalid_period` for impossible dates, reversed ranges and ranges over three years.
 */
export function resolvePeriod(text: string | undefined, asOf: string, fallback: "quarter" | "month"): Period {
  if (text === undefined) return fallback === "quarter" ? quarterPeriod(asOf) : monthPeriod(asOf);
  const quarter = /^(\d{4})-Q([1-4])$/.exec(text);
  if (quarter) {
    const first = dayOf(`${quarter[1]}-${String(Number(quarter[2]) * 3 - 2).padStart(2, "0")}-01`);
    return { label: text, from: isoDate(first), to: isoDate(quarterEnd(first)) };
  }
  const month = /^(\d{4})-(\d{2})$/.exec(text);
  if (month) {
    const first = dayOf(`${text}-01`);
    if (Number.isNaN(first)) throw invalid(text, "is not a calendar month");
    let last = first + 27;
    while (isoDate(last + 1).slice(0, 7) === text) last++;
    return { label: text, from: isoDate(first), to: isoDate(last) };
  }
  const [fromText = "", toText = ""] = text.split("..");
  const from = dayOf(fromText);
  const to = dayOf(toText);
  if (Number.isNaN(from) || Number.isNaN(to)) throw invalid(text, "contains a date that does not exist");
  if (to < from) throw invalid(text, "ends before it starts");
  if (to - from > MAX_SPAN_DAYS) throw invalid(text, "spans more than three years");
  return { label: text, from: fromText, to: toText };
}
