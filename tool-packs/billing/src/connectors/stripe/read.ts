import {
  CellError,
  type CsvRecord,
  type ImportMapping,
  parseDate,
  parseMoney,
  type Vocabulary,
  vocabularyKey,
} from "@toolpacks/pack-kit";
import { CURRENCIES } from "@toolpacks/world";

/** Reads one cell of a record by its resolved header; "" when the export lacks the column. */
export function cell(record: CsvRecord, header: string | undefined): string {
  return header === undefined ? "" : (record.cells[header] ?? "").trim();
}

/**
 * The ISO code of a currency cell (Stripe writes `usd`), checked against the currencies the
 * billing pack reports in. Throws `CellError` naming them.
 */
export function billingCurrency(text: string): (typeof CURRENCIES)[number] {
  const code = text.trim().toUpperCase();
  if (code === "") throw new CellError("invalid_currency", "the currency is blank.");
  if (!(CURRENCIES as readonly string[]).includes(code)) {
    throw new CellError(
      "unsupported_currency",
      `currency ${JSON.stringify(code.slice(0, 10))} is not one the billing pack reports in (${CURRENCIES.join(", ")}); its answers convert at fixed rates for those only.`,
    );
  }
  return code as (typeof CURRENCIES)[number];
}

/** An amount cell in integer minor units of `currency`, exactly (see `parseMoney`). */
export function minorUnits(text: string, currency: string): number {
  return parseMoney(text, { currency }).minor;
}

/** The calendar day of a date or date-time cell (UTC day when it has a zone). */
export function day(text: string): string {
  return parseDate(text).date;
}

/** The value overrides a mapping file gives for `vocabulary` ("invoice status" or "invoice_status"). */
export function overridesFor(
  mapping: ImportMapping | undefined,
  vocabulary: Vocabulary<string>,
): Record<string, string> {
  const key = vocabularyKey(vocabulary.name);
  const entry = Object.entries(mapping?.values ?? {}).find(([name]) => vocabularyKey(name) === key);
  return entry?.[1] ?? {};
}
