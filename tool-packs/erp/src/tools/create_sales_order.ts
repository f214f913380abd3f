import { defineWriteTool, type PlannedWrite, type ReadStore, ToolError } from "@toolpacks/pack-kit";
import { type Currency, toReportingMinor } from "@toolpacks/world";
import { z } from "zod";
import { dealKeys, ownCustomerId, requireCustomer, requireLocation } from "../lookups.js";
import {
  currencySchema,
  customerIdSchema,
  dealIdSchema,
  locationIdSchema,
  minor,
  netUnitPrice,
  orderIdForDeal,
  orderStatusSchema,
  placeholders,
  skuSchema,
} from "../schemas.js";

const lineInput = z.object({
  sku: skuSchema,
  quantity: z.number().int().min(1).max(1_000_000).describe("units, 1 to 1,000,000"),
  net_unit_price_minor: netUnitPrice
    .min(0)
    .max(1_000_000_000)
    .describe("the deal line's net_unit_price_minor: price per unit after discount, in the order currency"),
});

type LineInput = z.infer<typeof lineInput>;

async function checkLines(store: ReadStore, lines: LineInput[]): Promise<Map<string, number>> {
  const skus = lines.map((l) => l.sku);
  const repeated = skus.find((sku, i) => skus.indexOf(sku) !== i);
  if (repeated) {
    throw new ToolError("duplicate_sku", `SKU ${repeated} appears on more than one line.`, {
      fix: "merge the lines of the same SKU into one line with the summed quantity.",
    });
  }
  const items = await store.all<{ sku: string; unit_cost_minor: number }>(
    `SELECT sku, unit_cost_minor FROM erp_items WHERE sku IN (${placeholders(skus)})`,
    skus,
  );
  const cost = new Map(items.map((i) => [i.sku, i.unit_cost_minor]));
  const unknown = skus.filter((sku) => !cost.has(sku));
  if (unknown.length > 0) {
    throw new ToolError("unknown_sku", `No ERP item has SKU ${unknown.join(", ")}.`, {
      fix: "take SKUs from the deal's lines in the CRM or from item_margins; remove lines for items the ERP does not sell.",
    });
  }
  return cost;
}

/**
 * Checks the deal against the ERP's copy of the CRM deals: it must exist there (won or open; lost
 * deals take no order) and belong to `accountId`. Throws ToolError `unknown_deal`,
 * `deal_account_mismatch`, or `no_deal_directory` for a store seeded before deals were replicated.
 */
async function checkDeal(store: ReadStore, dealId: string, accountId: string): Promise<void> {
  const deal = await store.first<{ account_id: string }>("SELECT account_id FROM erp_deals WHERE id = ?", [
    dealId,
  ]);
  if (!deal) {
    const any = await store.first<{ id: string }>("SELECT id FROM erp_deals LIMIT 1");
    const imported = await store.first("SELECT id FROM erp_customers WHERE source_id IS NOT NULL LIMIT 1");
    if (!any && imported) {
      throw new ToolError(
        "no_deal_directory",
        `This ERP store holds imported data but no copy of the CRM's deals, so deal ${dealId} cannot be checked and no order was written.`,
        {
          fix: "import the CRM's deals into the same --db and build the identity map (toolpacks-crm identity --with erp,billing): it copies the CRM's open and won deals to the ERP under its own customers.",
        },
      );
    }
    if (!any) {
      throw new ToolError(
        "no_deal_directory",
        `This ERP store holds no copy of the CRM's deals, so deal ${dealId} cannot be checked and no order was written.`,
        {
          fix: "the store was seeded before deals were replicated: delete its database file so it is seeded again.",
        },
      );
    }
    throw new ToolError(
      "unknown_deal",
      `The CRM has no deal ${dealId} that can take an order (no such deal, or it was lost); nothing was written.`,
      {
        fix: "take deal ids from the CRM (deals_closed lists closed-won deals, e.g. D-0000042) and send them unchanged.",
      },
    );
  }
  if (deal.account_id !== accountId) {
    throw new ToolError(
      "deal_account_mismatch",
      `Deal ${dealId} belongs to account ${deal.account_id} in the CRM, not ${accountId}; nothing was written.`,
      { fix: `send account_id ${deal.account_id} (the deal's account_id in the CRM).` },
    );
  }
}

