import type { ReadStore } from "@toolpacks/pack-kit";
import { z } from "zod";
import { ORDER_COLUMNS, type OrderRow } from "../lookups.js";
import { minor, netUnitPrice, orderStatusSchema, placeholders } from "../schemas.js";

/** One line of an order as answers show it. */
export const orderLineSchema = z.object({
  sku: z.string(),
  quantity: z.number().int(),
  net_unit_price_minor: netUnitPrice,
});

/** An order as answers show it: header, whether it is late, and its lines. */
export const orderViewSchema = z.object({
  id: z.string(),
  deal_id: z.string(),
  customer_id: z.string(),
  status: orderStatusSchema,
  order_date: z.string(),
  ship_date: z.string().nullable().describe("planned ship date until shipped, then the actual one"),
  late: z.boolean().describe("confirmed but its planned ship date is before as_of"),
  currency: z.string(),
  total_minor: minor.describe("in the order's currency"),
  location_id: z.string().nullable(),
  lines: z.array(orderLineSchema),
});

/** An order as answers show it. */
export type OrderView = z.infer<typeof orderViewSchema>;

/** Whether an order is late as of `asOf`: confirmed and due to ship before it. */
export function isLate(order: Pick<OrderRow, "status" | "ship_date">, asOf: string): boolean {
  return order.status === "confirmed" && order.ship_date !== null && order.ship_date < asOf;
}

/** Loads orders by id with their lines, in the order of `ids`; unknown ids are skipped. */
export async function loadOrderViews(
  store: ReadStore,
  ids: readonly string[],
  asOf: string,
): Promise<OrderView[]> {
  if (ids.length === 0) return [];
  const headers = await store.all<OrderRow>(
    `SELECT ${ORDER_COLUMNS} FROM erp_sales_orders WHERE id IN (${placeholders(ids)})`,
    ids,
  );
  const lines = await store.all<{
    order_id: string;
    sku: string;
    quantity: number;
    net_unit_price_minor: number;
  }>(
    `SELECT order_id, sku, quantity, unit_price_minor AS net_unit_price_minor FROM erp_sales_order_lines WHERE order_id IN (${placeholders(ids)}) ORDER BY order_id, line_no`,
    ids,
  );
  const byId = new Map(headers.map((h) => [h.id, h]));
  return ids.flatMap((id) => {
    const h = byId.get(id);
    if (!h) return [];
    return [
      {
        ...h,
        late: isLate(h, asOf),
        lines: lines
          .filter((l) => l.order_id === id)
          .map(({ sku, quantity, net_unit_price_minor }) => ({ sku, quantity, net_unit_price_minor })),
      },
    ];
  });
}
