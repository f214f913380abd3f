import {
  addDays,
  decodeCursor,
  defineTool,
  nextCursorSchema,
  pageInputShape,
  periodOutput,
  periodSchema,
  queryPage,
  resolvePeriod,
  sqlFor,
} from "@toolpacks/pack-kit";
import { z } from "zod";
import { earlierDate } from "../dates.js";
import { toUsd } from "../money.js";
import {
  MONTH_MOVES_TABLE,
  MOVE_USD_SQL,
  MOVES_USD_INDEX,
  movementsBetween,
  REPEATS_BETWEEN_SQL,
} from "../mrr-moves-rollup.js";
import { movementsUpTo } from "../mrr-rollup.js";
import { currencySchema, minor, reportingCurrency } from "../schemas.js";
import type { Rows } from "../tables.js";
import { walkBeatsSort } from "../walk-or-sort.js";

const KINDS = ["new", "expansion", "contraction", "churn"] as const;

/** SQL: how a rollup row's movements change the count of active subscriptions (+1 per new, -1 per churn). */
const ACTIVE_DELTA_SQL = "CASE kind WHEN 'new' THEN events WHEN 'churn' THEN -events ELSE 0 END";

type Kind = (typeof KINDS)[number];
type Currency = z.infer<typeof currencySchema>;
/** A period's movements of one currency and kind, summed from the month rollup and the ragged days. */
type Moved = Pick<Rows["billing_mrr_month_moves"], "events"> & {
  currency: Currency;
  kind: Kind;
  amount: number;
};
/** How many of them repeat an earlier movement of their subscription inside the period. */
type Repeated = { currency: Currency; kind: Kind; repeats: number };

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
  kind: z.enum(KINDS),
  currency: currencySchema,
  opening_mrr_minor: minor,
  closing_mrr_minor: minor,
});

