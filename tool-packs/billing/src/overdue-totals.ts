import type { ReadStore, SqlValue } from "@toolpacks/pack-kit";
import type { z } from "zod";
import { AGING_ROLLUP_TABLE } from "./aging-rollup.js";
import { OPEN_AMOUNT_SQL, OPEN_SQL } from "./invoices-sql.js";
import { ACCOUNTS_DUE_BY_SQL, ANY_CURRENCY } from "./oldest-due-rollup.js";
import type { currencySchema } from "./schemas.js";
import type { Rows } from "./tables.js";

type Currency = z.infer<typeof currencySchema>;

/** Open invoices due on or before a day, per currency: what overdue_invoices totals. */
export type DueByCurrency = Pick<Rows["billing_open_by_due"], "invoices" | "open_minor"> & {
  currency: Currency;
};

/** The totals of the open invoices due on or before a day, and how many are open in that scope at all. */
export interface DueTotals {
  byCurrency: DueByCurrency[];
  /** Distinct accounts owing on those invoices. */
  accounts: number;
  /** Every open invoice of the scope, due then or later (how dense the matches are among them). */
  open: number;
}

/**
 * The totals over every account, from the rollups: the aging rollup's rows per currency and due
 * date (at most one per day) and the histogram of accounts' oldest open due dates, so the cost
 * does not grow with the number of invoices or accounts.
 */
export async function totalsFromRollups(
  store: ReadStore,
  dueBy: string,
  currency: Currency | undefined,
): Promise<DueTotals> {
  const rows = await store.all<DueByCurrency & { open: number }>(
    `SELECT currency, SUM(CASE WHEN due_on <= ? THEN invoices ELSE 0 END) AS invoices,
       SUM(CASE WHEN due_on <= ? THEN open_minor ELSE 0 END) AS open_minor, SUM(invoices) AS open
     FROM ${AGING_ROLLUP_TABLE}${currency === undefined ? "" : " WHERE currency = ?"} GROUP BY currency ORDER BY currency`,
    [dueBy, dueBy, ...(currency === undefined ? [] : [currency])],
  );
  const accounts = await store.first<{ n: number }>(ACCOUNTS_DUE_BY_SQL, [currency ?? ANY_CURRENCY, dueBy]);
  return {
    byCurrency: rows
      .filter((r) => r.invoices > 0)
      .map((r) => ({ currency: r.currency, invoices: r.invoices, open_minor: r.open_minor })),
    accounts: accounts?.n ?? 0,
    open: rows.reduce((n, r) => n + r.open, 0),
  };
}

/** The same totals for one account, from its own open invoices (an index range of a few rows). */
export async function totalsOfAccount(
  store: ReadStore,
  dueBy: string,
  currency: Currency | undefined,
  accountId: string,
): Promise<DueTotals> {
  const params: SqlValue[] = [accountId, dueBy, ...(currency === undefined ? [] : [currency])];
  const byCurrency = await store.all<DueByCurrency>(
    `SELECT currency, COUNT(*) AS invoices, SUM(${OPEN_AMOUNT_SQL}) AS open_minor FROM billing_invoices
     WHERE ${OPEN_SQL} AND account_id = ? AND due_on <= ?${currency === undefined ? "" : " AND currency = ?"}
     GROUP BY currency ORDER BY currency`,
    params,
  );
  const invoices = byCurrency.reduce((n, c) => n + c.invoices, 0);
  return { byCurrency, accounts: invoices > 0 ? 1 : 0, open: invoices };
}
