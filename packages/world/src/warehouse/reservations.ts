import type { WorldContext } from "../context.js";
import { dealCoreAt, dealHeadAt } from "../crm/deals.js";
import { mayBeUnshipped, salesOrderForDeal } from "../erp/orders.js";
import type { ReservationBundle } from "./types.js";

/** The active reservations of a world and the units they hold per stock row. */
export interface ReservationIndex {
  /** One per confirmed (not yet shipped) sales order, in deal order. */
  bundles: readonly ReservationBundle[];
  /** Reserved units per `sku|location_id`: the sum of the active reservation lines there. */
  units: ReadonlyMap<string, number>;
}

/** Key of one stock row. */
export const stockKey = (sku: string, locationId: string) => `${sku}|${locationId}`;

// One index per world: confirmed orders are a few percent of deals, so the index is small; finding
// them takes one pass over every deal's head (a few draws each), done once per world and only when
// stock or reservations are read.
const indexes = new WeakMap<WorldContext, ReservationIndex>();

/**
 * The reservations behind every confirmed sales order: each holds all of its order's lines at the
 * order's location, created on the day the order was confirmed. Stock rows take their `reserved`
 * units from here, so every reserved unit has a reservation line behind it.
 */
export function reservationIndex(ctx: WorldContext): ReservationIndex {
  let index = indexes.get(ctx);
  if (index) return index;
  const bundles: ReservationBundle[] = [];
  const units = new Map<string, number>();
  for (let i = 0; i < ctx.plan.deals; i++) {
    // Only deals won in the last two weeks can have an order that has not shipped yet.
    const head = dealHeadAt(ctx, i);
    if (head.stage !== "closed_won" || !mayBeUnshipped(head.closeDay, ctx.asOfDay)) continue;
    const so = salesOrderForDeal(ctx, dealCoreAt(ctx, i));
    if (so?.order.status !== "confirmed") continue;
    const { order } = so;
    const id = `RES-${order.id.slice(3)}-1`;
    const lines = so.lines.map((l) => ({
      reservation_id: id,
      line_no: l.line_no,
      sku: l.sku,
      location_id: order.location_id,
      quantity: l.quantity,
    }));
    for (const l of lines) {
      const key = stockKey(l.sku, l.location_id);
      units.set(key, (units.get(key) ?? 0) + l.quantity);
    }
    bundles.push({
      reservation: {
        id,
        order_id: order.id,
        status: "active",
        created_on: order.confirmed_on,
        closed_on: null,
      },
      lines,
    });
  }
  index = { bundles, units };
  indexes.set(ctx, index);
  return index;
}
