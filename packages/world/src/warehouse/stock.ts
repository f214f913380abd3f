import { isoTimestamp } from "../calendar.js";
import type { WorldContext } from "../context.js";
import { purchaseOrderId } from "../erp/purchase-orders.js";
import { entityRng } from "../random.js";
import type { MovementKind, WarehouseMovement, WarehouseStock } from "./types.js";

/** Share of stock rows out of stock, and below their reorder point. */
const OUT_OF_STOCK = 0.05;
const LOW_STOCK = 0.1;
const KINDS: readonly MovementKind[] = ["receipt", "issue", "adjustment", "transfer"];
const KIND_WEIGHTS = [30, 55, 10, 5];

/** Stock row `index` (= product * locations + location); popular SKUs hold more. */
export function stockAt(ctx: WorldContext, index: number): WarehouseStock {
  const r = entityRng(ctx.seed, "stock", index);
  const p = Math.floor(index / ctx.plan.locations);
  const product = ctx.products[p]!;
  const location = ctx.locations[index % ctx.plan.locations]!;
  const demand = 10 + 400 / Math.sqrt(p + 1);
  const reorderPoint = Math.round(demand * 0.3) + 5;
  const u = r.float();
  let onHand: number;
  let reserved: number;
  if (u < OUT_OF_STOCK) {
    onHand = 0;
    reserved = 0;
  } else if (u < OUT_OF_STOCK + LOW_STOCK) {
    onHand = r.int(1, reorderPoint);
    reserved = r.int(0, Math.floor(onHand / 2));
  } else {
    onHand = reorderPoint + Math.round(r.logNormal(demand * 1.5, 0.5));
    reserved = Math.floor(onHand * 0.3 * r.float());
  }
  return {
    sku: product.sku,
    location_id: location.id,
    on_hand: onHand,
    reserved,
    reorder_point: reorderPoint,
  };
}

/** Movement `index`: one receipt, issue, adjustment or transfer in the 90 days before `asOf`. */
export function movementAt(ctx: WorldContext, index: number): WarehouseMovement {
  const r = entityRng(ctx.seed, "movement", index);
  const product = ctx.products[r.skewedIndex(ctx.plan.products, 1.8)]!;
  const kind = r.weighted(KINDS, KIND_WEIGHTS);
  const size = Math.max(1, Math.round(r.logNormal(kind === "receipt" ? 40 : 5, 0.8)));
  const quantity = kind === "receipt" ? size : kind === "adjustment" ? r.pick([-1, 1]) * r.int(1, 5) : -size;
  return {
    id: `MV-${String(index + 1).padStart(7, "0")}`,
    sku: product.sku,
    location_id: r.pick(ctx.locations).id,
    kind,
    quantity,
    occurred_at: isoTimestamp(ctx.asOfDay - r.int(0, 89), r.int(6 * 60, 22 * 60)),
    reference:
      kind === "receipt" && ctx.plan.purchaseOrders > 0
        ? purchaseOrderId(r.int(0, ctx.plan.purchaseOrders - 1))
        : null,
  };
}
