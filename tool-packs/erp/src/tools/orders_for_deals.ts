import { defineTool } from "@toolpacks/pack-kit";
import { z } from "zod";
import { dealKeys } from "../lookups.js";
import { dealIdSchema, minor, orderStatusSchema, placeholders } from "../schemas.js";

/** Which of a list of CRM deals already have a sales order: the order-to-cash gap in one call. */
export const ordersForDeals = defineTool({
  name: "orders_for_deals",
  title: "Orders for deals",
  description:
    "For up to 100 CRM deal ids (e.g. the closed-won deals from the CRM's deals_closed), returns which already " +
    "have a sales order (order id, status, total in the order's currency) and which have none (missing: " +
    "create them with create_sales_order). Counts of both. One call per page of deals. On imported data an order " +
    "that names its deal by the CRM's own id (Source Document) is found under the CRM deal id.",
  input: z.object({
    deal_ids: z
      .array(dealIdSchema)
      .min(1)
      .max(100)
      .describe(
        'CRM deal ids, e.g. ["D-0000042"] (its order is SO-0000042); a deal without an order, or an unknown id, comes back in missing',
      ),
  }),
  output: z.object({
    as_of: z.string(),
    with_order: z.number().int().describe("how many of the deals have a sales order"),
    without_order: z.number().int().describe("how many have none"),
    orders: z.array(
      z.object({
        deal_id: z.string(),
        order_id: z.string(),
        status: orderStatusSchema,
        total_minor: minor,
        currency: z.string(),
      }),
    ),
    missing: z.array(z.string()).describe("deal ids without a sales order, in input order"),
  }),
  scope: "erp:read",
  budgetTokens: 4200,
  examples: [{ deal_ids: ["D-0000001", "D-0000002", "D-0000003"] }],
  async handler({ deal_ids }, { store, asOf }) {
    const ids = [...new Set(deal_ids)];
    // Order deal_id value -> the deal id asked (an imported order names its CRM deal by the CRM's own id).
    const keys = await dealKeys(store, ids);
    const rows = await store.all<{
      deal_id: string;
      order_id: string;
      status: "draft" | "confirmed" | "shipped";
      total_minor: number;
      currency: string;
    }>(
      `SELECT deal_id, id AS order_id, status, total_minor, currency FROM erp_sales_orders WHERE deal_id IN (${placeholders([...keys.keys()])})`,
      [...keys.keys()],
    );
    const byDeal = new Map(
      rows.map((r) => {
        const asked = keys.get(r.deal_id) ?? r.deal_id;
        return [asked, { ...r, deal_id: asked }] as const;
      }),
    );
    const orders = ids.flatMap((id) => {
      const row = byDeal.get(id);
      return row ? [row] : [];
    });
    const missing = ids.filter((id) => !byDeal.has(id));
    return { as_of: asOf, with_order: orders.length, without_order: missing.length, orders, missing };
  },
});
