import { addDays, defineWriteTool, type PlannedWrite, ToolError } from "@toolpacks/pack-kit";
import { z } from "zod";
import { bookingDate } from "../dates.js";
import { orderInvoiceId } from "../ids.js";
import { INVOICE_COLUMNS, type InvoiceRow, requireAccount, requireCurrency } from "../lookups.js";
import { formatMinor } from "../money.js";
import { revenueDelta } from "../revenue-rollup.js";
import { accountIdSchema, currencySchema, isoDateSchema, minor, orderIdSchema } from "../schemas.js";

const line = z.object({
  sku: z.string().min(1).max(64).describe("SKU, e.g. SKU-00042"),
  quantity: z.number().int().min(1).max(1_000_000),
  net_unit_price_minor: z
    .number()
    .int()
    .min(0)
    .max(1e11)
    .describe(
      "the order line's net_unit_price_minor: price per unit after discount, in the invoice currency",
    ),
  amount_minor: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe("line amount in the invoice currency (quantity x net unit price); checked when given"),
});

type Line = z.infer<typeof line>;

/** Checks each line's arithmetic and returns the lines' total; throws ToolError `amount_mismatch`. */
function linesTotal(lines: readonly Line[], currency: string): number {
  let total = 0;
  for (const [i, l] of lines.entries()) {
    const amount = l.quantity * l.net_unit_price_minor;
    if (!Number.isSafeInteger(amount)) {
      throw new ToolError(
        "amount_too_large",
        `Line ${i + 1} (${l.sku}) amounts to more than can be invoiced exactly.`,
        {
          fix: "split the order or check quantity and net_unit_price_minor (minor units, not decimals).",
        },
      );
    }
    if (l.amount_minor !== undefined && l.amount_minor !== amount) {
      throw new ToolError(
        "amount_mismatch",
        `Line ${i + 1} (${l.sku}): amount_minor ${l.amount_minor} is not quantity ${l.quantity} x net_unit_price_minor ${l.net_unit_price_minor} = ${amount}; nothing was written.`,
        { fix: `send amount_minor ${amount} (${formatMinor(amount, currency)}) or leave amount_minor out.` },
      );
    }
    total += amount;
  }
  return total;
}

/** Lines per INSERT: 6 parameters each stays under D1's 100 bound parameters per statement. */
const LINES_PER_STATEMENT = 16;

function lineInserts(invoiceId: string, lines: readonly Line[]): PlannedWrite[] {
  const writes: PlannedWrite[] = [];
  for (let start = 0; start < lines.length; start += LINES_PER_STATEMENT) {
    const chunk = lines.slice(start, start + LINES_PER_STATEMENT);
    writes.push({
      sql: `INSERT INTO billing_invoice_lines (invoice_id, line_no, sku, quantity, unit_price_minor, amount_minor) VALUES ${chunk.map(() => "(?, ?, ?, ?, ?, ?)").join(", ")}`,
      params: chunk.flatMap((l, i) => [
        invoiceId,
        start + i + 1,
        l.sku,
        l.quantity,
        l.net_unit_price_minor,
        l.quantity * l.net_unit_price_minor,
      ]),
      change: `invoice ${invoiceId}: lines ${start + 1}-${start + chunk.length}`,
    });
  }
  return writes;
}

const output = z.object({
  invoice_id: z.string(),
  order_id: z.string(),
  account_id: z.string(),
  currency: currencySchema,
  total_minor: minor,
  lines: z.number().int(),
  issued_on: z.string(),
  due_on: z.string(),
  already_invoiced: z
    .boolean()
    .describe("true when the order had an invoice already: that one is returned and nothing is written"),
  matches_request: z
    .boolean()
    .describe("false when an existing invoice differs from this request (account, currency or total)"),
});

/** The answer for an order that already has an invoice. */
function existingAnswer(
  row: InvoiceRow,
  lines: number,
  request: { account_id: string; currency: string; total_minor: number },
) {
  return {
    invoice_id: row.id,
    order_id: row.sales_order_id ?? "",
    account_id: row.account_id,
    currency: row.currency as z.infer<typeof currencySchema>,
    total_minor: row.amount_minor,
    lines,
    issued_on: row.issued_on,
    due_on: row.due_on,
    already_invoiced: true,
    matches_request:
      row.account_id === request.account_id &&
      row.currency === request.currency &&
      row.amount_minor === request.total_minor,
  };
}

