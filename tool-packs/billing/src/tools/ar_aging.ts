import { defineTool, nextCursorSchema, pageInputShape, queryPage, sqlFor } from "@toolpacks/pack-kit";
import { z } from "zod";
import { ACCOUNT_ROLLUP_TABLE, OPEN_USD_SQL } from "../account-rollup.js";
import { agingFromRollupSql } from "../aging-rollup.js";
import {
  AGING_BUCKETS,
  BUCKET_SQL,
  bucketEdges,
  OPEN_AMOUNT_SQL,
  OPEN_SQL,
  oldestDaysPastDueSql,
} from "../invoices-sql.js";
import { toUsd } from "../money.js";
import { ANY_CURRENCY, OLDEST_COUNTS_TABLE } from "../oldest-due-rollup.js";
import { currencySchema, minor, reportingCurrency } from "../schemas.js";
import type { Rows } from "../tables.js";

const bucketAmounts = z.object({
  current: minor,
  "1-30": minor,
  "31-60": minor,
  "61-90": minor,
  "90+": minor,
});

const account = z.object({
  account_id: z.string(),
  currency: currencySchema,
  open_minor: minor,
  overdue_minor: minor,
  oldest_days_past_due: z.number().int().describe("0 when nothing is past due"),
});

type Bucket = (typeof AGING_BUCKETS)[number];
type Currency = z.infer<typeof currencySchema>;
/** Open invoices and amount of one currency in one bucket (the rollup's rows summed). */
type BucketRow = Pick<Rows["billing_open_by_due"], "invoices" | "open_minor"> & {
  currency: Currency;
  bucket: Bucket;
};
/** One account's open balance in one currency. */
type Balance = Pick<Rows["billing_open_by_account"], "account_id" | "open_minor"> & { currency: Currency };
/** What one account owes past due as of the day, from its open invoices. */
type AsOfFigures = Pick<Rows["billing_invoices"], "account_id" | "currency"> & {
  overdue_minor: number;
  oldest_days_past_due: number;
};

