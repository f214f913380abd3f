import { daysBetween, defineTool, ToolError } from "@toolpacks/pack-kit";
import { z } from "zod";
import { invoiceStatus } from "../invoices-sql.js";
import { INVOICE_COLUMNS, type InvoiceRow, requireInvoice } from "../lookups.js";
import { currencySchema, invoiceIdSchema, minor, orderIdSchema } from "../schemas.js";
import type { Rows } from "../tables.js";

/** Lines, payments and credit notes listed in one answer at most; counts and sums cover all. */
const MAX_ITEMS = 20;

/** One invoice with its lines, payments and credit notes. */
export const getInvoice = defineTool({
  name: "get_invoice",
  title: "Get invoice",
  description:
    "Returns one invoice, by invoice id or by sales order id: account, order or subscription, dates, amount, paid, " +
    "credited and open amounts in its currency (integer minor units), status as of the billing system's " +
    `date (paid, open, overdue) and days overdue, its lines (sku, quantity, net unit price, amount; first ${MAX_ITEMS}), ` +
    "payments and credit notes. Use it to check that an order's invoice matches the order. An unknown invoice id, " +
    "or an order without an invoice, is a not_found tool error (the order may simply not be invoiced yet).",
  input: z.object({
    invoice_id: invoiceIdSchema
      .optional()
      .describe(
        "invoice id: INV-O<order number> for a sales order's invoice (SO-0000042 -> INV-O0000042), INV-S<subscription number>-<YYYYMM> for a subscription month (INV-S000042-202606); unknown id: not_found tool error",
      ),
    order_id: orderIdSchema
      .optional()
      .describe(
        "find the invoice of this ERP sales order instead; an order with no invoice yet is a not_found tool error (catch it: code not_found)",
      ),
  }),
  output: z.object({
    as_of: z.string(),
    invoice: z.object({
      id: z.string(),
      account_id: z.string(),
      sales_order_id: z.string().nullable(),
      subscription_id: z.string().nullable(),
      issued_on: z.string(),
      due_on: z.string(),
      currency: currencySchema,
      amount_minor: minor,
      paid_minor: minor,
      credited_minor: minor,
      open_minor: minor,
      status: z.enum(["paid", "open", "overdue"]),
      days_overdue: z.number().int(),
      settled_on: z.string().nullable(),
    }),
    lines: z.object({
      count: z.number().int(),
      total_minor: minor.describe("sum of every line's amount, in the invoice's currency"),
      items: z.array(
        z.object({
          line_no: z.number().int(),
          sku: z.string(),
          quantity: z.number().int(),
          net_unit_price_minor: minor.describe("price per unit after discount, in the invoice's currency"),
          amount_minor: minor.describe("quantity x net unit price, in the invoice's currency"),
        }),
      ),
    }),
    payments: z.array(
      z.object({
        id: z.string(),
        paid_on: z.string(),
        amount_minor: minor.describe("in the invoice's currency"),
        method: z.string(),
      }),
    ),
    credit_notes: z.array(
      z.object({
        id: z.string(),
        issued_on: z.string(),
        amount_minor: minor.describe("in the invoice's currency"),
        reason: z.string(),
      }),
    ),
  }),
  scope: "billing:read",
  budgetTokens: 1200,
  examples: [{ invoice_id: "INV-S000003-202507" }],
  async handler({ invoice_id, order_id }, { store, asOf }) {
    if ((invoice_id === undefined) === (order_id === undefined)) {
      throw new ToolError("invalid_arguments", "get_invoice needs exactly one of invoice_id or order_id.", {
        fix: 'send { "invoice_id": "INV-O0000042" } or { "order_id": "SO-0000042" }.',
      });
    }
    let row: InvoiceRow;
    if (invoice_id !== undefined) row = await requireInvoice(store, invoice_id);
    else {
      const found = await store.first<InvoiceRow>(
        `SELECT ${INVOICE_COLUMNS} FROM billing_invoices WHERE sales_order_id = ?`,
        [order_id ?? null],
      );
      if (!found) {
        throw new ToolError("not_found", `Sales order ${order_id} has no invoice yet.`, {
          fix: "invoice it with invoice_order once it can ship, or check the order id in the ERP.",
        });
      }
      row = found;
    }
    const lines = await store.all<
      Pick<Rows["billing_invoice_lines"], "line_no" | "sku" | "quantity" | "amount_minor"> & {
        net_unit_price_minor: Rows["billing_invoice_lines"]["unit_price_minor"];
      }
    >(
      "SELECT line_no, sku, quantity, unit_price_minor AS net_unit_price_minor, amount_minor FROM billing_invoice_lines WHERE invoice_id = ? ORDER BY line_no",
      [row.id],
    );
    const payments = await store.all<
      Pick<Rows["billing_payments"], "id" | "paid_on" | "amount_minor" | "method">
    >(
      `SELECT id, paid_on, amount_minor, method FROM billing_payments WHERE invoice_id = ? ORDER BY paid_on, id LIMIT ${MAX_ITEMS}`,
      [row.id],
    );
    const credits = await store.all<
      Pick<Rows["billing_credit_notes"], "id" | "issued_on" | "amount_minor" | "reason">
    >(
      `SELECT id, issued_on, amount_minor, reason FROM billing_credit_notes WHERE invoice_id = ? ORDER BY issued_on, id LIMIT ${MAX_ITEMS}`,
      [row.id],
    );
    const status = invoiceStatus(row, asOf);
    const open = Math.max(0, row.amount_minor - row.amount_paid_minor - row.amount_credited_minor);
    return {
      as_of: asOf,
      invoice: {
        id: row.id,
        account_id: row.account_id,
        sales_order_id: row.sales_order_id,
        subscription_id: row.subscription_id,
        issued_on: row.issued_on,
        due_on: row.due_on,
        currency: row.currency as z.infer<typeof currencySchema>,
        amount_minor: row.amount_minor,
        paid_minor: row.amount_paid_minor,
        credited_minor: row.amount_credited_minor,
        open_minor: open,
        status,
        days_overdue: status === "overdue" ? daysBetween(row.due_on, asOf) : 0,
        settled_on: row.settled_on,
      },
      lines: {
        count: lines.length,
        total_minor: lines.reduce((sum, l) => sum + l.amount_minor, 0),
        items: lines.slice(0, MAX_ITEMS),
      },
      payments,
      credit_notes: credits,
    };
  },
});
