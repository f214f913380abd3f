import { defineTool, nextCursorSchema, pageInputShape, queryPage } from "@toolpacks/pack-kit";
import { z } from "zod";
import { addDays, earlierDate, periodOutput, periodSchema, resolvePeriod } from "../dates.js";
import { toUsd, usdSql } from "../money.js";
import { currencySchema, minor, reportingCurrency } from "../schemas.js";

const KIND_SQL = `CASE WHEN opening = 0 THEN 'new' WHEN closing = 0 THEN 'churn'
  WHEN closing > opening THEN 'expansion' ELSE 'contraction' END`;

// Each subscription's MRR on the day before the period and on its last day (latest event on or
// before each day; SQLite returns the row of MAX(effective_on) for the bare columns).
const PER_SUBSCRIPTION = `WITH o AS (
    SELECT subscription_id, mrr_minor, MAX(effective_on) FROM billing_mrr_events WHERE effective_on <= ? GROUP BY subscription_id),
  c AS (
    SELECT subscription_id, account_id, currency, mrr_minor, MAX(effective_on) FROM billing_mrr_events WHERE effective_on <= ? GROUP BY subscription_id),
  m AS (
    SELECT c.subscription_id, c.account_id, c.currency, COALESCE(o.mrr_minor, 0) AS opening, c.mrr_minor AS closing
    FROM c LEFT JOIN o USING (subscription_id))`;

const currencyRow = z.object({
  currency: currencySchema,
  opening_mrr_minor: minor,
  closing_mrr_minor: minor,
  new_minor: minor,
  expansion_minor: minor,
  contraction_minor: minor,
  churn_minor: minor,
});

const movement = z.object({
  subscription_id: z.string(),
  account_id: z.string(),
  kind: z.enum(["new", "expansion", "contraction", "churn"]),
  currency: currencySchema,
  opening_mrr_minor: minor,
  closing_mrr_minor: minor,
});

interface Totals {
  currency: z.infer<typeof currencySchema>;
  opening: number;
  closing: number;
  new_minor: number;
  expansion_minor: number;
  contraction_minor: number;
  churn_minor: number;
  active_opening: number;
  active_closing: number;
  new_count: number;
  expanded: number;
  contracted: number;
  churned: number;
}

/** MRR and ARR at the end of a period and what moved them during it. */
export const mrrSummary = defineTool({
  name: "mrr_summary",
  title: "MRR, ARR and movements",
  description:
    "Returns the monthly recurring revenue (MRR) of subscriptions on the day before a period and on its last day (capped " +
    "at the billing system's date), ARR (= closing MRR x 12), and the movements between them: new " +
    "(from zero), expansion, contraction and churn (to zero), as amounts and subscription counts. Totals " +
    "are integer cents in USD (each currency's total converted at the world's fixed rates), with a " +
    "per-currency breakdown and the largest movements with subscription and account ids. Default period: " +
    "the month containing as_of.",
  input: z.object({
    period: periodSchema.optional(),
    ...pageInputShape({ defaultLimit: 5, maxLimit: 20 }),
  }),
  output: z.object({
    as_of: z.string(),
    period: periodOutput,
    opening_on: z.string().describe("MRR 'opening' is as of this day (the day before the period)"),
    closing_on: z.string().describe("MRR 'closing' is as of this day"),
    currency: reportingCurrency,
    opening_mrr_usd_minor: minor,
    closing_mrr_usd_minor: minor,
    arr_usd_minor: minor.describe("closing MRR x 12"),
    movements_usd_minor: z.object({
      new: minor,
      expansion: minor,
      contraction: minor,
      churn: minor,
      net: minor.describe("closing - opening"),
    }),
    subscriptions: z.object({
      active_opening: z.number().int(),
      active_closing: z.number().int(),
      new: z.number().int(),
      expanded: z.number().int(),
      contracted: z.number().int(),
      churned: z.number().int(),
    }),
    by_currency: z.array(currencyRow).describe("native-currency figures, minor units"),
    top_movements: z.array(movement).describe("largest movements first (by USD size)"),
    next_cursor: nextCursorSchema,
  }),
  scope: "billing:read",
  budgetTokens: 1800,
  examples: [{}, { period: "2026-Q2", limit: 3 }],
  async handler({ period, limit, cursor }, { store, asOf }) {
    const resolved = resolvePeriod(period, asOf);
    const openingOn = addDays(resolved.from, -1);
    const closingOn = earlierDate(resolved.to, asOf);
    const params = [openingOn, closingOn];
    const rows = await store.all<Totals>(
      `${PER_SUBSCRIPTION}
      SELECT currency, SUM(opening) AS opening, SUM(closing) AS closing,
        SUM(CASE WHEN opening = 0 AND closing > 0 THEN closing ELSE 0 END) AS new_minor,
        SUM(CASE WHEN opening > 0 AND closing > opening THEN closing - opening ELSE 0 END) AS expansion_minor,
        SUM(CASE WHEN closing > 0 AND closing < opening THEN opening - closing ELSE 0 END) AS contraction_minor,
        SUM(CASE WHEN opening > 0 AND closing = 0 THEN opening ELSE 0 END) AS churn_minor,
        SUM(opening > 0) AS active_opening, SUM(closing > 0) AS active_closing,
        SUM(opening = 0 AND closing > 0) AS new_count, SUM(opening > 0 AND closing > opening) AS expanded,
        SUM(closing > 0 AND closing < opening) AS contracted, SUM(opening > 0 AND closing = 0) AS churned
      FROM m GROUP BY currency ORDER BY currency`,
      params,
    );
    const page = await queryPage<z.infer<typeof movement>>(
      store,
      `${PER_SUBSCRIPTION}
      SELECT subscription_id, account_id, ${KIND_SQL} AS kind, currency, opening AS opening_mrr_minor, closing AS closing_mrr_minor
      FROM m WHERE opening <> closing ORDER BY ${usdSql("ABS(closing - opening)")} DESC, subscription_id`,
      params,
      { limit, cursor },
      { period: resolved },
    );
    const usd = (pick: (t: Totals) => number) => rows.reduce((sum, t) => sum + toUsd(pick(t), t.currency), 0);
    const count = (pick: (t: Totals) => number) => rows.reduce((sum, t) => sum + pick(t), 0);
    const opening = usd((t) => t.opening);
    const closing = usd((t) => t.closing);
    return {
      as_of: asOf,
      period: resolved,
      opening_on: openingOn,
      closing_on: closingOn,
      currency: "USD" as const,
      opening_mrr_usd_minor: opening,
      closing_mrr_usd_minor: closing,
      arr_usd_minor: closing * 12,
      movements_usd_minor: {
        new: usd((t) => t.new_minor),
        expansion: usd((t) => t.expansion_minor),
        contraction: usd((t) => t.contraction_minor),
        churn: usd((t) => t.churn_minor),
        net: closing - opening,
      },
      subscriptions: {
        active_opening: count((t) => t.active_opening),
        active_closing: count((t) => t.active_closing),
        new: count((t) => t.new_count),
        expanded: count((t) => t.expanded),
        contracted: count((t) => t.contracted),
        churned: count((t) => t.churned),
      },
      by_currency: rows.map((t) => ({
        currency: t.currency,
        opening_mrr_minor: t.opening,
        closing_mrr_minor: t.closing,
        new_minor: t.new_minor,
        expansion_minor: t.expansion_minor,
        contraction_minor: t.contraction_minor,
        churn_minor: t.churn_minor,
      })),
      top_movements: page.items,
      next_cursor: page.next_cursor,
    };
  },
});
