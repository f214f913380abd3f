import { isoDate, isoTimestamp, quarterEnd } from "../calendar.js";
import type { WorldContext } from "../context.js";
import { convertMinor, toReportingMinor } from "../money.js";
import { HISTORY_DAYS } from "../plan.js";
import { entityRng, type Rng } from "../random.js";
import { dealId } from "../shared/ids.js";
import type { Customer, Segment } from "../shared/types.js";
import type { ActivityKind, CrmActivity, CrmDeal, CrmDealLine, DealBundle, DealStage } from "./types.js";
import { OPEN_STAGES } from "./types.js";

const QUANTITY_MEDIAN: Record<Segment, number> = { smb: 3, mid_market: 8, enterprise: 25 };
const WIN_RATE: Record<Segment, number> = { smb: 0.42, mid_market: 0.38, enterprise: 0.3 };
const LOST_REASONS = ["price", "competitor", "no_decision", "timing", "budget"] as const;
const DEAL_KINDS = ["expansion", "renewal", "pilot", "rollout", "replacement"] as const;
const ACTIVITY_KINDS: readonly ActivityKind[] = ["call", "email", "meeting", "note"];
const ACTIVITY_WEIGHTS = [30, 40, 20, 10];
const MINUTES_PER_DAY = 24 * 60;
const SUBJECTS: Record<ActivityKind, readonly string[]> = {
  call: ["Discovery call", "Pricing call", "Check-in call"],
  email: ["Sent proposal", "Follow-up email", "Sent quote"],
  meeting: ["Demo", "On-site visit", "Negotiation meeting"],
  note: ["Internal note", "Competitor noted", "Budget confirmed"],
};

/** Picks the deal's account: skewed so a few large customers carry many deals. */
function accountFor(ctx: WorldContext, r: Rng): Customer {
  return ctx.customers[r.skewedIndex(ctx.plan.customers, 1.7)]!;
}

function linesFor(ctx: WorldContext, r: Rng, id: string, customer: Customer): CrmDealLine[] {
  const count = 1 + Math.floor(4 * r.float() ** 1.6);
  const used = new Set<number>();
  const lines: CrmDealLine[] = [];
  for (let n = 1; n <= count; n++) {
    let p = r.skewedIndex(ctx.plan.products, 2);
    // A deal lists each SKU once; a clash becomes the next SKU, still deterministic.
    while (used.has(p)) p = (p + 1) % ctx.plan.products;
    used.add(p);
    const product = ctx.products[p]!;
    const quantity = Math.max(1, Math.round(r.logNormal(QUANTITY_MEDIAN[customer.segment], 0.9)));
    const discount = quantity >= 20 ? r.pick([5, 10, 15, 20]) : r.pick([0, 0, 0, 5, 10]);
    const list = convertMinor(product.list_price_minor, "USD", customer.currency);
    const unit = Math.round((list * (100 - discount)) / 100);
    lines.push({
      id: `${id}-${n}`,
      deal_id: id,
      line_no: n,
      sku: product.sku,
      quantity,
      unit_price_minor: unit,
      discount_pct: discount,
      amount_minor: unit * quantity,
      currency: customer.currency,
    });
  }
  return lines;
}

/**
 * The instants (minutes since the epoch) of a deal's activities, in time order: closed deals have
 * 1-4, open ones 0-4, all before the deal went quiet. Day and minute are drawn together and sorted
 * as one instant, so the last one is the latest (sorting by day alone left same-day activities out
 * of time order).
 */
function activityInstants(r: Rng, fromDay: number, toDay: number, closed: boolean): number[] {
  const count = closed ? r.int(1, 4) : r.int(0, 4);
  const minutes: number[] = [];
  for (let k = 0; k < count; k++) {
    minutes.push(r.int(fromDay, Math.max(fromDay, toDay)) * MINUTES_PER_DAY + r.int(8 * 60, 18 * 60));
  }
  return minutes.sort((a, b) => a - b);
}

const timestampOf = (minute: number) =>
  isoTimestamp(Math.floor(minute / MINUTES_PER_DAY), minute % MINUTES_PER_DAY);

/** The activities at `instants`, continuing the deal's activity stream `r` for kinds and subjects. */
function activitiesAt(r: Rng, deal: CrmDeal, instants: readonly number[]): CrmActivity[] {
  return instants.map((at, k) => {
    const kind = r.weighted(ACTIVITY_KINDS, ACTIVITY_WEIGHTS);
    return {
      id: `${deal.id}-A${k + 1}`,
      deal_id: deal.id,
      account_id: deal.account_id,
      owner_id: deal.owner_id,
      kind,
      subject: r.pick(SUBJECTS[kind]),
      occurred_at: timestampOf(at),
    };
  });
}

