import { defineWriteTool, ToolError } from "@toolpacks/pack-kit";
import { z } from "zod";
import { bookingDate } from "../dates.js";
import { childId } from "../ids.js";
import { invoiceStatus } from "../invoices-sql.js";
import { requireCurrency, requireInvoice } from "../lookups.js";
import { formatMinor } from "../money.js";
import { revenueDelta } from "../revenue-rollup.js";
import { currencySchema, invoiceIdSchema, isoDateSchema, minor } from "../schemas.js";
import { applyToInvoice, openAmount } from "../settlement.js";

/** Records money received against one invoice, never more than it still owes. */
export const recordPayment = defineWriteTool({
  name: "record_payment",
  title: "Record a payment",
  description:
    "Records a payment received against one invoice, in the invoice's currency (integer minor units), and " +
    "returns the payment id with the invoice's open amount before and after and its status. The " +
    "amount cannot exceed what the invoice still owes (amount - payments - credit notes); a larger amount is " +
    "refused with the open amount, and nothing is written. paid_on defaults to the billing system's date and " +
    "must lie between the issue date and that date. Each call records one payment: send an idempotency key " +
    "so a retry does not record it twice.",
  input: z.object({
    invoice_id: invoiceIdSchema,
    amount_minor: z.number().int().min(1).describe("amount received, minor units of the invoice currency"),
    currency: currencySchema,
    paid_on: isoDateSchema.optional(),
    method: z
      .enum(["card", "bank_transfer", "direct_debit"])
      .default("bank_transfer")
      .describe("how it was paid"),
  }),
  output: z.object({
    payment_id: z.string(),
    invoice_id: z.string(),
    account_id: z.string(),
    currency: currencySchema,
    amount_minor: minor,
    paid_on: z.string(),
    open_before_minor: minor,
    open_after_minor: minor,
    invoice_status: z.enum(["paid", "open", "overdue"]).describe("the invoice's status after this payment"),
  }),
  scope: "billing:write",
  budgetTokens: 300,
  moves: { sum: [{ product: ["amount_minor"] }], currency: "currency" },
  destructive: false,
  idempotent: false,
  examples: [{ invoice_id: "INV-S000003-202507", amount_minor: 100, currency: "USD" }],
  async handler(input, { store, asOf }) {
    const invoice = await requireInvoice(store, input.invoice_id);
    requireCurrency(`Invoice ${invoice.id}`, invoice.currency, input.currency);
    const open = openAmount(invoice);
    const cur = invoice.currency;
    if (open === 0) {
      throw new ToolError(
        "already_settled",
        `Invoice ${invoice.id} owes nothing: payments and credit notes already cover its ${formatMinor(invoice.amount_minor, cur)}; nothing was written.`,
        {
          fix: "check the invoice id (get_invoice); record money received beyond an invoice as a payment on another open invoice of the account.",
        },
      );
    }
    if (input.amount_minor > open) {
      throw new ToolError(
        "overpayment",
        `A payment of ${formatMinor(input.amount_minor, cur)} exceeds what invoice ${invoice.id} still owes, ${formatMinor(open, cur)} (amount ${formatMinor(invoice.amount_minor, cur)}, paid ${formatMinor(invoice.amount_paid_minor, cur)}, credited ${formatMinor(invoice.amount_credited_minor, cur)}); nothing was written.`,
        {
          fix: `record at most amount_minor ${open} on this invoice and apply the rest to the account's other open invoices (customer_balance lists them).`,
        },
      );
    }
    const paidOn = bookingDate("paid_on", input.paid_on, asOf, invoice.issued_on);
    const existing = await store.first<{ n: number }>(
      "SELECT COUNT(*) AS n FROM billing_payments WHERE invoice_id = ?",
      [invoice.id],
    );
    const id = childId("PAY", invoice.id, existing?.n ?? 0);
    const after = { ...invoice, amount_paid_minor: invoice.amount_paid_minor + input.amount_minor };
    return {
      result: {
        payment_id: id,
        invoice_id: invoice.id,
        account_id: invoice.account_id,
        currency: input.currency,
        amount_minor: input.amount_minor,
        paid_on: paidOn,
        open_before_minor: open,
        open_after_minor: openAmount(after),
        invoice_status: invoiceStatus(after, asOf),
      },
      writes: [
        {
          sql: "INSERT INTO billing_payments (id, invoice_id, account_id, paid_on, amount_minor, currency, method) VALUES (?, ?, ?, ?, ?, ?, ?)",
          params: [
            id,
            invoice.id,
            invoice.account_id,
            paidOn,
            input.amount_minor,
            input.currency,
            input.method,
          ],
          change: `payment ${id}: ${formatMinor(input.amount_minor, cur)} on ${invoice.id} (${input.method}, ${paidOn})`,
        },
        {
          ...revenueDelta("collected_minor", paidOn, cur, input.amount_minor),
          change: `revenue ${paidOn.slice(0, 7)}: +${formatMinor(input.amount_minor, cur)} collected`,
        },
        applyToInvoice(
          invoice.id,
          "amount_paid_minor",
          input.amount_minor,
          paidOn,
          `invoice ${invoice.id}: open ${formatMinor(open, cur)} -> ${formatMinor(openAmount(after), cur)}`,
        ),
      ],
      moves: input.amount_minor,
    };
  },
});
