import { dayOf, isoDate } from "../calendar.js";
import type { WorldContext } from "../context.js";
import { salesOrderAt } from "../erp/orders.js";
import { entityRng } from "../random.js";
import { type IndexRange, resolveRange } from "../range.js";
import { dealNumber } from "../shared/ids.js";
import { reservationIndex } from "./reservations.js";
import { issuesOf, movementAt, receiptAt, stockAt } from "./stock.js";
import type {
  ReservationBundle,
  WarehouseItem,
  WarehouseLocation,
  WarehouseMovement,
  WarehouseReservation,
  WarehouseReservationLine,
  WarehouseShipment,
  WarehouseStock,
} from "./types.js";

const CARRIERS = ["UPS", "DHL", "FedEx", "DB Schenker", "Royal Mail"] as const;

/** The one shipment of a generated shipped order: `SHP-` plus the deal number. */
const shipmentIdOf = (dealId: string) => `SHP-${dealNumber(dealId)}`;

/**
 * Generators of the warehouse system's rows. Stock ranges are over products x locations; shipment
 * ranges over deal indexes; movement ranges over purchase-order indexes (receipts), then deal
 * indexes (the issues of each deal's shipment), then the other movements' indexes, so
 * `movements({ start: 0, end: plan.purchaseOrders })` is the receipts.
 */
export interface WarehouseWorld {
  locations(): Generator<WarehouseLocation>;
  /** Every ERP item with its standard cost, for valuation. */
  items(): Generator<WarehouseItem>;
  stock(range?: IndexRange): Generator<WarehouseStock>;
  movements(range?: IndexRange): Generator<WarehouseMovement>;
  /** The active reservation of every confirmed order (the first read builds them for the whole world). */
  reservationBundles(): Generator<ReservationBundle>;
  reservations(): Generator<WarehouseReservation>;
  reservationLines(): Generator<WarehouseReservationLine>;
  shipments(range?: IndexRange): Generator<WarehouseShipment>;
}

/** The warehouse view of a world. */
export function warehouseWorld(ctx: WorldContext): WarehouseWorld {
  return {
    *locations() {
      for (const l of ctx.locations) yield { ...l };
    },
    *items() {
      for (const p of ctx.products) {
        yield {
          sku: p.sku,
          name: p.name,
          category: p.category,
          unit_cost_minor: p.unit_cost_minor,
          currency: "USD",
        };
      }
    },
    *stock(range) {
      const { start, end } = resolveRange(range, ctx.plan.products * ctx.plan.locations);
      for (let i = start; i < end; i++) yield stockAt(ctx, i);
    },
    *movements(range) {
      const receipts = ctx.plan.purchaseOrders;
      const issues = receipts + ctx.plan.deals;
      const { start, end } = resolveRange(range, issues + ctx.plan.movements);
      for (let i = start; i < Math.min(end, receipts); i++) {
        const receipt = receiptAt(ctx, i);
        if (receipt) yield receipt;
      }
      for (let i = Math.max(start, receipts); i < Math.min(end, issues); i++) {
        const so = salesOrderAt(ctx, i - receipts);
        if (so) yield* issuesOf(ctx, i - receipts, so, shipmentIdOf(so.order.deal_id));
      }
      for (let i = Math.max(start, issues); i < end; i++) yield movementAt(ctx, i - issues);
    },
    *reservationBundles() {
      for (const b of reservationIndex(ctx).bundles) {
        yield { reservation: { ...b.reservation }, lines: b.lines.map((l) => ({ ...l })) };
      }
    },
    *reservations() {
      for (const b of reservationIndex(ctx).bundles) yield { ...b.reservation };
    },
    *reservationLines() {
      for (const b of reservationIndex(ctx).bundles) for (const l of b.lines) yield { ...l };
    },
    *shipments(range) {
      const { start, end } = resolveRange(range, ctx.plan.deals);
      for (let i = start; i < end; i++) {
        const so = salesOrderAt(ctx, i);
        if (so?.order.status !== "shipped") continue;
        const r = entityRng(ctx.seed, "shipment", i);
        const shipped = dayOf(so.order.ship_date);
        yield {
          id: shipmentIdOf(so.order.deal_id),
          sales_order_id: so.order.id,
          customer_id: so.order.customer_id,
          location_id: so.order.location_id,
          shipped_on: isoDate(shipped),
          carrier: r.pick(CARRIERS),
          status: shipped + 3 <= ctx.asOfDay ? "delivered" : "in_transit",
          units: so.lines.reduce((sum, l) => sum + l.quantity, 0),
        };
      }
    },
  };
}
