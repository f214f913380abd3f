import { addDays, type ReadStore, type SqlFragments, sqlFor } from "@toolpacks/pack-kit";
import type { z } from "zod";
import { ACCOUNT_ROLLUP_TABLE, OPEN_USD_SQL } from "./account-rollup.js";
import { type DunningStage, dunningStage, stageEdges, stageSql } from "./dunning.js";
import { OPEN_AMOUNT_SQL, OPEN_SQL, oldestDaysPastDueSql } from "./invoices-sql.js";
import { usdSql } from "./money.js";
import { OLDEST_COUNTS_TABLE } from "./oldest-due-rollup.js";
import { OPEN_BY_OLDEST_TABLE, OPEN_CELLS_TABLE, OPEN_OLDEST_TOTALS_TABLE } from "./overdue-cells.js";
import type { currencySchema } from "./schemas.js";
import type { Rows } from "./tables.js";

type Currency = z.infer<typeof currencySchema>;

/** Cut-offs at most this many days before as_of count as recent for `stageTotals`. */
const RECENT_DAYS = 30;

/** One account's overdue figures in one currency as of a day. */
export type OverdueAccount = Pick<Rows["billing_open_by_account"], "account_id"> & {
  currency: Currency;
  overdue_minor: number;
  overdue_invoices: number;
  oldest_days_overdue: number;
};

/** Per stage and currency: accounts and what they have overdue. */
export interface StageTotal {
  stage: DunningStage;
  currency: Currency;
  accounts: number;
  overdue_minor: number;
}

// Per account: its overdue invoices (a range of the open-invoice partial index), its stage.
const perAccount = (sql: SqlFragments, accounts: string) =>
  `SELECT account_id, currency, SUM(${OPEN_AMOUNT_SQL}) AS overdue_minor, COUNT(*) AS overdue_invoices,
    ${oldestDaysPastDueSql(sql)} AS oldest_days_overdue
  FROM billing_invoices WHERE ${OPEN_SQL} AND due_on <= ?${accounts} GROUP BY account_id, currency`;

/**
 * Every account with overdue invoices as of `asOf` (due on or before `dueBy`) owing at least
 * `minUsd`, largest in USD first. Which accounts owe that much as of the day is known only per
 * account, so this reads every account's cells due by then (`billing_open_cells`, one row per
 * account, currency and due date, grouped in key order: no sort for the grouping), still one
 * pass over the overdue slice.
 */
export async function allOverdueAccounts(
  store: ReadStore,
  asOf: string,
  dueBy: string,
  minUsd: number,
): Promise<OverdueAccount[]> {
  const sql = sqlFor(store.dialect);
  return store.all<OverdueAccount>(
    `SELECT account_id, currency, overdue_minor, overdue_invoices, oldest_days_overdue FROM (
       SELECT account_id, currency, SUM(open_minor) AS overdue_minor, SUM(invoices) AS overdue_invoices,
         ${oldestDaysPastDueSql(sql)} AS oldest_days_overdue
       FROM ${OPEN_CELLS_TABLE} WHERE due_on <= ? GROUP BY account_id, currency) overdue
     WHERE ${usdSql("overdue_minor")} >= ? ORDER BY ${usdSql("overdue_minor")} DESC, account_id`,
    [asOf, dueBy, minUsd],
  );
}

/**
 * Accounts and overdue amounts per stage and currency as of `asOf`, from the rollups: accounts
 * from the histogram of oldest open due dates, amounts from the open invoices per oldest and due
 * date, both cut at `dueBy` and staged by the oldest date (one row per day pair, not per invoice).
 */
