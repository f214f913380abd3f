import { isoDate, monthStart } from "../calendar.js";
import type { WorldContext } from "../context.js";
import { convertMinor } from "../money.js";
import { entityRng } from "../random.js";
import type { Segment } from "../shared/types.js";
import type { BillingMrrEvent, BillingPlan, BillingSubscription } from "./types.js";

/** The fixed plan catalogue (per seat per month, USD). */
export const PLANS: readonly BillingPlan[] = [
  { id: "PLAN-STARTER", name: "Starter", interval: "month", price_minor: 2_900, currency: "USD" },
  { id: "PLAN-GROWTH", name: "Growth", interval: "month", price_minor: 7_900, currency: "USD" },
  { id: "PLAN-BUSINESS", name: "Business", interval: "month", price_minor: 14_900, currency: "USD" },
  { id: "PLAN-ENTERPRISE", name: "Enterprise", interval: "month", price_minor: 29_900, currency: "USD" },
];

const PLAN_BY_SEGMENT: Record<Segment, readonly number[]> = {
  smb: [0, 0, 1],
  mid_market: [1, 2, 2],
  enterprise: [2, 3, 3],
};
const SEATS: Record<Segment, number> = { smb: 5, mid_market: 25, enterprise: 150 };

/** Share of accounts with a subscription (the rest only buy goods). */
const SUBSCRIBED = 0.7;

/** The subscription of the customer at `index`, or null when it has none. */
export function subscriptionFor(ctx: WorldContext, index: number): BillingSubscription | null {
  const r = entityRng(ctx.seed, "subscription", index);
  if (!r.chance(SUBSCRIBED)) return null;
  const customer = ctx.customers[index]!;
  const plan = PLANS[r.pick(PLAN_BY_SEGMENT[customer.segment])]!;
  const seats = Math.max(1, Math.round(r.logNormal(SEATS[customer.segment], 0.6)));
  const started = monthStart(ctx.asOfDay - r.int(20, 900));
  const cancelled = r.chance(0.12) ? monthStart(ctx.asOfDay - r.int(0, 300)) : null;
  const cancelledOn = cancelled !== null && cancelled > started ? cancelled : null;
  return {
    id: `SUB-${customer.id.slice(2)}`,
    account_id: customer.id,
    plan_id: plan.id,
    status: cancelledOn === null ? "active" : "cancelled",
    seats,
    price_minor: convertMinor(plan.price_minor * seats, "USD", customer.currency),
    currency: customer.currency,
    started_on: isoDate(started),
    cancelled_on: cancelledOn === null ? null : isoDate(cancelledOn),
  };
}

/**
 * The MRR movements of a subscription. The world keeps one price per subscription, so its history
 * is `new` at the start and, when cancelled, `churn` (MRR 0 from the cancellation day on).
 */
export function mrrEventsOf(sub: BillingSubscription): BillingMrrEvent[] {
  const base = { subscription_id: sub.id, account_id: sub.account_id, currency: sub.currency };
  const events: BillingMrrEvent[] = [
    {
      ...base,
      effective_on: sub.started_on,
      kind: "new",
      delta_minor: sub.price_minor,
      mrr_minor: sub.price_minor,
    },
  ];
  if (sub.cancelled_on !== null) {
    events.push({
      ...base,
      effective_on: sub.cancelled_on,
      kind: "churn",
      delta_minor: -sub.price_minor,
      mrr_minor: 0,
    });
  }
  return events;
}
