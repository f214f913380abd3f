/** Days of usage a suggested order should cover on top of the reorder point. */
export const COVER_DAYS = 30;
/** Window over which daily usage is measured: the as-of date and the 89 days before it. */
export const USAGE_DAYS = 90;

/**
 * Suggested order: enough to reach the reorder point plus 30 days of usage (units issued in the
 * last 90 days x 30 / 90), rounded up to tens, at least 10. Integer arithmetic, so the SQL of
 * suggestedSql and this function agree to the unit.
 */
export function suggestedQuantity(available: number, reorderPoint: number, issuedInWindow: number): number {
  const cover = Math.floor((issuedInWindow * COVER_DAYS + USAGE_DAYS - 1) / USAGE_DAYS);
  const missing = reorderPoint + cover - available;
  return Math.max(10, Math.floor((missing + 9) / 10) * 10);
}

/** The larger of two SQL expressions, the same text on SQLite and Postgres. */
const greaterOf = (a: string, b: string) => `CASE WHEN ${a} > ${b} THEN ${a} ELSE ${b} END`;

/**
 * suggestedQuantity in SQL for stock row `s` (an alias, or a trigger's NEW / OLD) given the units
 * issued in the window (`issued`, a BIGINT expression): integer division in both dialects. The
 * low_stock tool passes its dialect's GREATEST so a correlated `issued` is evaluated once; the
 * rollup kept by triggers passes nothing, as its text must read the same on both dialects.
 */
export function suggestedSql(s: string, issued: string, greatest = greaterOf): string {
  return greatest(
    "10",
    `((${s}.reorder_point + (${issued} * ${COVER_DAYS} + ${USAGE_DAYS - 1}) / ${USAGE_DAYS}
  - (${s}.on_hand - ${s}.reserved) + 9) / 10) * 10`,
  );
}

/**
 * A stock row below its reorder point, written exactly as the partial index wh_stock_below's
 * predicate (migrations.ts) so every query of low_stock reads only that index.
 */
export const BELOW_REORDER_POINT = "on_hand - reserved - reorder_point < 0";

/**
 * How far a stock row is below its reorder point: low_stock's order, worst first. Written exactly
 * as the rank indexes' first expression (migrations.ts) so a page reads the first rows of one.
 */
export const ALERT_ORDER = "(on_hand - reserved) - reorder_point";

/** A stock row with nothing available. */
export const OUT_OF_STOCK = "on_hand - reserved <= 0";

/** `sql` over a stock row's columns, with each column qualified by `s` (an alias, NEW or OLD). */
export const qualified = (sql: string, s: string) =>
  sql.replace(/\b(on_hand|reserved|reorder_point|location_id)\b/g, `${s}.$1`);
