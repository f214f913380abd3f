import type { PlannedWrite } from "@toolpacks/pack-kit";
import type { InvoiceRow } from "./lookups.js";

/** What an invoice owes: amount minus payments minus credit notes, never below zero. */
export function openAmount(
  row: Pick<InvoiceRow, "amount_minor" | "amount_paid_minor" | "amount_credited_minor">,
): number {
  return Math.max(0, row.amount_minor - row.amount_paid_minor - row.amount_credited_minor);
}

/**
 * The UPDATE that adds a payment or a credit note to an invoice's running totals and stamps
 * `settled_on` when they first cover the amount. It goes in the same atomic batch as the row it
 * accounts for, so the totals never disagree with the rows.
 */
export function applyToInvoice(
  invoiceId: string,
  column: "amount_paid_minor" | "amount_credited_minor",
  amountMinor: number,
  on: string,
  change: string,
): PlannedWrite {
  const other = column === "amount_paid_minor" ? "amount_credited_minor" : "amount_paid_minor";
  return {
    sql: `UPDATE billing_invoices SET ${column} = ${column} + ?,
            settled_on = CASE WHEN settled_on IS NULL AND ${column} + ? + ${other} >= amount_minor THEN ? ELSE settled_on END
          WHERE id = ?`,
    params: [amountMinor, amountMinor, on, invoiceId],
    change,
  };
}
