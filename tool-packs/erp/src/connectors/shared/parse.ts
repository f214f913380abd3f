import { CellError, type CsvRecord, parseDate, parseMoney } from "@toolpacks/pack-kit";
import { CURRENCIES } from "@toolpacks/world";

/**
 * Cell readers both ERP connectors share. Odoo and ERPNext write floats as Python prints them
 * (1200.0), countries and payment terms by display name, and products as `[code] name` (Odoo).
 */

/** Reads one cell by its resolved header; "" when the export lacks the column. */
export function cell(record: CsvRecord, header: string | undefined): string {
  return header === undefined ? "" : (record.cells[header] ?? "").trim();
}

/** A blank cell refused with what it should hold. */
export function required(text: string, what: string): string {
  if (text === "") throw new CellError("blank", `${what} is blank.`);
  return text;
}

/** An ISO code the ERP pack reports in (USD, EUR, GBP), upper-cased. */
export function erpCurrency(text: string): (typeof CURRENCIES)[number] {
  const code = text.trim().toUpperCase();
  if (!(CURRENCIES as readonly string[]).includes(code)) {
    throw new CellError(
      "unsupported_currency",
      `currency ${JSON.stringify(code.slice(0, 10))} is not one the ERP pack reports in (${CURRENCIES.join(", ")}).`,
    );
  }
  return code as (typeof CURRENCIES)[number];
}

/** An amount in minor units of `currency`, exactly. */
export function minorUnits(text: string, currency: string): number {
  return parseMoney(text, { currency }).minor;
}

/** A whole quantity written as a float (40.0) or with separators (1,200); fractions are refused. */
export function wholeUnits(text: string, what: string): number {
  const plain = text
    .replace(/^(\d{1,3}(,\d{3})+)(\.0+)?$/, (_m, n: string) => n.replaceAll(",", ""))
    .replace(/\.0+$/, "");
  if (!/^\d+$/.test(plain)) {
    throw new CellError(
      "invalid_quantity",
      `${what} ${JSON.stringify(text.slice(0, 20))} is not a whole number of units; the ERP pack holds whole units.`,
    );
  }
  return Number(plain);
}

/** The calendar day of a date or date-time cell. */
export function day(text: string): string {
  return parseDate(text).date;
}

const COUNTRIES: Readonly<Record<string, string>> = {
  "united states": "US",
  "united states of america": "US",
  usa: "US",
  germany: "DE",
  deutschland: "DE",
  france: "FR",
  "united kingdom": "GB",
  uk: "GB",
  "great britain": "GB",
  china: "CN",
  taiwan: "TW",
  netherlands: "NL",
  "the netherlands": "NL",
  belgium: "BE",
  spain: "ES",
  italy: "IT",
  canada: "CA",
  mexico: "MX",
  japan: "JP",
  india: "IN",
  switzerland: "CH",
  austria: "AT",
  sweden: "SE",
  denmark: "DK",
  norway: "NO",
  poland: "PL",
  ireland: "IE",
  australia: "AU",
  brazil: "BR",
  singapore: "SG",
};

/** Country of an account the export names none for (ISO 3166's user-assigned "unknown"). */
export const UNKNOWN_COUNTRY = "ZZ";

/** ISO 3166 alpha-2 of a country cell (code or English name); other names are kept as written. */
export function countryCode(text: string): string {
  const t = text.trim();
  if (t === "") return UNKNOWN_COUNTRY;
  if (/^[A-Za-z]{2}$/.test(t)) return t.toUpperCase();
  return COUNTRIES[t.toLowerCase()] ?? t;
}

/**
 * Days of a payment terms label: "Immediate Payment" 0, "30 Days", "Net 30", "2 Months" 60,
 * "End of Following Month" 45 (the average). Throws `CellError` on others.
 */
export function termsDays(text: string): number {
  const t = text.trim().toLowerCase();
  if (t === "" || /immediate|due on receipt|cash/.test(t)) return 0;
  if (/end of (the )?following month/.test(t)) return 45;
  const days = /^(?:net\s*)?(\d{1,3})\s*(?:days?|d)?$/.exec(t) ?? /^(\d{1,3})\s*days?\b/.exec(t);
  if (days) return Number(days[1]);
  const months = /^(\d{1,2})\s*months?$/.exec(t);
  if (months) return Number(months[1]) * 30;
  throw new CellError(
    "invalid_terms",
    `payment terms ${JSON.stringify(text.slice(0, 40))} are not understood; the ERP pack reads "Immediate Payment", "N Days", "Net N", "N Months" and "End of Following Month".`,
  );
}

/** The internal reference of an Odoo product cell (`[FURN_7777] Office Chair` -> FURN_7777), else the cell. */
export function productCode(text: string): string {
  const match = /^\[([^\]]+)\]/.exec(text.trim());
  return (match?.[1] ?? text).trim();
}

/** A warehouse named in a picking type (`San Francisco: Receipts` -> San Francisco). */
export function warehouseOf(text: string): string {
  return text.replace(/:\s*(Receipts|Delivery Orders|Receipt|Delivery)\s*$/i, "").trim();
}
