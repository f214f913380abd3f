import { dayOf, isoDate } from "../calendar.js";
import type { WorldContext } from "../context.js";
import { dealCoreAt } from "../crm/deals.js";
import { salesOrderForDeal } from "../erp/orders.js";
import { entityRng } from "../random.js";
import { type IndexRange, resolveRange } from "../range.js";
import { dealNumber } from "../shared/ids.js";
import { movementAt, stockAt } from "./stock.js";
import type { WarehouseLocation, WarehouseMovement, WarehouseShipment, WarehouseStock } from "./types.js";

const CARRIERS = ["UPS", "DHL", "FedEx", "DB Schenker", "Royal Mail"] as const;

/** Generators of the warehouse system's rows. Stock ranges are over products x locations; shipment ranges over deal indexes. */
export interface WarehouseWorld {
  locations(): Generator<WarehouseLocation>;
  stock(range?: IndexRange): Generator<WarehouseStock>;
  movements(range?: IndexRange): Generator<WarehouseMovement>;
  shipments(range?: IndexRange): Generator<WarehouseShipment>;
}

/** The warehouse view of a world. */
export function warehouseWorld(ctx: WorldContext): WarehouseWorld {
  return {
    *locations() {
      for (const l of ctx.locations) yield { ...l };
    },
    *stock(range) {
      const { start, end } = resolveRange(range, ctx.plan.products * ctx.plan.locations);
      for (let i = start; i < end; i++) yield stockAt(ctx, i);
    },
    *movements(range) {
      const { start, end } = resolveRange(range, ctx.plan.movements);
      for (let i = start; i < end; i++) yield movementAt(ctx, i);
    },
    *shipments(range) {
      const { start, end } = resolveRange(range, ctx.plan.deals);
      for (let i = start; i < end; i++) {
        const so = salesOrderForDeal(ctx, dealCoreAt(ctx, i));
        if (so?.order.status !== "shipped") continue;
        const r = entityRng(ctx.seed, "shipment", i);
        const shipped = dayOf(so.order.ship_date);
        yield {
          id: `SHP-${dealNumber(so.order.deal_id)}`,
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
