import { defineTool } from "@toolpacks/pack-kit";
import { z } from "zod";
import { orderIdSchema } from "../schemas.js";
import { loadOrderViews, orderViewSchema } from "./order-view.js";

/** The status of up to 20 sales orders, with their lines. */
export const orderStatus = defineTool({
  name: "order_status",
  title: "Sales order status",
  description:
    "Returns the status of one or more sales orders (up to 20 ids): draft, confirmed or shipped, order date, planned or " +
    "actual ship date, whether it is late (confirmed and past its planned ship date), total in the order's " +
    "currency (integer cents), warehouse location and lines (sku, quantity, net unit price). Unknown ids are " +
    "listed in not_found. To find orders by deal, use orders_for_deals; to browse, open_orders.",
  input: z.object({
    order_ids: z
      .array(orderIdSchema)
      .min(1)
      .max(20)
      .describe(
        'sales order ids, e.g. ["SO-0000042"] (the order of deal D-0000042); unknown ids come back in not_found, never an error',
      ),
  }),
  output: z.object({
    as_of: z.string(),
    orders: z.array(orderViewSchema),
    not_found: z.array(z.string()).describe("requested ids that are not sales orders"),
  }),
  scope: "erp:read",
  budgetTokens: 2800,
  examples: [{ order_ids: ["SO-0000001"] }, { order_ids: ["SO-0000001", "SO-9999999"] }],
  async handler({ order_ids }, { store, asOf }) {
    const ids = [...new Set(order_ids)];
    const orders = await loadOrderViews(store, ids, asOf);
    const found = new Set(orders.map((o) => o.id));
    return { as_of: asOf, orders, not_found: ids.filter((id) => !found.has(id)) };
  },
});
