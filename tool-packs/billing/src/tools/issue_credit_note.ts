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

/** Credit note reasons. */
const REASONS = ["damaged_goods", "pricing_error", "service_credit", "goodwill", "returned_goods"] as const;

/** Issues a credit note against one invoice, never more than its amount net of earlier credit notes. */
export const issueCreditNote = defineWriteTool({
  name: "issue_credit_note",
  title: "Issue a credit note",
  description:
    "Issues a credit note reducing one invoice, in the invoice's currency (integer minor units), and returns " +
    "its id with the invoice's credited total, open amount and status after it. The amount " +
    "cannot exceed the invoice amount net of its earlier credit notes; a larger amount is refused with the " +
    "creditable amount, and nothing is written. When the invoice was already paid, the part of the credit " +
    "beyond what it still owed is reported as refund_due_minor. issued_on defaults to the billing system's " +
    "date. Each call issues one credit note: send an idempotency key so a retry does not issue it twice.",
  input: z.object({
    invoice_id: invoiceIdSchema,
    amount_minor: z.number().int().min(1).describe("credit amount, minor units of the invoice currency"),
    currency: currencySchema,
    reason: z.enum(REASONS).describe("why the invoice is reduced"),
    issued_on: isoDateSchema.optional(),
  }),
  output: z.object({
    credit_note_id: z.string(),
    invoice_id: z.string(),
    account_id: z.string(),
    currency: currencySchema,
    amount_minor: minor,
    issued_on: z.string(),
    credited_total_minor: minor.describe("all credit notes on the invoice, this one included"),
    open_after_minor: minor,
    refund_due_minor: minor.describe("paid beyond the invoice's net amount, owed back to the customer"),
    invoice_status: z.enum(["paid", "open", "overdue"]),
  }),
  scope: "billing:write",
  budgetTokens: 300,
  moves: { sum: [{ product: ["amount_minor"] }], currency: "currency" },
  destructive: false,
  idempotent: false,
  examples: [{ invoice_id: "INV-S000003-202507", amount_minor: 100, currency: "USD", reason: "goodwill" }],
  async handler(input, { store, asOf }) {
    const invoice = await requireInvoice(store, input.invoice_id);
    requireCurrency(`Invoice ${invoice.id}`, invoice.currency, input.currency);
    const cur = invoice.currency;
    const creditable = invoice.amount_minor - invoice.amount_credited_minor;
    if (input.amount_minor > creditable) {
      throw new ToolError(
        "overcredit",
        `A credit note of ${formatMinor(input.amount_minor, cur)} exceeds what invoice ${invoice.id} can still be credited, ${formatMinor(creditable, cur)} (amount ${formatMinor(invoice.amount_minor, cur)} minus earlier credit notes ${formatMinor(invoice.amount_credited_minor, cur)}); nothing was written.`,
        {
          fix:
            creditable > 0
              ? `credit at most amount_minor ${creditable}; for a larger goodwill amount, credit other invoices of the account.`
              : "this invoice is fully credited already; credit another invoice of the account.",
        },
      );
    }
    const issuedOn = bookingDate("issued_on", input.issued_on, asOf, invoice.issued_on);
    const existing = await store.first<{ n: number }>(
      "SELECT COUNT(*) AS n FROM billing_credit_notes WHERE invoice_id = ?",
      [invoice.id],
    );
    const id = childId("CN", invoice.id, existing?.n ?? 0);
    const after = { ...invoice, amount_credited_minor: invoice.amount_credited_minor + input.amount_minor };
    const refundDue = Math.max(0, after.amount_paid_minor + after.amount_credited_minor - after.amount_minor);
    return {
      result: {
        credit_note_id: id,
        invoice_id: invoice.id,
        account_id: invoice.account_id,
        currency: input.currency,
        amount_minor: input.amount_minor,
        issued_on: issuedOn,
        credited_total_minor: after.amount_credited_minor,
        open_after_minor: openAmount(after),
        refund_due_minor: refundDue,
        invoice_status: invoiceStatus(after, asOf),
      },
      writes: [
        {
          sql: "INSERT INTO billing_credit_notes (id, invoice_id, account_id, issued_on, amount_minor, currency, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
          params: [
            id,
            invoice.id,
            invoice.account_id,
            issuedOn,
            input.amount_minor,
            input.currency,
            input.reason,
          ],
          change: `credit note ${id}: ${formatMinor(input.amount_minor, cur)} on ${invoice.id} (${input.reason})`,
        },
        {
          ...revenueDelta("credited_minor", issuedOn, cur, input.amount_minor),
          change: `revenue ${issuedOn.slice(0, 7)}: +${formatMinor(input.amount_minor, cur)} credited`,
        },
        applyToInvoice(
          invoice.id,
          "amount_credited_minor",
          input.amount_minor,
          issuedOn,
          `invoice ${invoice.id}: credited ${formatMinor(after.amount_credited_minor, cur)} in total`,
        ),
      ],
      moves: input.amount_minor,
    };
  },
});
