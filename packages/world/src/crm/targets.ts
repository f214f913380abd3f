import { quarterEnd, quarterOf } from "../calendar.js";
import type { WorldContext } from "../context.js";
import { REPORTING_CURRENCY, toReportingMinor } from "../money.js";
import { HISTORY_DAYS } from "../plan.js";
import { entityRng } from "../random.js";
import { dealCoreAt } from "./deals.js";
import type { CrmTarget } from "./types.js";

const SAMPLE_DEALS = 3_000;

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
 * Average won amount per owner per quarter (reporting currency), estimated from
 * the first deals: a fixed-size sample, so targets cost the same at any scale.
 */
function wonPerOwnerQuarter(ctx: WorldContext): number {
  const sample = Math.min(ctx.plan.deals, SAMPLE_DEALS);
  let won = 0;
  for (let i = 0; i < sample; i++) {
    const { deal } = dealCoreAt(ctx, i);
    if (deal.stage === "closed_won") won += toReportingMinor(deal.amount_minor, deal.currency);
  }
  const historyQuarters = HISTORY_DAYS / 91;
  return (won * ctx.plan.deals) / sample / historyQuarters / ctx.plan.owners;
}

/** Quarterly targets of every owner, rounded to whole thousands of the reporting currency. */
export function* targets(ctx: WorldContext): Generator<CrmTarget> {
  const base = wonPerOwnerQuarter(ctx);
  const quarters = targetQuarters(ctx);
  for (let o = 0; o < ctx.owners.length; o++) {
    const owner = ctx.owners[o]!;
    for (let q = 0; q < quarters.length; q++) {
      const r = entityRng(ctx.seed, "target", o * 64 + q);
      const target = Math.max(100_000, Math.round((base * (0.9 + 0.5 * r.float())) / 100_000) * 100_000);
      yield { owner_id: owner.id, period: quarters[q]!, target_minor: target, currency: REPORTING_CURRENCY };
    }
  }
}
