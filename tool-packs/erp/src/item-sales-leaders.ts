import type { ReadStore, SqlValue } from "@toolpacks/pack-kit";
import { type Currency, RATES_PER_USD } from "@toolpacks/world";
import { FIGURES, REVENUE_COLUMNS } from "./item-month-sales.js";
import type { Rows } from "./tables.js";

/** A SKU's sales in a period: the rollups' figures, summed over its months and ragged days. */
export type SkuSalesRow = Pick<
  Rows["erp_item_months"],
  "sku" | "units" | "cost_usd_minor" | "usd_revenue_minor" | "eur_revenue_minor" | "gbp_revenue_minor"
>;

/** The same figures over every SKU sold, and how many SKUs that is. */
export type SalesTotalsRow = Omit<SkuSalesRow, "sku"> & { items_sold: number };

const CURRENCIES = Object.keys(REVENUE_COLUMNS) as Currency[];

// A SKU's USD revenue before rounding: each currency's native total over its rate. The answer
// rounds each currency's total once, which moves a SKU's figure by at most 0.5 per currency, so
// two SKUs can swap places only when their unrounded figures lie within CURRENCIES.length.
// Floating point: Postgres' exact numeric division cost 5 ms per call at 10^7 rows, and a
// double's error on these sums is far below the slack.
const UNROUNDED_REVENUE = CURRENCIES.map((c) =>
  RATES_PER_USD[c] === 1
    ? REVENUE_COLUMNS[c]
    : `CAST(${REVENUE_COLUMNS[c]} AS DOUBLE PRECISION) / ${RATES_PER_USD[c]}`,
).join(" + ");
const SLACK = CURRENCIES.length + 0.01;

/** What the rankings by USD amount order by, unrounded. */
export const UNROUNDED = {
  margin_usd_desc: `${UNROUNDED_REVENUE} - cost_usd_minor`,
  revenue_usd_desc: UNROUNDED_REVENUE,
} as const;

/**
 * The SKUs that can be among the first `count` of `sales` (a row per SKU) ranked by `order`
 * descending, and the totals over all of them: instead of every SKU sold (thousands of rows at
 * 10^7), the ones whose unrounded figure reaches the `count`-th one's less the rounding slack.
 * The caller ranks these by the exact figures; the first `count` are the same as over all SKUs.
 */
export async function leadingSales(
  store: ReadStore,
  sales: { sql: string; params: SqlValue[] },
  order: keyof typeof UNROUNDED,
  count: number,
): Promise<{ rows: SkuSalesRow[]; totals: SalesTotalsRow }> {
  const from = `FROM (${sales.sql}) sold`;
  const cut = await store.first<{ unrounded: number }>(
    `SELECT ${UNROUNDED[order]} AS unrounded ${from} ORDER BY unrounded DESC LIMIT 1 OFFSET ?`,
    [...sales.params, count - 1],
  );
  const rows = await store.all<SkuSalesRow>(
    `SELECT sku, ${FIGURES.join(", ")} ${from}${cut ? ` WHERE ${UNROUNDED[order]} >= ?` : ""}`,
    cut ? [...sales.params, Number(cut.unrounded) - SLACK] : sales.params,
  );
  const totals = await store.first<SalesTotalsRow>(
    `SELECT COUNT(*) AS items_sold, ${FIGURES.map((f) => `COALESCE(SUM(${f}), 0) AS ${f}`).join(", ")} ${from}`,
    sales.params,
  );
  return { rows, totals: totals! };
}
