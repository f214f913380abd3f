import { defineTool, ToolError } from "@toolpacks/pack-kit";
import { CURRENCIES, dayOf, isoDate } from "@toolpacks/world";
import { z } from "zod";
import { monthStart } from "../dates.js";
import { toUsd } from "../money.js";
import { currencySchema, minor, reportingCurrency } from "../schemas.js";

const MONTH = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "use YYYY-MM, e.g. 2026-01");
/** Longest range: 24 monthly rows stay within the answer budget. */
const MAX_MONTHS = 24;

const bucket = z.object({
  period: z.string().describe("YYYY-MM or YYYY-Qn"),
  invoices: z.number().int(),
  invoiced_usd_minor: minor,
  subscriptions_usd_minor: minor.describe("part of invoiced from subscription invoices"),
  orders_usd_minor: minor.describe("part of invoiced from sales-order invoices"),
  credited_usd_minor: minor,
  net_usd_minor: minor.describe("invoiced - credited"),
  collected_usd_minor: minor.describe("payments received"),
});

type Bucket = z.infer<typeof bucket>;
type Currency = z.infer<typeof currencySchema>;
type TopInvoice = {
  id: string;
  account_id: string;
  currency: Currency;
  amount_minor: number;
  issued_on: string;
};
type Row = {
  month: string;
  currency: Currency;
  invoices: number;
  invoiced_minor: number;
  subscriptions_minor: number;
  credited_minor: number;
  collected_minor: number;
};

