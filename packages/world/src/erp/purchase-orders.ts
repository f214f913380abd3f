import { isoDate } from "../calendar.js";
import type { WorldContext } from "../context.js";
import { convertMinor, toReportingMinor } from "../money.js";
import { entityRng } from "../random.js";
import type { ErpPurchaseOrder } from "./types.js";

/** Purchase order id, e.g. `PO-000042`. */
export const purchaseOrderId = (index: number) => `PO-${String(index + 1).padStart(6, "0")}`;

/** The purchase order at `index`: ordered in the last 120 days, due after the supplier's lead time. */
export function purchaseOrderAt(ctx: WorldContext, index: number): ErpPurchaseOrder {
  const r = entityRng(ctx.seed, "purchase-order", index);
  const product = ctx.products[r.skewedIndex(ctx.plan.products, 1.5)]!;
  const supplier = ctx.suppliers[Number(product.supplier_id.slice(4)) - 1]!;
  const orderDay = ctx.asOfDay - r.int(0, 120);
  const expectedDay = orderDay + supplier.lead_time_days;
  const cancelled = r.chance(0.03);
  const quantity = Math.max(10, Math.round(r.logNormal(60, 0.8) / 10) * 10);
  const unitCost = convertMinor(product.unit_cost_minor, "USD", supplier.currency);
  return {
    id: purchaseOrderId(index),
    supplier_id: supplier.id,
    sku: product.sku,
    location_id: r.pick(ctx.locations).id,
    quantity,
    unit_cost_minor: unitCost,
    currency: supplier.currency,
    value_usd_minor: toReportingMinor(quantity * unitCost, supplier.currency),
    order_date: isoDate(orderDay),
    expected_date: isoDate(expectedDay),
    status: cancelled ? "cancelled" : expectedDay <= ctx.asOfDay ? "received" : "open",
  };
}
