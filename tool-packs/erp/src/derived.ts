import type { Statement } from "@toolpacks/pack-kit";
import { RATES_PER_USD, REPORTING_CURRENCY } from "@toolpacks/world";

/** SQL: `amount` (minor units in `currency`) in USD minor units at the fixed rates, rounded like `toReportingMinor`. */
function usdSql(amount: string, currency: string): string {
  const cases = Object.entries(RATES_PER_USD)
    .filter(([code]) => code !== REPORTING_CURRENCY)
    .map(([code, rate]) => `WHEN '${code}' THEN CAST(ROUND(${amount} / ${rate}) AS INTEGER)`)
    .join(" ");
  return `(CASE ${currency} ${cases} ELSE ${amount} END)`;
}

/**
 * What the ERP derives from imported rows, recomputed after every import in its transaction: the
 * cost of imported order lines (quantity x the item's unit cost in USD) and of their orders, from
 * the items in the store, so orders imported before or apart from their products still get the
 * products' costs (a line whose item is unknown costs 0).
 */
export function erpAfterImport(): Statement[] {
  return [
    {
      sql: `UPDATE erp_sales_order_lines SET cost_usd_minor = quantity * COALESCE((SELECT ${usdSql("i.unit_cost_minor", "i.currency")}
        FROM erp_items i WHERE i.sku = erp_sales_order_lines.sku), 0) WHERE source_id IS NOT NULL`,
    },
    {
      sql: `UPDATE erp_sales_orders SET cost_usd_minor = (SELECT COALESCE(SUM(l.cost_usd_minor), 0)
        FROM erp_sales_order_lines l WHERE l.order_id = erp_sales_orders.id) WHERE source_id IS NOT NULL`,
    },
  ];
}