export async function stageTotals(store: ReadStore, asOf: string, dueBy: string): Promise<StageTotal[]> {
  const edges = stageEdges(asOf);
  const stage = stageSql("oldest_due_on");
  // A recent cut-off leaves little not yet due: subtract that part from the accounts' whole open
  // amounts. An older one leaves little due by then: add that part up directly.
  const recent = dueBy >= addDays(asOf, -RECENT_DAYS);
  const amounts = await store.all<Omit<StageTotal, "accounts">>(
    recent
      ? `SELECT stage, currency, SUM(amount) AS overdue_minor FROM (
           SELECT ${stage} AS stage, currency, open_minor AS amount FROM ${OPEN_OLDEST_TOTALS_TABLE} WHERE oldest_due_on <= ?
           UNION ALL SELECT ${stage} AS stage, currency, -open_minor AS amount FROM ${OPEN_BY_OLDEST_TABLE}
             WHERE due_on > ? AND oldest_due_on <= ?) parts GROUP BY stage, currency`
      : `SELECT ${stage} AS stage, currency, SUM(open_minor) AS overdue_minor FROM ${OPEN_BY_OLDEST_TABLE}
         WHERE due_on <= ? GROUP BY 1, currency`,
    recent ? [...edges, dueBy, ...edges, dueBy, dueBy] : [...edges, dueBy],
  );
  const accounts = await store.all<Omit<StageTotal, "overdue_minor">>(
    `SELECT ${stageSql("oldest_due_on")} AS stage, currency, SUM(accounts) AS accounts FROM ${OLDEST_COUNTS_TABLE}
     WHERE currency <> '*' AND oldest_due_on <= ? GROUP BY 1, currency`,
    [...edges, dueBy],
  );
  return accounts.map((a) => ({
    ...a,
    overdue_minor: amounts.find((m) => m.stage === a.stage && m.currency === a.currency)?.overdue_minor ?? 0,
  }));
}

/**
 * Accounts `offset` to `offset + count` in the order of their overdue amount in USD (largest
 * first, then account id), keeping only `stage` when given. Walks the open balances largest
 * first: an account's overdue amount is at most its open balance, so once `offset + count`
 * accounts owe more than the next balance, no later account can enter the page. Only the
 * accounts walked read their invoices.
 */
export async function overdueAccountsPage(
  store: ReadStore,
  asOf: string,
  dueBy: string,
  stage: DunningStage | undefined,
  offset: number,
  count: number,
): Promise<OverdueAccount[]> {
  const sql = sqlFor(store.dialect);
  const found = new Map<string, OverdueAccount & { usd: number }>();
  const key = (r: { account_id: string; currency: string }) => `${r.account_id}\u0000${r.currency}`;
  const byUsd = (a: { usd: number }, b: { usd: number }) => b.usd - a.usd;
  const figuresOf = (ids: string[], order: string) =>
    store.all<OverdueAccount & { usd: number }>(
      `SELECT account_id, currency, overdue_minor, overdue_invoices, oldest_days_overdue, ${usdSql("overdue_minor")} AS usd
       FROM (${perAccount(sql, ` AND account_id IN (${ids.map(() => "?").join(", ")})`)}) overdue${order}`,
      [asOf, dueBy, ...ids],
    );
  const need = offset + count;
  let walked = 0;
  let ranked: Array<OverdueAccount & { usd: number }> = [];
  for (let batch = Math.max(16, 2 * need); ; batch = Math.min(batch * 4, 4096)) {
    const balances = await store.all<
      Pick<Rows["billing_open_by_account"], "account_id"> & { open_usd: number }
    >(
      `SELECT account_id, ${OPEN_USD_SQL} AS open_usd FROM ${ACCOUNT_ROLLUP_TABLE}
       ORDER BY ${OPEN_USD_SQL} DESC, account_id LIMIT ? OFFSET ?`,
      [batch, walked],
    );
    walked += balances.length;
    const ids = [...new Set(balances.map((b) => b.account_id))];
    if (ids.length > 0) {
      for (const f of await figuresOf(ids, "")) {
        if (stage === undefined || dunningStage(f.oldest_days_overdue) === stage) found.set(key(f), f);
      }
    }
    ranked = [...found.values()].sort(byUsd);
    const bound = balances.at(-1)?.open_usd;
    if (bound === undefined || balances.length < batch) break;
    // Every account not walked yet owes at most `bound`: stop once the page's last owes more (a
    // margin for rounding in the USD figures, so no later account can tie with it).
    const last = ranked[need - 1];
    if (last !== undefined && last.usd > bound * (1 + 1e-9) + 1e-6) break;
  }
  // The page's order is the database's (USD figure, then account id in its collation), over the
  // accounts that may be in it: everything down to the last one's amount, ties included.
  const last = ranked[need - 1];
  const near = last === undefined ? ranked : ranked.filter((r) => r.usd >= last.usd * (1 - 1e-9) - 1e-6);
  if (near.length === 0) return [];
  const keep = new Set(near.map(key));
  const ordered = await figuresOf(
    [...new Set(near.map((r) => r.account_id))],
    ` ORDER BY ${usdSql("overdue_minor")} DESC, account_id`,
  );
  return ordered
    .filter((r) => keep.has(key(r)))
    .slice(offset, need)
    .map(({ usd: _usd, ...row }) => row);
}
