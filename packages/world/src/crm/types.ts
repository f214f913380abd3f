import type { Currency } from "../money.js";
import type { Segment, Team } from "../shared/types.js";

/** Deal stages in pipeline order; the last two are closed. */
export const DEAL_STAGES = [
  "prospecting",
  "qualification",
  "proposal",
  "negotiation",
  "closed_won",
  "closed_lost",
] as const;

/** A deal stage. */
export type DealStage = (typeof DEAL_STAGES)[number];

/** Open stages, in order. */
export const OPEN_STAGES = ["prospecting", "qualification", "proposal", "negotiation"] as const;

/** Win probability (percent) per stage, used for weighted pipeline and forecasts. */
export const STAGE_PROBABILITY: Readonly<Record<DealStage, number>> = {
  prospecting: 10,
  qualification: 25,
  proposal: 50,
  negotiation: 75,
  closed_won: 100,
  closed_lost: 0,
};

/** A CRM account (same `id` as the ERP customer and the billing account). */
export interface CrmAccount {
  id: string;
  name: string;
  industry: string;
  country: string;
  currency: Currency;
  segment: Segment;
  employees: number;
  owner_id: string;
  created_on: string;
}

/** A person at an account. Personal data: packs keep it out of answers unless asked. */
export interface CrmContact {
  id: string;
  account_id: string;
  name: string;
  title: string;
  email: string;
}

/** A salesperson. */
export interface CrmOwner {
  id: string;
  name: string;
  team: Team;
}

/** A salesperson's quota for one calendar quarter, in the reporting currency. */
export interface CrmTarget {
  owner_id: string;
  /** Calendar quarter, e.g. `2026-Q2`. */
  period: string;
  target_minor: number;
  currency: Currency;
}

/**
 * A deal; `amount_minor` is the sum of its lines, in the account's currency, and
 * `amount_usd_minor` the same amount in the reporting currency (USD) at `RATES_PER_USD`.
 */
export interface CrmDeal {
  id: string;
  account_id: string;
  owner_id: string;
  name: string;
  stage: DealStage;
  amount_minor: number;
  currency: Currency;
  amount_usd_minor: number;
  created_on: string;
  /** Actual close date when closed, expected close date when open (may be past: slipped). */
  close_date: string;
  stage_changed_on: string;
  lost_reason: string | null;
  /** The latest `occurred_at` of the deal's activities (the maximum, not the last generated), or null. */
  last_activity_at: string | null;
}

/** One product line of a deal. */
export interface CrmDealLine {
  id: string;
  deal_id: string;
  line_no: number;
  sku: string;
  quantity: number;
  unit_price_minor: number;
  discount_pct: number;
  amount_minor: number;
  currency: Currency;
}

/** Kinds of sales activity. */
export type ActivityKind = "call" | "email" | "meeting" | "note";

/** A logged touchpoint on a deal. */
export interface CrmActivity {
  id: string;
  deal_id: string;
  account_id: string;
  owner_id: string;
  kind: ActivityKind;
  subject: string;
  occurred_at: string;
}

/** A deal with its lines and activities, generated together from one stream. */
export interface DealBundle {
  index: number;
  deal: CrmDeal;
  lines: CrmDealLine[];
  activities: CrmActivity[];
}
