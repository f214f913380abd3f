import {
  addDays,
  decodeCursor,
  defineTool,
  nextCursorSchema,
  pageInputShape,
  queryPage,
  type SqlValue,
  sqlFor,
} from "@toolpacks/pack-kit";
import { z } from "zod";
import { daysPastDueSql, OPEN_AMOUNT_SQL, OPEN_SQL } from "../invoices-sql.js";
import { sumInReporting } from "../money.js";
import { OPEN_USD_AMOUNT_SQL, OPEN_USD_INDEX } from "../open-usd-index.js";
import { totalsFromRollups, totalsOfAccount } from "../overdue-totals.js";
import {
  accountIdSchema,
  currencySchema,
  minDaysOverdueSchema,
  minor,
  reportingCurrency,
} from "../schemas.js";
import { walkBeatsSort } from "../walk-or-sort.js";

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
    // due_on at least min_days before as_of.
    const dueBy = addDays(asOf, -min_days_overdue);
    const filters = { min_days_overdue, currency, account_id, sort };
    const { byCurrency, accounts, open } =
      account_id === undefined
        ? await totalsFromRollups(store, dueBy, currency)
        : await totalsOfAccount(store, dueBy, currency, account_id);
    const matches = byCurrency.reduce((n, c) => n + c.invoices, 0);
    let where = `WHERE ${OPEN_SQL} AND due_on <= ?`;
    const params: SqlValue[] = [dueBy];
    if (currency !== undefined) {
      where += " AND currency = ?";
      params.push(currency);
    }
    if (account_id !== undefined) {
      where += " AND account_id = ?";
      params.push(account_id);
    }
    // Largest first: walk the open invoices in USD order and stop after the page when the matches
    // are dense enough in it; otherwise (few matches) sort just them, read by due date.
    const offset = decodeCursor(cursor, filters);
    const walk = sort === "amount" && walkBeatsSort(offset + limit + 1, open, matches);
    const hint = walk ? sqlFor(store.dialect).indexedBy(OPEN_USD_INDEX) : "";
    const order = sort === "amount" ? `${OPEN_USD_AMOUNT_SQL} DESC, id` : "due_on, id";
    const page = await queryPage<z.infer<typeof invoice>>(
      store,
      `SELECT id, account_id, currency, amount_minor, ${OPEN_AMOUNT_SQL} AS open_minor, due_on, ${daysPastDueSql(sqlFor(store.dialect))} AS days_overdue
       FROM billing_invoices${hint} ${where} ORDER BY ${order}`,
      [asOf, ...params],
      { limit, cursor },
      filters,
    );
    return {
      as_of: asOf,
      reporting_currency: "USD" as const,
      totals: {
        invoices: matches,
        accounts,
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
