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
    "period's per-currency totals converted once; totals convert the per-currency totals shown), with totals, per-currency totals and " +
    "the 3 largest invoices of the range with ids. Months from..to inclusive (YYYY-MM, at most 24); default " +
    "the 12 months up to as_of.",
  input: z.object({
    from: MONTH.optional().describe("first month, YYYY-MM"),
    to: MONTH.optional().describe("last month, YYYY-MM (default the month of as_of)"),
    granularity: z.enum(["month", "quarter"]).default("month").describe("one row per month or per quarter"),
  }),
  output: z.object({
    as_of: z.string(),
    reporting_currency: reportingCurrency,
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
    // Each period converts its own per-currency totals once; the totals convert by_currency's
    // (the rule reporting_currency states), so periods may add up to a few cents more or less.
    const keys = [...new Set(months.map((month) => label(month, granularity)))];
    const native = new Map<string, Map<Currency, Omit<Row, "month" | "currency">>>();
    for (const r of rows) {
      const key = label(r.month, granularity);
      const byCurrency = native.get(key) ?? new Map<Currency, Omit<Row, "month" | "currency">>();
      const sum = byCurrency.get(r.currency) ?? {
        invoices: 0,
        invoiced_minor: 0,
        subscriptions_minor: 0,
        credited_minor: 0,
        collected_minor: 0,
      };
      sum.invoices += r.invoices;
      sum.invoiced_minor += r.invoiced_minor;
      sum.subscriptions_minor += r.subscriptions_minor;
      sum.credited_minor += r.credited_minor;
      sum.collected_minor += r.collected_minor;
      byCurrency.set(r.currency, sum);
      native.set(key, byCurrency);
    }
    const bucketOf = (
      period: string,
      sums: Iterable<[Currency, Omit<Row, "month" | "currency">]>,
    ): Bucket => {
      const b = empty(period);
      for (const [currency, n] of sums) {
        b.invoices += n.invoices;
        b.invoiced_usd_minor += toUsd(n.invoiced_minor, currency);
        b.subscriptions_usd_minor += toUsd(n.subscriptions_minor, currency);
        b.orders_usd_minor += toUsd(n.invoiced_minor - n.subscriptions_minor, currency);
        b.credited_usd_minor += toUsd(n.credited_minor, currency);
        b.collected_usd_minor += toUsd(n.collected_minor, currency);
      }
      b.net_usd_minor = b.invoiced_usd_minor - b.credited_usd_minor;
      return b;
    };
    const periods = keys.map((key) => bucketOf(key, native.get(key) ?? []));
    const grand = new Map<Currency, Omit<Row, "month" | "currency">>();
    for (const byCurrency of native.values()) {
      for (const [currency, n] of byCurrency) {
        const g = grand.get(currency) ?? {
          invoices: 0,
          invoiced_minor: 0,
          subscriptions_minor: 0,
          credited_minor: 0,
          collected_minor: 0,
        };
        g.invoices += n.invoices;
        g.invoiced_minor += n.invoiced_minor;
        g.subscriptions_minor += n.subscriptions_minor;
        g.credited_minor += n.credited_minor;
        g.collected_minor += n.collected_minor;
        grand.set(currency, g);
      }
    }
    const { period: _period, ...totalsOut } = bucketOf("", grand);
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
      reporting_currency: "USD" as const,
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
