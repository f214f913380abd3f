import {
  addDays,
  defineTool,
  nextCursorSchema,
  pageInputShape,
  queryPage,
  type SqlValue,
  sqlFor,
} from "@toolpacks/pack-kit";
import { z } from "zod";
import { daysPastDueSql, OPEN_AMOUNT_SQL, OPEN_SQL } from "../invoices-sql.js";
import { sumInReporting, usdSql } from "../money.js";
import {
  accountIdSchema,
  currencySchema,
  minDaysOverdueSchema,
  minor,
  reportingCurrency,
} from "../schemas.js";

const invoice = z.object({
  id: z.string(),
  account_id: z.string(),
  currency: currencySchema,
  amount_minor: minor,
  open_minor: minor.describe("still to collect"),
  due_on: z.string(),
  days_overdue: z.number().int(),
});

/** Overdue invoices: totals plus the largest or oldest with ids. */
export const overdueInvoices = defineTool({
  name: "overdue_invoices",
  title: "Overdue invoices",
  description:
    "Returns the invoices past their due date with money still to collect, as of the billing system's date: count, " +
    "accounts and open amount in USD (each currency's total converted at fixed rates) and per currency, " +
    "plus one page of invoices with ids (largest open amount first, or oldest first with sort=days_overdue) " +
    "and a cursor for the next page. Filter by minimum days overdue, currency or account.",
  input: z.object({
    min_days_overdue: minDaysOverdueSchema,
    currency: currencySchema.optional().describe("only invoices in this currency"),
    account_id: accountIdSchema.optional().describe("only this account's invoices"),
    sort: z.enum(["amount", "days_overdue"]).default("amount").describe("order of the invoice list"),
    ...pageInputShape({ defaultLimit: 10, maxLimit: 20 }),
  }),
  output: z.object({
    as_of: z.string(),
    reporting_currency: reportingCurrency,
    totals: z.object({ invoices: z.number().int(), accounts: z.number().int(), open_usd_minor: minor }),
    by_currency: z.array(
      z.object({ currency: currencySchema, invoices: z.number().int(), open_minor: minor }),
    ),
    invoices: z.array(invoice),
    next_cursor: nextCursorSchema,
  }),
  scope: "billing:read",
  budgetTokens: 1500,
  examples: [{}, { min_days_overdue: 60, sort: "days_overdue", limit: 5 }, { currency: "GBP" }],
  async handler({ min_days_overdue, currency, account_id, sort, limit, cursor }, { store, asOf }) {
    // due_on at least min_days before as_of: a range on the partial index of open invoices.
    let where = `WHERE ${OPEN_SQL} AND due_on <= ?`;
    const params: SqlValue[] = [addDays(asOf, -min_days_overdue)];
    if (currency !== undefined) {
      where += " AND currency = ?";
      params.push(currency);
    }
    if (account_id !== undefined) {
      where += " AND account_id = ?";
      params.push(account_id);
    }
    const byCurrency = await store.all<{
      currency: z.infer<typeof currencySchema>;
      invoices: number;
      open_minor: number;
    }>(
      `SELECT currency, COUNT(*) AS invoices, SUM(${OPEN_AMOUNT_SQL}) AS open_minor FROM billing_invoices ${where} GROUP BY currency ORDER BY currency`,
      params,
    );
    const accounts = await store.first<{ n: number }>(
      `SELECT COUNT(DISTINCT account_id) AS n FROM billing_invoices ${where}`,
      params,
    );
    const order = sort === "amount" ? `${usdSql(OPEN_AMOUNT_SQL)} DESC, id` : "due_on, id";
    const page = await queryPage<z.infer<typeof invoice>>(
      store,
      `SELECT id, account_id, currency, amount_minor, ${OPEN_AMOUNT_SQL} AS open_minor, due_on, ${daysPastDueSql(sqlFor(store.dialect))} AS days_overdue
       FROM billing_invoices ${where} ORDER BY ${order}`,
      [asOf, ...params],
      { limit, cursor },
      { min_days_overdue, currency, account_id, sort },
    );
    return {
      as_of: asOf,
      reporting_currency: "USD" as const,
      totals: {
        invoices: byCurrency.reduce((n, c) => n + c.invoices, 0),
        accounts: accounts?.n ?? 0,
        open_usd_minor: sumInReporting(
          byCurrency.map((c) => ({ currency: c.currency, minor: c.open_minor })),
        ),
      },
      by_currency: byCurrency,
      invoices: page.items,
      next_cursor: page.next_cursor,
    };
  },
});
