import {
  decodeCursor,
  type Page,
  type PageRequest,
  queryPage,
  type ReadStore,
  type SqlValue,
  sqlFor,
} from "@toolpacks/pack-kit";
import type { z } from "zod";
import { usdSql } from "./money.js";
import type { currencySchema } from "./schemas.js";
import { MRR_USD_SQL, SUBSCRIPTION_MRR_TABLE, SUBSCRIPTION_TOTALS_TABLE } from "./subscription-mrr.js";
import type { Rows } from "./tables.js";
import { walkBeatsSort } from "./walk-or-sort.js";

/** Subscription statuses. */
export const STATUSES = ["active", "cancelled", "trialing", "paused"] as const;

type Currency = z.infer<typeof currencySchema>;

/** One listed subscription, with its MRR as of the asked day. */
export type SubscriptionRow = Pick<
  Rows["billing_subscriptions"],
  "account_id" | "plan_id" | "seats" | "started_on" | "cancelled_on"
> & { subscription_id: string; status: (typeof STATUSES)[number]; currency: Currency; mrr_minor: number };

/** The matching subscriptions' count and MRR in one currency. */
export type CurrencyTotals = Pick<Rows["billing_subscription_totals"], "subscriptions" | "mrr_minor"> & {
  currency: Currency;
};

/** Sort keys of the list. */
export type SubscriptionSort = "mrr" | "started_on" | "cancelled_on";

/** What both ways of answering return. */
export interface SubscriptionAnswer {
  byCurrency: CurrencyTotals[];
  page: Page<SubscriptionRow>;
}

/**
 * Whether some subscription's latest MRR movement is after `asOf`: then the kept MRR is not yet
 * the as-of MRR for it. MAX reads one end of the index, whatever the planner knows of the table.
 */
export async function movesAfter(store: ReadStore, asOf: string): Promise<boolean> {
  const row = await store.first<{ last: string | null }>(
    `SELECT MAX(mrr_on) AS last FROM ${SUBSCRIPTION_MRR_TABLE}`,
  );
  return row?.last != null && row.last > asOf;
}

/**
 * A subscription's MRR as `mrr_summary` counts it, from the same movement events: the MRR of its
 * latest movement up to as_of that is not its churn. So a running subscription shows its MRR
 * today, a cancelled one the MRR it had the day before `cancelled_on` (what churned), and one
 * that never moved MRR (trialing, paused) shows 0. Plain correlated subquery: portable SQL.
 */
const MRR_AS_OF_SQL = `COALESCE((SELECT e.mrr_minor FROM billing_mrr_events e
  WHERE e.subscription_id = s.id AND e.kind <> 'churn' AND e.effective_on <= ?
  ORDER BY e.effective_on DESC LIMIT 1), 0)`;

// The same orders over the kept table (id is subscription_id): its indexes hold them.
const ORDER = {
  mrr: { sql: `${MRR_USD_SQL} DESC, id`, index: "billing_subscription_mrr_usd" },
  started_on: { sql: "started_on DESC, id", index: "billing_subscription_mrr_started" },
  // NULLs sort first in PostgreSQL and last in SQLite: put the uncancelled last explicitly.
  cancelled_on: {
    sql: "cancelled_on IS NULL, cancelled_on DESC, id",
    index: "billing_subscription_mrr_cancelled",
  },
} as const;

const ORDER_AS_OF = {
  mrr: `${usdSql("mrr_minor")} DESC, subscription_id`,
  started_on: "started_on DESC, subscription_id",
  cancelled_on: "cancelled_on IS NULL, cancelled_on DESC, subscription_id",
} as const;

/**
 * Totals from the rollup (one row per currency, status, start and cancellation day), and the page
 * by walking the kept table in answer order when the matches are dense in it (counts from the
 * rollup decide), else by sorting the few matches.
 */
export async function fromKeptMrr(
  store: ReadStore,
  where: string,
  params: readonly SqlValue[],
  page: PageRequest,
  filters: { sort: SubscriptionSort } & Record<string, unknown>,
): Promise<SubscriptionAnswer> {
  const byCurrency = await store.all<CurrencyTotals>(
    `SELECT currency, SUM(subscriptions) AS subscriptions, SUM(mrr_minor) AS mrr_minor
     FROM ${SUBSCRIPTION_TOTALS_TABLE} ${where} GROUP BY currency ORDER BY currency`,
    params,
  );
  const all = await store.first<{ n: number }>(
    `SELECT COALESCE(SUM(subscriptions), 0) AS n FROM ${SUBSCRIPTION_TOTALS_TABLE}`,
  );
  const matches = byCurrency.reduce((n, c) => n + c.subscriptions, 0);
  const order = ORDER[filters.sort];
  const rows = decodeCursor(page.cursor, filters) + page.limit + 1;
  const hint = walkBeatsSort(rows, all?.n ?? 0, matches) ? sqlFor(store.dialect).indexedBy(order.index) : "";
  return {
    byCurrency,
    page: await queryPage<SubscriptionRow>(
      store,
      `SELECT id AS subscription_id, account_id, plan_id, status, seats, currency, mrr_minor, started_on, cancelled_on
       FROM ${SUBSCRIPTION_MRR_TABLE}${hint} ${where} ORDER BY ${order.sql}`,
      params,
      page,
      filters,
    ),
  };
}

/** Totals and page computed from each matching subscription's movements as of `asOf`. */
export async function fromMovements(
  store: ReadStore,
  asOf: string,
  where: string,
  params: readonly SqlValue[],
  page: PageRequest,
  filters: { sort: SubscriptionSort } & Record<string, unknown>,
): Promise<SubscriptionAnswer> {
  const rows = `SELECT s.id AS subscription_id, s.account_id, s.plan_id, s.status, s.seats, s.currency,
      ${MRR_AS_OF_SQL} AS mrr_minor, s.started_on, s.cancelled_on
    FROM billing_subscriptions s ${where}`;
  const byCurrency = await store.all<CurrencyTotals>(
    `SELECT currency, COUNT(*) AS subscriptions, SUM(mrr_minor) AS mrr_minor FROM (${rows}) m
     GROUP BY currency ORDER BY currency`,
    [asOf, ...params],
  );
  return {
    byCurrency,
    page: await queryPage<SubscriptionRow>(
      store,
      `SELECT * FROM (${rows}) m ORDER BY ${ORDER_AS_OF[filters.sort]}`,
      [asOf, ...params],
      page,
      filters,
    ),
  };
}
