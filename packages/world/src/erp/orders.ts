import { dayOf, isoDate } from "../calendar.js";
import type { WorldContext } from "../context.js";
import { dealCoreAt, dealHeadAt } from "../crm/deals.js";
import type { DealBundle } from "../crm/types.js";
import { toReportingMinor } from "../money.js";
import { entityRng } from "../random.js";
import { dealNumber } from "../shared/ids.js";
import type { Location } from "../shared/types.js";
import type { SalesOrderBundle } from "./types.js";

const ZONE: Record<string, string> = {
  US: "USD",
  CA: "USD",
  GB: "GBP",
  DE: "EUR",
  FR: "EUR",
  NL: "EUR",
  ES: "EUR",
};

/** Locations in the customer's currency zone (all locations when none is). */
export function locationsServing(locations: readonly Location[], country: string): readonly Location[] {
  const zone = ZONE[country];
  const near = locations.filter((l) => ZONE[l.country] === zone);
  return near.length > 0 ? near : locations;
}

/** Standard cost (USD minor units) of a SKU, from the shared product master. */
export const unitCostOf = (ctx: WorldContext, sku: string) =>
  ctx.products[Number(sku.slice(4)) - 1]!.unit_cost_minor;

/** Share of closed-won deals without a sales order: most are recent, a few old ones were forgotten. */
const MISSING_RECENT = 0.5;
const MISSING_OLD = 0.06;
const RECENT_DAYS = 21;
/** An order is entered up to 3 days after the deal closed and ships 2 to 12 days after that. */
const MAX_DAYS_TO_ORDER = 3;
const MAX_DAYS_TO_SHIP = 12;

/**
 * Whether a deal closed on `closeDay` can still have an unshipped (confirmed) order as of `asOfDay`:
 * orders ship at most 15 days after their deal closed, so only recently closed deals qualify.
 */
export const mayBeUnshipped = (closeDay: number, asOfDay: number) =>
  asOfDay - closeDay < MAX_DAYS_TO_ORDER + MAX_DAYS_TO_SHIP;

/**
 * The sales order of the deal at `index`, or null. Looks at the deal's head first, so the lines of
 * deals that were never won are not generated.
 */
export function salesOrderAt(ctx: WorldContext, index: number): SalesOrderBundle | null {
  if (dealHeadAt(ctx, index).stage !== "closed_won") return null;
  return salesOrderForDeal(ctx, dealCoreAt(ctx, index));
}

/**
 * The sales order of a closed-won deal, or null when the deal has none (not
 * closed-won, or one of the deals order-to-cash still has to turn into an order).
 */
export function salesOrderForDeal(
  ctx: WorldContext,
  bundle: Pick<DealBundle, "index" | "deal" | "lines">,
): SalesOrderBundle | null {
  const { deal } = bundle;
  if (deal.stage !== "closed_won") return null;
  const r = entityRng(ctx.seed, "sales-order", bundle.index);
  const closeDay = dayOf(deal.close_date);
  const recent = ctx.asOfDay - closeDay <= RECENT_DAYS;
  if (r.chance(recent ? MISSING_RECENT : MISSING_OLD)) return null;
  const orderDay = closeDay + r.int(0, MAX_DAYS_TO_ORDER);
  if (orderDay > ctx.asOfDay) return null;
  const shipDay = orderDay + r.int(2, MAX_DAYS_TO_SHIP);
  const customer = ctx.customers[Number(deal.account_id.slice(2)) - 1]!;
  const location = r.pick(locationsServing(ctx.locations, customer.country));
  const id = `SO-${dealNumber(deal.id)}`;
  const orderDate = isoDate(orderDay);
  const lines = bundle.lines.map((l) => ({
    id: `${id}-${l.line_no}`,
    order_id: id,
    line_no: l.line_no,
    order_date: orderDate,
    sku: l.sku,
    quantity: l.quantity,
    unit_price_minor: l.unit_price_minor,
    amount_minor: l.amount_minor,
    currency: l.currency,
    amount_usd_minor: toReportingMinor(l.amount_minor, l.currency),
    cost_usd_minor: l.quantity * unitCostOf(ctx, l.sku),
  }));
  return {
    order: {
      id,
      customer_id: deal.account_id,
      deal_id: deal.id,
      order_date: orderDate,
      status: shipDay <= ctx.asOfDay ? "shipped" : "confirmed",
      currency: deal.currency,
      total_minor: deal.amount_minor,
      total_usd_minor: deal.amount_usd_minor,
      cost_usd_minor: lines.reduce((sum, l) => sum + l.cost_usd_minor, 0),
      location_id: location.id,
      ship_date: isoDate(shipDay),
      confirmed_on: orderDate,
    },
    lines,
  };
}