/** Accounts receivable aging: open invoice amounts by days past due. */
export const arAging = defineTool({
  name: "ar_aging",
  title: "AR aging",
  description:
    "Accounts receivable aging as of the billing system's date: what is still to collect on open invoices, " +
    "by days past due date in the buckets current (not yet due), 1-30, 31-60, 61-90 and 90+. Returns invoice " +
    "counts and amounts per bucket in USD (each currency's total converted at the world's fixed rates), the " +
    "same buckets per currency in native minor units, and the accounts with the largest open balances " +
    "(ids only) with a cursor for more. Optionally only one currency.",
  input: z.object({
    currency: currencySchema.optional().describe("only invoices in this currency"),
    ...pageInputShape({ defaultLimit: 5, maxLimit: 25 }),
  }),
  output: z.object({
    as_of: z.string(),
    reporting_currency: reportingCurrency,
    buckets: z.array(
      z.object({ bucket: z.enum(AGING_BUCKETS), invoices: z.number().int(), open_usd_minor: minor }),
    ),
    total: z.object({
      invoices: z.number().int(),
      accounts: z.number().int(),
      open_usd_minor: minor,
      past_due_usd_minor: minor,
    }),
    by_currency: z.array(z.object({ currency: currencySchema, total_minor: minor, buckets: bucketAmounts })),
    top_accounts: z.array(account).describe("largest open balance (USD) first"),
    next_cursor: nextCursorSchema,
  }),
  scope: "billing:read",
  budgetTokens: 1500,
  examples: [{}, { currency: "EUR", limit: 3 }],
  async handler({ currency, limit, cursor }, { store, asOf }) {
    const sql = sqlFor(store.dialect);
    const onlyCurrency = currency === undefined ? "" : " WHERE currency = ?";
    const filterParams = currency === undefined ? [] : [currency];
    // Buckets from the rollup (a row per currency and due date), not from the invoices.
    const rows = await store.all<BucketRow>(agingFromRollupSql(BUCKET_SQL, currency !== undefined), [
      ...bucketEdges(asOf),
      ...filterParams,
    ]);
    // Accounts owing anything: every account has one oldest open due date, so the histogram of
    // those dates counts them without reading one row per account.
    const accounts = await store.first<{ n: number }>(
      `SELECT COALESCE(SUM(accounts), 0) AS n FROM ${OLDEST_COUNTS_TABLE} WHERE currency = ?`,
      [currency ?? ANY_CURRENCY],
    );
    // The page of largest balances from the open-balance rollup (its USD index gives the page in
    // order); only the page's accounts read their open invoices for as-of figures.
    const balances = await queryPage<Balance>(
      store,
      `SELECT account_id, currency, open_minor FROM ${ACCOUNT_ROLLUP_TABLE}${onlyCurrency}
       ORDER BY ${OPEN_USD_SQL} DESC, account_id`,
      filterParams,
      { limit, cursor },
      { currency },
    );
    const ids = [...new Set(balances.items.map((b) => b.account_id))];
    const asOfFigures = ids.length
      ? await store.all<AsOfFigures>(
          `SELECT account_id, currency, SUM(CASE WHEN due_on < ? THEN ${OPEN_AMOUNT_SQL} ELSE 0 END) AS overdue_minor,
             ${sql.greatest("0", oldestDaysPastDueSql(sql))} AS oldest_days_past_due
           FROM billing_invoices WHERE ${OPEN_SQL} AND account_id IN (${ids.map(() => "?").join(", ")})
           GROUP BY account_id, currency`,
          [asOf, asOf, ...ids],
        )
      : [];
    const figuresOf = new Map(asOfFigures.map((f) => [`${f.account_id}\u0000${f.currency}`, f]));
    const page = {
      next_cursor: balances.next_cursor,
      items: balances.items.map((b) => {
        const f = figuresOf.get(`${b.account_id}\u0000${b.currency}`);
        return {
          account_id: b.account_id,
          currency: b.currency,
          open_minor: b.open_minor,
          overdue_minor: f?.overdue_minor ?? 0,
          oldest_days_past_due: f?.oldest_days_past_due ?? 0,
        };
      }),
    };
    const byCurrency = new Map<
      string,
      { currency: z.infer<typeof currencySchema>; total_minor: number; buckets: Record<Bucket, number> }
    >();
    for (const row of rows) {
      let entry = byCurrency.get(row.currency);
      if (!entry) {
        entry = {
          currency: row.currency,
          total_minor: 0,
          buckets: { current: 0, "1-30": 0, "31-60": 0, "61-90": 0, "90+": 0 },
        };
        byCurrency.set(row.currency, entry);
      }
      entry.total_minor += row.open_minor;
      entry.buckets[row.bucket] += row.open_minor;
    }
    const currencies = [...byCurrency.values()];
    const buckets = AGING_BUCKETS.map((bucket) => ({
      bucket,
      invoices: rows.filter((r) => r.bucket === bucket).reduce((n, r) => n + r.invoices, 0),
      open_usd_minor: currencies.reduce((sum, c) => sum + toUsd(c.buckets[bucket], c.currency), 0),
    }));
    // Totals convert each currency's own total once, like every USD figure (recomputable from
    // by_currency), so they may differ from the sum of the bucket rows by a few cents.
    const open = currencies.reduce((sum, c) => sum + toUsd(c.total_minor, c.currency), 0);
    const pastDue = currencies.reduce(
      (sum, c) => sum + toUsd(c.total_minor - c.buckets.current, c.currency),
      0,
    );
    return {
      as_of: asOf,
      reporting_currency: "USD" as const,
      buckets,
      total: {
        invoices: buckets.reduce((n, b) => n + b.invoices, 0),
        accounts: accounts?.n ?? 0,
        open_usd_minor: open,
        past_due_usd_minor: pastDue,
      },
      by_currency: currencies,
      top_accounts: page.items,
      next_cursor: page.next_cursor,
    };
  },
});
