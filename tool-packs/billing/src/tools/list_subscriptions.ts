import {
  defineTool,
  nextCursorSchema,
  pageInputShape,
  periodOutput,
  periodSchema,
  queryPage,
  resolvePeriod,
  type SqlValue,
} from "@toolpacks/pack-kit";
import { z } from "zod";
import { sumInReporting, usdSql } from "../money.js";
import { accountIdSchema, currencySchema, minor, reportingCurrency } from "../schemas.js";

const STATUSES = ["active", "cancelled", "trialing", "paused"] as const;

/**
 * A subscription's MRR as `mrr_summary` counts it, from the same movement events: the MRR of its
 * latest movement up to as_of that is not its churn. So a running subscription shows its MRR
 * today, a cancelled one the MRR it had the day before `cancelled_on` (what churned), and one
 * that never moved MRR (trialing, paused) shows 0. Plain correlated subquery: portable SQL.
 */
const MRR_SQL = `COALESCE((SELECT e.mrr_minor FROM billing_mrr_events e
  WHERE e.subscription_id = s.id AND e.kind <> 'churn' AND e.effective_on <= ?
  ORDER BY e.effective_on DESC LIMIT 1), 0)`;

const ORDER = {
  mrr: `${usdSql("mrr_minor")} DESC, subscription_id`,
  started_on: "started_on DESC, subscription_id",
  // NULLs sort first in PostgreSQL and last in SQLite: put the uncancelled last explicitly.
  cancelled_on: "cancelled_on IS NULL, cancelled_on DESC, subscription_id",
} as const;

const subscription = z.object({
  subscription_id: z.string(),
  account_id: z.string(),
  plan_id: z.string(),
  status: z.enum(STATUSES),
  seats: z.number().int(),
  currency: currencySchema,
  mrr_minor: minor.describe(
    "MRR in currency: today's if it runs; for a cancelled one the MRR lost at cancelled_on; 0 if trialing or paused",
  ),
  started_on: z.string().describe("first day it counts in MRR"),
  cancelled_on: z.string().nullable().describe("first day with MRR 0 (its churn day); null if not cancelled"),
});

type Subscription = z.infer<typeof subscription>;

/** Subscriptions with status, start, cancellation day and MRR: filters, totals and one page. */
export const listSubscriptions = defineTool({
  name: "list_subscriptions",
  title: "Subscriptions",
  description:
    "Returns the subscriptions as of the billing system's date, each with account, plan, status (active, cancelled, " +
    "trialing, paused), seats, MRR, start day and cancellation day; subscription SUB-000042 belongs to account " +
    "C-000042. Filter by status, account, currency, started_in or cancelled_in (a period: cancelled_on inside it, " +
    "the same churn mrr_summary counts for that period). Totals cover every match: count, MRR per currency and " +
    "in USD; one page of subscriptions (largest MRR first, or newest start or cancellation first with sort) and a " +
    "cursor for the next page.",
  input: z.object({
    status: z.enum(STATUSES).optional().describe("only subscriptions with this status"),
    account_id: accountIdSchema.optional().describe("only this account's subscriptions"),
    currency: currencySchema.optional().describe("only subscriptions billed in this currency"),
    started_in: periodSchema.optional().describe("only subscriptions whose started_on is in this period"),
    cancelled_in: periodSchema
      .optional()
      .describe("only subscriptions whose cancelled_on is in this period (they churned in it)"),
    sort: z
      .enum(["mrr", "started_on", "cancelled_on"])
      .default("mrr")
      .describe("page order: largest MRR (in USD) first, or the latest started_on / cancelled_on first"),
    ...pageInputShape({ defaultLimit: 10, maxLimit: 20 }),
  }),
  output: z.object({
    as_of: z.string(),
    started_in: periodOutput.nullable(),
    cancelled_in: periodOutput.nullable(),
    reporting_currency: reportingCurrency,
    totals: z.object({
      subscriptions: z.number().int(),
      mrr_usd_minor: minor.describe("sum of the matching subscriptions' mrr_minor"),
    }),
    by_currency: z.array(
      z.object({ currency: currencySchema, subscriptions: z.number().int(), mrr_minor: minor }),
    ),
    subscriptions: z.array(subscription),
    next_cursor: nextCursorSchema,
  }),
  scope: "billing:read",
  budgetTokens: 1800,
  examples: [
    {},
    { status: "cancelled", cancelled_in: "2026-Q2", sort: "cancelled_on", limit: 5 },
    { account_id: "C-000001" },
  ],
  async handler(
    { status, account_id, currency, started_in, cancelled_in, sort, limit, cursor },
    { store, asOf },
  ) {
    const started = started_in === undefined ? null : resolvePeriod(started_in, asOf);
    const cancelled = cancelled_in === undefined ? null : resolvePeriod(cancelled_in, asOf);
    const conditions: string[] = [];
    const params: SqlValue[] = [];
    const where = (condition: string, ...values: SqlValue[]) => {
      conditions.push(condition);
      params.push(...values);
    };
    if (status !== undefined) where("s.status = ?", status);
    if (account_id !== undefined) where("s.account_id = ?", account_id);
    if (currency !== undefined) where("s.currency = ?", currency);
    if (started !== null) where("s.started_on BETWEEN ? AND ?", started.from, started.to);
    if (cancelled !== null) where("s.cancelled_on BETWEEN ? AND ?", cancelled.from, cancelled.to);
    const rows = `SELECT s.id AS subscription_id, s.account_id, s.plan_id, s.status, s.seats, s.currency,
        ${MRR_SQL} AS mrr_minor, s.started_on, s.cancelled_on
      FROM billing_subscriptions s ${conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : ""}`;
    const byCurrency = await store.all<{
      currency: z.infer<typeof currencySchema>;
      subscriptions: number;
      mrr_minor: number;
    }>(
      `SELECT currency, COUNT(*) AS subscriptions, SUM(mrr_minor) AS mrr_minor FROM (${rows}) m
       GROUP BY currency ORDER BY currency`,
      [asOf, ...params],
    );
    const page = await queryPage<Subscription>(
      store,
      `SELECT * FROM (${rows}) m ORDER BY ${ORDER[sort]}`,
      [asOf, ...params],
      { limit, cursor },
      { status, account_id, currency, started, cancelled, sort },
    );
    return {
      as_of: asOf,
      started_in: started,
      cancelled_in: cancelled,
      reporting_currency: "USD" as const,
      totals: {
        subscriptions: byCurrency.reduce((n, c) => n + c.subscriptions, 0),
        mrr_usd_minor: sumInReporting(byCurrency.map((c) => ({ currency: c.currency, minor: c.mrr_minor }))),
      },
      by_currency: byCurrency,
      subscriptions: page.items,
      next_cursor: page.next_cursor,
    };
  },
});
