import { dayOf, quarterEnd, quarterOf } from "../calendar.js";
import type { WorldContext } from "../context.js";
import { REPORTING_CURRENCY, toReportingMinor } from "../money.js";
import { HISTORY_DAYS } from "../plan.js";
import { entityRng } from "../random.js";
import { dealCoreAt } from "./deals.js";
import type { CrmTarget } from "./types.js";

const SAMPLE_DEALS = 4_000;

/** Calendar quarters from the start of history to two quarters after `asOf`, in order. */
export function targetQuarters(ctx: WorldContext): string[] {
  const quarters: string[] = [];
  let day = ctx.asOfDay - HISTORY_DAYS;
  const last = quarterEnd(quarterEnd(quarterEnd(ctx.asOfDay) + 1) + 1);
  while (day <= last) {
    quarters.push(quarterOf(day));
    day = quarterEnd(day) + 1;
  }
  return quarters;
}

/**
 * Won amount per owner per quarter (reporting currency), estimated from the first deals: a
 * fixed-size sample, so targets cost the same at any scale and follow the business's growth.
 */
function wonPerOwnerByQuarter(ctx: WorldContext): Map<string, number> {
  const sample = Math.min(ctx.plan.deals, SAMPLE_DEALS);
  const won = new Map<string, number>();
  for (let i = 0; i < sample; i++) {
    const { deal } = dealCoreAt(ctx, i);
    if (deal.stage !== "closed_won") continue;
    const quarter = quarterOf(dayOf(deal.close_date));
    won.set(quarter, (won.get(quarter) ?? 0) + toReportingMinor(deal.amount_minor, deal.currency));
  }
  const perOwner = ctx.plan.deals / sample / ctx.plan.owners;
  return new Map([...won].map(([q, amount]) => [q, amount * perOwner]));
}

/**
 * Quarterly targets of every owner: about what the team wins that quarter (future quarters:
 * the last closed quarter plus 5% growth), varied per owner from 85% to 125%, rounded to
 * whole thousands of the reporting currency. So attainment spreads around 100%.
 */
export function* targets(ctx: WorldContext): Generator<CrmTarget> {
  const byQuarter = wonPerOwnerByQuarter(ctx);
  const quarters = targetQuarters(ctx);
  const current = quarterOf(ctx.asOfDay);
  const latest = byQuarter.get(current) ?? Math.max(0, ...byQuarter.values());
  for (let o = 0; o < ctx.owners.length; o++) {
    const owner = ctx.owners[o]!;
    for (let q = 0; q < quarters.length; q++) {
      const period = quarters[q]!;
      const base = period > current ? latest * 1.05 : (byQuarter.get(period) ?? latest);
      const r = entityRng(ctx.seed, "target", o * 64 + q);
      const target = Math.max(100_000, Math.round((base * (0.85 + 0.4 * r.float())) / 100_000) * 100_000);
      yield { owner_id: owner.id, period, target_minor: target, currency: REPORTING_CURRENCY };
    }
  }
}