/** Creates the sales order of a closed-won CRM deal; a deal never gets two orders. */
export const createSalesOrder = defineWriteTool({
  name: "create_sales_order",
  title: "Create sales order from a deal",
  description:
    "Creates a draft sales order for a closed-won CRM deal, from the deal as the CRM's deals_closed returns " +
    "it: deal_id, account_id (= ERP customer id), currency and lines (sku, quantity, net_unit_price_minor in " +
    "cents: pass the deal's lines as they are). The order id follows the deal (D-0000042 -> SO-0000042). A deal id the CRM does not have (or a " +
    "lost deal) is refused with unknown_deal, another account's deal with deal_account_mismatch. A deal never gets two orders: if it " +
    "already has one, nothing is written and the existing order comes back with created: false. The currency " +
    "must be the customer's. Returns the order id, status and total. Confirm it with confirm_sales_order once stock is reserved. Send an idempotency key.",
  input: z.object({
    deal_id: dealIdSchema,
    account_id: customerIdSchema.describe("the deal's account id (= ERP customer id), e.g. C-000042"),
    currency: currencySchema.describe("the deal's currency (must be the customer's)"),
    lines: z.array(lineInput).min(1).max(50).describe("the deal's lines"),
    location_id: locationIdSchema.optional().describe("warehouse to ship from, if already known"),
  }),
  output: z.object({
    order_id: z.string(),
    deal_id: z.string(),
    customer_id: z.string(),
    created: z.boolean().describe("false when the deal already had this order (nothing written)"),
    status: orderStatusSchema,
    order_date: z.string(),
    currency: z.string(),
    total_minor: minor.describe("sum of quantity x unit price, in the order's currency"),
    lines: z.number().int(),
    same_lines: z.boolean().describe("whether the stored order has exactly the requested lines"),
  }),
  scope: "erp:write",
  budgetTokens: 300,
  // The order's total: quantity x net unit price over every line, in the order currency.
  moves: { sum: [{ each: "lines", product: ["quantity", "net_unit_price_minor"] }], currency: "currency" },
  destructive: false,
  idempotent: true,
  // D-0000069 is a deal of C-000001 (USD) won on 2026-06-28 without an order yet in the seed-1,
  // scale-2,000 test world; these are its lines.
  examples: [
    {
      deal_id: "D-0000069",
      account_id: "C-000001",
      currency: "USD",
      lines: [{ sku: "SKU-00001", quantity: 7, net_unit_price_minor: 39500 }],
    },
  ],
  async handler(
    { deal_id, account_id: accountId, currency, lines, location_id },
    { store, asOf, principal },
  ) {
    const orderId = orderIdForDeal(deal_id);
    // On imported data the CRM's account id names the ERP customer through the identity map.
    const account_id = await ownCustomerId(store, accountId);
    const keys = [...(await dealKeys(store, [deal_id])).keys()];
    const existing = await store.first<{
      id: string;
      customer_id: string;
      status: "draft" | "confirmed" | "shipped";
      order_date: string;
      currency: string;
      total_minor: number;
    }>(
      `SELECT id, customer_id, status, order_date, currency, total_minor FROM erp_sales_orders WHERE deal_id IN (${placeholders(keys)}) ORDER BY id LIMIT 1`,
      keys,
    );
    if (existing) {
      const stored = await store.all<LineInput>(
        "SELECT sku, quantity, unit_price_minor AS net_unit_price_minor FROM erp_sales_order_lines WHERE order_id = ? ORDER BY line_no",
        [existing.id],
      );
      const key = (ls: LineInput[]) =>
        JSON.stringify(ls.map((l) => [l.sku, l.quantity, l.net_unit_price_minor]).sort());
      return {
        result: {
          order_id: existing.id,
          deal_id,
          customer_id: existing.customer_id,
          created: false,
          status: existing.status,
          order_date: existing.order_date,
          currency: existing.currency,
          total_minor: existing.total_minor,
          lines: stored.length,
          same_lines: key(stored) === key(lines) && existing.customer_id === account_id,
        },
        writes: [],
        moves: 0,
      };
    }
    await checkDeal(store, deal_id, account_id);
    const customer = await requireCustomer(store, account_id);
    if (customer.currency !== currency) {
      throw new ToolError(
        "currency_mismatch",
        `Customer ${account_id} is invoiced in ${customer.currency}, but the order was sent in ${currency}.`,
        { fix: `send the deal's amounts in ${customer.currency} (the CRM deal of this account uses it).` },
      );
    }
    if (location_id) await requireLocation(store, location_id);
    const unitCost = await checkLines(store, lines);
    const amounts = lines.map((l) => l.quantity * l.net_unit_price_minor);
    const total = amounts.reduce((a, b) => a + b, 0);
    const cur = currency as Currency;
    const writes: PlannedWrite[] = [
      {
        sql: `INSERT INTO erp_sales_orders (id, deal_id, customer_id, status, order_date, currency, total_minor,
            total_usd_minor, cost_usd_minor, location_id, ship_date, confirmed_on, created_by)
          VALUES (?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, NULL, NULL, ?)`,
        params: [
          orderId,
          deal_id,
          account_id,
          asOf,
          currency,
          total,
          toReportingMinor(total, cur),
          lines.reduce((s, l) => s + l.quantity * (unitCost.get(l.sku) ?? 0), 0),
          location_id ?? null,
          principal ?? null,
        ],
        change: `sales order ${orderId} (draft) for deal ${deal_id}, customer ${account_id}: ${lines.length} lines, ${total} ${currency} minor units`,
      },
      ...lines.map((l, i) => ({
        sql: `INSERT INTO erp_sales_order_lines (id, order_id, line_no, order_date, sku, quantity, unit_price_minor,
            amount_minor, currency, amount_usd_minor, cost_usd_minor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        params: [
          `${orderId}-${i + 1}`,
          orderId,
          i + 1,
          asOf,
          l.sku,
          l.quantity,
          l.net_unit_price_minor,
          amounts[i]!,
          currency,
          toReportingMinor(amounts[i]!, cur),
          l.quantity * (unitCost.get(l.sku) ?? 0),
        ],
        change: `line ${i + 1} of ${orderId}: ${l.quantity} x ${l.sku}`,
      })),
    ];
    return {
      result: {
        order_id: orderId,
        deal_id,
        customer_id: account_id,
        created: true,
        status: "draft" as const,
        order_date: asOf,
        currency,
        total_minor: total,
        lines: lines.length,
        same_lines: true,
      },
      writes,
      moves: total,
    };
  },
});