/** MRR and ARR at the end of a period and what moved them during it. */
export const mrrSummary = defineTool({
  name: "mrr_summary",
  title: "MRR, ARR and movements",
  description:
    "Returns the monthly recurring revenue (MRR) of subscriptions on the day before a period and on its last day (capped " +
    "at the billing system's date), ARR (= closing MRR x 12), and the movements in between, summed per event: " +
    "new (from zero), expansion, contraction and churn (to zero), as amounts and subscription counts, so " +
    "opening + new + expansion - contraction - churn = closing per currency. Totals " +
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
    reporting_currency: reportingCurrency,
    opening_mrr_usd_minor: minor,
    closing_mrr_usd_minor: minor,
    arr_usd_minor: minor.describe("closing MRR x 12"),
    movements_usd_minor: z
      .object({
        new: minor,
        expansion: minor,
        contraction: minor,
        churn: minor,
        net: minor.describe("closing - opening"),
      })
      .describe("MRR movements per event, integer minor units (cents)"),
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
    // MRR on a day = the sum of movements up to it, from the monthly rollup plus the movements
    // of the day's own month; a period's movements = its events by kind. The opening day is
    // capped by the closing one (a period after the as-of date opens and closes on it).
    const level = async (day: string) => {
      const upTo = movementsUpTo(day);
      return store.all<{ currency: Currency; level: number; active: number }>(
        `SELECT currency, SUM(delta_minor) AS level,
           SUM(${ACTIVE_DELTA_SQL}) AS active
         FROM (${upTo.sql}) m GROUP BY currency ORDER BY currency`,
        upTo.params,
      );
    };
    const closingLevels = await level(closingOn);
    const openingLevels = new Map(
      (await level(earlierDate(openingOn, closingOn))).map((l) => [l.currency, l] as const),
    );
    const levels = closingLevels.map((c) => ({
      currency: c.currency,
      opening: openingLevels.get(c.currency)?.level ?? 0,
      closing: c.level,
      active_opening: openingLevels.get(c.currency)?.active ?? 0,
      active_closing: c.active,
    }));
    // The period's movements per currency and kind: sizes and counts from whole months of the
    // rollup plus the ragged days; subscriptions = movements - those repeating one in the period.
    const between = movementsBetween(openingOn, closingOn);
    const sized = await store.all<Moved>(
      `SELECT currency, kind, SUM(moved_minor) AS amount, SUM(events) AS events FROM (${between.sql}) m
       GROUP BY currency, kind`,
      between.params,
    );
    const repeats = await store.all<Repeated>(REPEATS_BETWEEN_SQL, [openingOn, closingOn, openingOn]);
    const repeatsOf = (c: string, k: Kind) =>
      repeats.find((r) => r.currency === c && r.kind === k)?.repeats ?? 0;
    const moved = sized.map((m) => ({ ...m, subscriptions: m.events - repeatsOf(m.currency, m.kind) }));
    // Largest first: walk the movements in size order when the period's are dense among them.
    const all = await store.first<{ n: number }>(
      `SELECT COALESCE(SUM(events), 0) AS n FROM ${MONTH_MOVES_TABLE}`,
    );
    const matches = sized.reduce((n, m) => n + m.events, 0);
    const rows = decodeCursor(cursor, { period: resolved }) + limit + 1;
    const hint = walkBeatsSort(rows, all?.n ?? 0, matches)
      ? sqlFor(store.dialect).indexedBy(MOVES_USD_INDEX)
      : "";
    const page = await queryPage<z.infer<typeof movement>>(
      store,
      `SELECT subscription_id, account_id, kind, currency, mrr_minor - delta_minor AS opening_mrr_minor, mrr_minor AS closing_mrr_minor
       FROM billing_mrr_events${hint} WHERE effective_on > ? AND effective_on <= ?
       ORDER BY ${MOVE_USD_SQL} DESC, subscription_id, effective_on`,
      [openingOn, closingOn],
      { limit, cursor },
      { period: resolved },
    );
    const movedBy = (currency: string, kind: Kind) =>
      moved.find((m) => m.currency === currency && m.kind === kind)?.amount ?? 0;
    const byCurrency = levels.map((l) => ({
      currency: l.currency,
      opening_mrr_minor: l.opening,
      closing_mrr_minor: l.closing,
      new_minor: movedBy(l.currency, "new"),
      expansion_minor: movedBy(l.currency, "expansion"),
      contraction_minor: movedBy(l.currency, "contraction"),
      churn_minor: movedBy(l.currency, "churn"),
    }));
    const usd = (pick: (row: (typeof byCurrency)[number]) => number) =>
      byCurrency.reduce((sum, row) => sum + toUsd(pick(row), row.currency), 0);
    const subscriptions = (kind: Kind) =>
      moved.filter((m) => m.kind === kind).reduce((n, m) => n + m.subscriptions, 0);
    const opening = usd((r) => r.opening_mrr_minor);
    const closing = usd((r) => r.closing_mrr_minor);
    return {
      as_of: asOf,
      period: resolved,
      opening_on: openingOn,
      closing_on: closingOn,
      reporting_currency: "USD" as const,
      opening_mrr_usd_minor: opening,
      closing_mrr_usd_minor: closing,
      arr_usd_minor: closing * 12,
      movements_usd_minor: {
        new: usd((r) => r.new_minor),
        expansion: usd((r) => r.expansion_minor),
        contraction: usd((r) => r.contraction_minor),
        churn: usd((r) => r.churn_minor),
        net: closing - opening,
      },
      subscriptions: {
        active_opening: levels.reduce((n, l) => n + l.active_opening, 0),
        active_closing: levels.reduce((n, l) => n + l.active_closing, 0),
        new: subscriptions("new"),
        expanded: subscriptions("expansion"),
        contracted: subscriptions("contraction"),
        churned: subscriptions("churn"),
      },
      by_currency: byCurrency,
      top_movements: page.items,
      next_cursor: page.next_cursor,
    };
  },
});
