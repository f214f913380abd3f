// Billing-only date helpers; period parsing and day arithmetic come from the kit.
import { ToolError } from "@toolpacks/pack-kit";
import { dayOf, isoDate } from "@toolpacks/world";

/** First day of the month `months` after the month of `day` (negative goes back). */
export function monthStart(day: number, months = 0): number {
  const iso = isoDate(day);
  const index = Number(iso.slice(0, 4)) * 12 + Number(iso.slice(5, 7)) - 1 + months;
  const y = Math.floor(index / 12);
  return dayOf(`${String(y).padStart(4, "0")}-${String((index % 12) + 1).padStart(2, "0")}-01`);
}

/** The earlier of two ISO dates. */
export function earlierDate(a: string, b: string): string {
  return b < a ? b : a;
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
