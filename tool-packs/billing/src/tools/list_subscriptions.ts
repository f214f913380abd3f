import {
  defineTool,
  nextCursorSchema,
  pageInputShape,
  periodOutput,
  periodSchema,
  resolvePeriod,
  type SqlValue,
} from "@toolpacks/pack-kit";
import { z } from "zod";
import { sumInReporting } from "../money.js";
import { accountIdSchema, currencySchema, minor, reportingCurrency } from "../schemas.js";
import { fromKeptMrr, fromMovements, movesAfter, STATUSES } from "../subscriptions-sql.js";

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
    const filters = { status, account_id, currency, started, cancelled, sort };
    const conditions: string[] = [];
    const params: SqlValue[] = [];
    const where = (condition: string, ...values: SqlValue[]) => {
      conditions.push(condition);
      params.push(...values);
    };
    if (status !== undefined) where("status = ?", status);
    if (account_id !== undefined) where("account_id = ?", account_id);
    if (currency !== undefined) where("currency = ?", currency);
    if (started !== null) where("started_on BETWEEN ? AND ?", started.from, started.to);
    if (cancelled !== null) where("cancelled_on BETWEEN ? AND ?", cancelled.from, cancelled.to);
    const whereSql = conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : "";
    // One account's few subscriptions, or a store where some MRR moves after as_of: compute each
    // subscription's MRR as of then from its movements. Otherwise the kept MRR is the as-of MRR.
    const { byCurrency, page } =
      account_id !== undefined || (await movesAfter(store, asOf))
        ? await fromMovements(store, asOf, whereSql, params, { limit, cursor }, filters)
        : await fromKeptMrr(store, whereSql, params, { limit, cursor }, filters);
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