/** What decides whether a deal can have an order: its account, owner, dates and stage. */
export interface DealHead {
  customer: Customer;
  ownerId: string;
  createdDay: number;
  closeDay: number;
  stage: DealStage;
}

/** Draws a deal's head from the start of its stream `r` (the rest of the deal continues from there). */
function drawHead(ctx: WorldContext, r: Rng): DealHead {
  const customer = accountFor(ctx, r);
  const ownerId = r.chance(0.9) ? customer.owner_id : r.pick(ctx.owners).id;
  // More recent deals than old ones: the business grows.
  const created = ctx.asOfDay - Math.floor(HISTORY_DAYS * r.float() ** 1.25);
  const cycle = Math.min(240, Math.max(7, Math.round(r.logNormal(40, 0.6))));
  let close = created + cycle;
  // Sales seasonality: a third of deals are pushed to the last week of their quarter.
  if (r.chance(0.35)) close = quarterEnd(close) - r.int(0, 6);
  close = Math.min(close, ctx.asOfDay + 270);

  let stage: DealStage;
  const outcome = r.float();
  if (close <= ctx.asOfDay && outcome < WIN_RATE[customer.segment]) stage = "closed_won";
  else if (close <= ctx.asOfDay && outcome < 0.84) stage = "closed_lost";
  else if (close <= ctx.asOfDay) stage = r.pick(["proposal", "negotiation"] as const);
  else {
    const progress = Math.min(0.99, (ctx.asOfDay - created) / Math.max(1, close - created));
    stage = OPEN_STAGES[Math.floor(progress * OPEN_STAGES.length)]!;
  }
  return { customer, ownerId, createdDay: created, closeDay: close, stage };
}

/**
 * The head of the deal at `index` without its lines or activities: a few draws, so scans that only
 * need stages and close dates (which deals are won, which were won recently) stay cheap.
 */
export function dealHeadAt(ctx: WorldContext, index: number): DealHead {
  return drawHead(ctx, entityRng(ctx.seed, "deal", index));
}

/** A deal with its lines and activities, plus what other systems derive from it. */
export interface DealCore {
  index: number;
  deal: CrmDeal;
  lines: CrmDealLine[];
  /**
   * In time order; activities stop at the day the deal went quiet (before `asOf` for stale deals).
   * Generated on first call (most readers of a deal never need them) and kept.
   */
  activities(): CrmActivity[];
}

/**
 * The deal at `index` with its lines and activities. Close dates cluster at quarter ends
 * (seasonality); deals past their close date are won, lost, or still open
 * (slipped); a quarter of open deals went quiet early (stale).
 */
export function dealCoreAt(ctx: WorldContext, index: number): DealCore {
  const r = entityRng(ctx.seed, "deal", index);
  const id = dealId(index);
  const { customer, ownerId, createdDay: created, closeDay: close, stage } = drawHead(ctx, r);
  const lostReason = stage === "closed_lost" ? r.pick(LOST_REASONS) : null;
  const lines = linesFor(ctx, r, id, customer);
  const closed = stage === "closed_won" || stage === "closed_lost";
  const end = closed ? close : ctx.asOfDay;
  const activeUntil = !closed && r.chance(0.25) ? created + Math.floor((end - created) * 0.3) : end;
  const stageChanged = closed ? close : created + Math.floor((activeUntil - created) * r.float());
  const category = ctx.products[Number(lines[0]!.sku.slice(4)) - 1]!.category;
  const amount = lines.reduce((sum, l) => sum + l.amount_minor, 0);
  const activityRng = entityRng(ctx.seed, "deal-activities", index);
  const instants = activityInstants(activityRng, created, activeUntil, closed);
  const last = instants.at(-1);
  const deal: CrmDeal = {
    id,
    account_id: customer.id,
    owner_id: ownerId,
    name: `${customer.name.split(" ")[0]} ${category} ${r.pick(DEAL_KINDS)}`,
    stage,
    amount_minor: amount,
    currency: customer.currency,
    amount_usd_minor: toReportingMinor(amount, customer.currency),
    created_on: isoDate(created),
    close_date: isoDate(close),
    stage_changed_on: isoDate(stageChanged),
    lost_reason: lostReason,
    last_activity_at: last === undefined ? null : timestampOf(last),
  };
  let activities: CrmActivity[] | undefined;
  return {
    index,
    deal,
    lines,
    activities: () => {
      activities ??= activitiesAt(activityRng, deal, instants);
      return activities;
    },
  };
}

/** The deal at `index` with its lines and activities. */
export function dealBundleAt(ctx: WorldContext, index: number): DealBundle {
  const core = dealCoreAt(ctx, index);
  return { index, deal: core.deal, lines: core.lines, activities: core.activities() };
}