function label(month: string, granularity: "month" | "quarter"): string {
  if (granularity === "month") return month;
  return `${month.slice(0, 4)}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;
}

/** Invoiced, credited, net and collected revenue per month or quarter. */
export const revenueByPeriod = defineTool({
  name: "revenue_by_period",
  title: "Revenue by period",
  description:
    "Returns billed revenue per month or quarter: invoiced (split subscriptions / sales orders), credited (credit " +
    "notes), net = invoiced - credited, and collected (payments received), all in USD integer cents (each " +
    "currency's monthly total converted at the world's fixed rates), with totals, per-currency totals and " +
    "the 3 largest invoices of the range with ids. Months from..to inclusive (YYYY-MM, at most 24); default " +
    "the 12 months up to as_of.",
  input: z.object({
    from: MONTH.optional().describe("first month, YYYY-MM"),
    to: MONTH.optional().describe("last month, YYYY-MM (default the month of as_of)"),
    granularity: z.enum(["month", "quarter"]).default("month").describe("one row per month or per quarter"),
  }),
  output: z.object({
    as_of: z.string(),
    currency: reportingCurrency,
    from: z.string(),
    to: z.string(),
    granularity: z.enum(["month", "quarter"]),
    periods: z.array(bucket),
    totals: bucket.omit({ period: true }),
    by_currency: z.array(
      z.object({
        currency: currencySchema,
        invoiced_minor: minor,
        credited_minor: minor,
        collected_minor: minor,
      }),
    ),
    top_invoices: z.array(
      z.object({
        id: z.string(),
        account_id: z.string(),
        currency: currencySchema,
        amount_minor: minor,
        issued_on: z.string(),
      }),
    ),
  }),
  scope: "billing:read",
  budgetTokens: 2500,
  examples: [{}, { from: "2026-01", to: "2026-06", granularity: "quarter" }],
  async handler({ from, to, granularity }, { store, asOf }) {
    const lastMonth = to ?? asOf.slice(0, 7);
    const firstMonth = from ?? isoDate(monthStart(dayOf(`${lastMonth}-01`), -11)).slice(0, 7);
    const months: string[] = [];
    for (let day = dayOf(`${firstMonth}-01`); months.length <= MAX_MONTHS; day = monthStart(day, 1)) {
      const month = isoDate(day).slice(0, 7);
      if (month > lastMonth) break;
      months.push(month);
    }
    if (firstMonth > lastMonth || months.length > MAX_MONTHS) {
      throw new ToolError(
        "invalid_period",
        `Months ${firstMonth}..${lastMonth} are not a range of 1 to ${MAX_MONTHS} months.`,
        {
          fix: "send from on or before to, at most 24 months apart (e.g. from 2025-07, to 2026-06).",
        },
      );
    }
    // One row per month and currency from the rollup the writes keep in step with the rows.
    const rows = await store.all<Row>(
      `SELECT month, currency, invoices, invoiced_minor, subscriptions_minor, credited_minor, collected_minor
       FROM billing_revenue_monthly WHERE month BETWEEN ? AND ? ORDER BY month, currency`,
      [firstMonth, lastMonth],
    );
    // The largest invoices per currency from the (currency, amount) index, then by USD size.
    const range = [`${firstMonth}-01`, `${lastMonth}-31`];
    const top: TopInvoice[] = [];
    for (const currency of CURRENCIES) {
      top.push(
        ...(await store.all<TopInvoice>(
          `SELECT id, account_id, currency, amount_minor, issued_on FROM billing_invoices
           WHERE currency = ? AND issued_on BETWEEN ? AND ? ORDER BY amount_minor DESC, id LIMIT 3`,
          [currency, ...range],
        )),
      );
    }
    top.sort(
      (a, b) =>
        toUsd(b.amount_minor, b.currency) - toUsd(a.amount_minor, a.currency) || (a.id < b.id ? -1 : 1),
    );
    const empty = (period: string): Bucket => ({
      period,
      invoices: 0,
      invoiced_usd_minor: 0,
      subscriptions_usd_minor: 0,
      orders_usd_minor: 0,
      credited_usd_minor: 0,
      net_usd_minor: 0,
      collected_usd_minor: 0,
    });
    const buckets = new Map<string, Bucket>();
    for (const month of months) {
      const key = label(month, granularity);
      if (!buckets.has(key)) buckets.set(key, empty(key));
    }
    for (const r of rows) {
      const b = buckets.get(label(r.month, granularity));
      if (!b) continue;
      b.invoices += r.invoices;
      b.invoiced_usd_minor += toUsd(r.invoiced_minor, r.currency);
      b.subscriptions_usd_minor += toUsd(r.subscriptions_minor, r.currency);
      b.orders_usd_minor += toUsd(r.invoiced_minor - r.subscriptions_minor, r.currency);
      b.credited_usd_minor += toUsd(r.credited_minor, r.currency);
      b.collected_usd_minor += toUsd(r.collected_minor, r.currency);
    }
    const periods = [...buckets.values()].map((b) => ({
      ...b,
      net_usd_minor: b.invoiced_usd_minor - b.credited_usd_minor,
    }));
    const totals = empty("");
    for (const p of periods) {
      for (const key of Object.keys(totals) as Array<keyof Bucket>) {
        if (key !== "period") totals[key] += p[key];
      }
    }
    const { period: _period, ...totalsOut } = totals;
    const perCurrency = new Map<
      string,
      {
        currency: z.infer<typeof currencySchema>;
        invoiced_minor: number;
        credited_minor: number;
        collected_minor: number;
      }
    >();
    const currencyEntry = (currency: string) => {
      let entry = perCurrency.get(currency);
      if (!entry) {
        entry = {
          currency: currency as z.infer<typeof currencySchema>,
          invoiced_minor: 0,
          credited_minor: 0,
          collected_minor: 0,
        };
        perCurrency.set(currency, entry);
      }
      return entry;
    };
    for (const r of rows) {
      const entry = currencyEntry(r.currency);
      entry.invoiced_minor += r.invoiced_minor;
      entry.credited_minor += r.credited_minor;
      entry.collected_minor += r.collected_minor;
    }
    return {
      as_of: asOf,
      currency: "USD" as const,
      from: firstMonth,
      to: lastMonth,
      granularity,
      periods,
      totals: totalsOut,
      by_currency: [...perCurrency.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1)),
      top_invoices: top.slice(0, 3),
    };
  },
});