/** Invoices a shipped (or shippable) sales order's lines, once per order. */
export const invoiceOrder = defineWriteTool({
  name: "invoice_order",
  title: "Invoice an order",
  description:
    "Creates the invoice of an ERP sales order from its lines (sku, quantity, unit price in minor units) and " +
    "returns its id, total, issue and due dates. " +
    "Checks that each line amount is quantity x unit price, that total_minor equals the sum of the lines, " +
    "and that currency is the billing account's currency. An order is invoiced at most once: when it already " +
    "has an invoice, that invoice is returned with already_invoiced=true and nothing is written. The invoice " +
    "id is derived from the order id (SO-0000042 -> INV-O0000042); due date = issue date + the account's " +
    "payment terms. issued_on defaults to the billing system's date.",
  input: z.object({
    order_id: orderIdSchema,
    account_id: accountIdSchema.describe("the order's customer id, e.g. C-000042"),
    currency: currencySchema,
    lines: z.array(line).min(1).max(200).describe("the order's lines, 1 to 200, in order"),
    total_minor: z
      .number()
      .int()
      .min(1)
      .describe("invoice total in minor units: must equal the sum of the lines"),
    issued_on: isoDateSchema.optional(),
  }),
  output,
  scope: "billing:write",
  budgetTokens: 400,
  // What the invoice bills: quantity x unit price over its lines (total_minor must equal it).
  moves: { sum: [{ each: "lines", product: ["quantity", "net_unit_price_minor"] }], currency: "currency" },
  destructive: false,
  idempotent: true,
  examples: [
    {
      order_id: "SO-9999999",
      account_id: "C-000001",
      currency: "USD",
      lines: [{ sku: "SKU-00001", quantity: 2, net_unit_price_minor: 1_500 }],
      total_minor: 3_000,
    },
  ],
  async handler(input, { store, asOf }) {
    const existing = await store.first<InvoiceRow>(
      `SELECT ${INVOICE_COLUMNS} FROM billing_invoices WHERE sales_order_id = ?`,
      [input.order_id],
    );
    if (existing) {
      const n = await store.first<{ n: number }>(
        "SELECT COUNT(*) AS n FROM billing_invoice_lines WHERE invoice_id = ?",
        [existing.id],
      );
      return { result: existingAnswer(existing, n?.n ?? 0, input), writes: [], moves: 0 };
    }
    const account = await requireAccount(store, input.account_id);
    requireCurrency(`Billing account ${account.id}`, account.currency, input.currency);
    const total = linesTotal(input.lines, input.currency);
    if (total !== input.total_minor) {
      throw new ToolError(
        "amount_mismatch",
        `total_minor ${input.total_minor} (${formatMinor(input.total_minor, input.currency)}) is not the sum of the ${input.lines.length} lines, ${total} (${formatMinor(total, input.currency)}); nothing was written.`,
        {
          fix: "send the order's lines and total exactly as the ERP has them (get them from the ERP order), in minor units.",
        },
      );
    }
    const issuedOn = bookingDate("issued_on", input.issued_on, asOf);
    const dueOn = addDays(issuedOn, account.payment_terms_days);
    const id = orderInvoiceId(input.order_id);
    const taken = await store.first("SELECT id FROM billing_invoices WHERE id = ?", [id]);
    if (taken) {
      throw new ToolError(
        "conflict",
        `Invoice id ${id} is already used by another invoice; nothing was written.`,
        {
          fix: "check the order id: ERP order ids are SO- plus the deal number (e.g. SO-0000042).",
        },
      );
    }
    const writes: PlannedWrite[] = [
      {
        sql: `INSERT INTO billing_invoices (id, account_id, subscription_id, sales_order_id, issued_on, due_on, amount_minor, amount_paid_minor, amount_credited_minor, currency, settled_on)
              VALUES (?, ?, NULL, ?, ?, ?, ?, 0, 0, ?, NULL)`,
        params: [id, account.id, input.order_id, issuedOn, dueOn, total, input.currency],
        change: `invoice ${id} for order ${input.order_id}: ${formatMinor(total, input.currency)} to ${account.id}, due ${dueOn}`,
      },
      ...lineInserts(id, input.lines),
      {
        ...revenueDelta("invoiced_minor", issuedOn, input.currency, total),
        change: `revenue ${issuedOn.slice(0, 7)}: +${formatMinor(total, input.currency)} invoiced`,
      },
    ];
    return {
      result: {
        invoice_id: id,
        order_id: input.order_id,
        account_id: account.id,
        currency: input.currency,
        total_minor: total,
        lines: input.lines.length,
        issued_on: issuedOn,
        due_on: dueOn,
        already_invoiced: false,
        matches_request: true,
      },
      writes,
      moves: total,
    };
  },
});
