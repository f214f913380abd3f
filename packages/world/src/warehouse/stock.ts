import { dayOf, isoTimestamp } from "../calendar.js";
import type { WorldContext } from "../context.js";
import { purchaseOrderAt } from "../erp/purchase-orders.js";
import type { SalesOrderBundle } from "../erp/types.js";
import { entityRng } from "../random.js";
import { reservationIndex, stockKey } from "./reservations.js";
import type { MovementKind, WarehouseMovement, WarehouseStock } from "./types.js";

/** Share of stock rows with nothing available, and with less available than their reorder point. */
const OUT_OF_STOCK = 0.05;
const LOW_STOCK = 0.1;
/**
 * Receipts come from purchase orders and issues from shipments; these are the other kinds of
 * movement (corrections and stock moved between locations).
 */
const KINDS: readonly MovementKind[] = ["adjustment", "transfer"];
const KIND_WEIGHTS = [2, 1];
/** Movements cover the last 90 days up to and including `asOf`. */
const MOVEMENT_DAYS = 90;

/**
 * Stock row `index` (= product * locations + location); popular SKUs hold more. What is
 * available is drawn; `reserved` is what the active reservations hold there, and on hand is
 * both together (reserved units are still on the shelf until they ship).
 */
export function stockAt(ctx: WorldContext, index: number): WarehouseStock {
  const r = entityRng(ctx.seed, "stock", index);
  const p = Math.floor(index / ctx.plan.locations);
  const product = ctx.products[p]!;
  const location = ctx.locations[index % ctx.plan.locations]!;
  const demand = 10 + 400 / Math.sqrt(p + 1);
  const reorderPoint = Math.round(demand * 0.3) + 5;
  const u = r.float();
  let available: number;
  if (u < OUT_OF_STOCK) available = 0;
  else if (u < OUT_OF_STOCK + LOW_STOCK) available = r.int(1, reorderPoint);
  else available = reorderPoint + Math.round(r.logNormal(demand * 1.5, 0.5));
  const reserved = reservationIndex(ctx).units.get(stockKey(product.sku, location.id)) ?? 0;
  return {
    sku: product.sku,
    location_id: location.id,
    on_hand: available + reserved,
    reserved,
    reorder_point: reorderPoint,
  };
}

/**
 * The receipt of purchase order `poIndex`, or null when it has none in the movement window:
 * a `received` PO arrives on its expected date with its SKU, location and quantity.
 */
export function receiptAt(ctx: WorldContext, poIndex: number): WarehouseMovement | null {
  const po = purchaseOrderAt(ctx, poIndex);
  if (po.status !== "received") return null;
  const day = dayOf(po.expected_date);
  if (day <= ctx.asOfDay - MOVEMENT_DAYS) return null;
  const r = entityRng(ctx.seed, "receipt", poIndex);
  return {
    id: `MV-${po.id}`,
    sku: po.sku,
    location_id: po.location_id,
    kind: "receipt",
    quantity: po.quantity,
    occurred_at: isoTimestamp(day, r.int(6 * 60, 22 * 60)),
    reference: po.id,
  };
}

/**
 * The issue movements of a shipped sales order: one per order line, the units leaving the
 * shipment's location on its ship day, `reference` = the shipment id (`SHP-0000042`, whose lines
 * are `MV-SHP-0000042-1`, ...). Every shipment has them, however old, so shipped units and issued
 * units always agree; an order that has not shipped has none.
 */
export function issuesOf(
  ctx: WorldContext,
  dealIndex: number,
  so: SalesOrderBundle,
  shipmentId: string,
): WarehouseMovement[] {
  if (so.order.status !== "shipped") return [];
  const day = dayOf(so.order.ship_date);
  const r = entityRng(ctx.seed, "issue", dealIndex);
  return so.lines.map((l) => {
    return {
      id: `MV-${shipmentId}-${l.line_no}`,
      sku: l.sku,
      location_id: so.order.location_id,
      kind: "issue",
      quantity: -l.quantity,
      occurred_at: isoTimestamp(day, r.int(6 * 60, 22 * 60)),
      reference: shipmentId,
    };
  });
}

/** Movement `index`: one adjustment or transfer in the 90 days before `asOf` (receipts: `receiptAt`; issues: `issuesOf`). */
export function movementAt(ctx: WorldContext, index: number): WarehouseMovement {
  const r = entityRng(ctx.seed, "movement", index);
  const product = ctx.products[r.skewedIndex(ctx.plan.products, 1.8)]!;
  const kind = r.weighted(KINDS, KIND_WEIGHTS);
  const size = Math.max(1, Math.round(r.logNormal(5, 0.8)));
  const quantity = kind === "adjustment" ? r.pick([-1, 1]) * r.int(1, 5) : -size;
  return {
    id: `MV-${String(index + 1).padStart(7, "0")}`,
    sku: product.sku,
    location_id: r.pick(ctx.locations).id,
    kind,
    quantity,
    occurred_at: isoTimestamp(ctx.asOfDay - r.int(0, MOVEMENT_DAYS - 1), r.int(6 * 60, 22 * 60)),
    reference: null,
  };
}
