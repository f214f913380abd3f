import { addDays, type ReadStore, type SqlValue } from "@toolpacks/pack-kit";
import { placeholders } from "./schemas.js";
import type { Rows } from "./tables.js";

/** One SKU of the ranking: its units out, in and net over the window. */
export type RankedSku = Pick<Rows["wh_movement_months"], "sku" | "units_out" | "units_in" | "net">;

/** A window of whole days and an optional location, as movement_summary asks. */
export interface RankingWindow {
  from: string;
  to: string;
  location_id?: string | undefined;
}

/** Rows of each month's list read first; doubled while the lists cannot prove the page. */
const FIRST_READ = 50;
/** Past this many rows per month list, ranking from the window's movements is cheaper. */
const LAST_READ = 800;

const nextMonth = (month: string) => addDays(`${month}-01`, 40).slice(0, 7);
const lastDayOf = (month: string) => addDays(`${nextMonth(month)}-01`, -1);
const monthsOf = (from: string, to: string): string[] => {
  const months = [from.slice(0, 7)];
  while (months[months.length - 1]! < to.slice(0, 7)) months.push(nextMonth(months[months.length - 1]!));
  return months;
};

/**
 * The SKUs ranked `offset` to `offset + count - 1` by units out over the window (then by SKU),
 * exactly as grouping the window's movements ranks them, or undefined when this cannot be proved
 * cheaply (a page reaching SKUs with nothing issued, or totals too even to bound): the caller
 * then groups the movements.
 *
 * How: each month of the window keeps its SKUs in order of units out (wh_movement_months). Reading
 * the first rows of each bounds every SKU's window total from above (what it shows in each month,
 * or the last row read where it does not show) and from below (its whole months inside the
 * window). Only SKUs whose upper bound reaches the `offset + count`-th lower bound can make the
 * page; they alone are counted exactly (whole months from the rollup, the window's ragged days
 * from their movements). The page stands when its last SKU issued strictly more than any SKU not
 * counted could have.
 */
export async function rankIssued(
  store: ReadStore,
  window: RankingWindow,
  offset: number,
  count: number,
  firstRead?: number,
): Promise<RankedSku[] | undefined> {
  const need = offset + count;
  const { from, to, location_id } = window;
  const table = location_id ? "wh_movement_location_months" : "wh_movement_months";
  const at = location_id ? " AND location_id = ?" : "";
  const atParams: SqlValue[] = location_id ? [location_id] : [];
  const months = monthsOf(from, to);
  const whole = months.filter((m) => `${m}-01` >= from && lastDayOf(m) <= to);
  for (let read = firstRead ?? Math.max(FIRST_READ, 2 * need); read <= LAST_READ; read *= 2) {
    const lists: Array<{ month: string; shown: Map<string, number>; bound: number }> = [];
    for (const month of months) {
      const rows = await store.all<Pick<RankedSku, "sku" | "units_out">>(
        `SELECT sku, units_out FROM ${table} WHERE month = ?${at} ORDER BY units_out DESC, sku LIMIT ?`,
        [month, ...atParams, read],
      );
      // A SKU missing from a list that stopped early issued at most its last row that month.
      const bound = rows.length < read ? 0 : rows[rows.length - 1]!.units_out;
      lists.push({ month, shown: new Map(rows.map((r) => [r.sku, r.units_out])), bound });
    }
    const seen = [...new Set(lists.flatMap((l) => [...l.shown.keys()]))];
    const upper = (sku: string) => lists.reduce((n, l) => n + (l.shown.get(sku) ?? l.bound), 0);
    const lower = (sku: string) =>
      lists.reduce((n, l) => n + (whole.includes(l.month) ? (l.shown.get(sku) ?? 0) : 0), 0);
    const unseen = lists.reduce((n, l) => n + l.bound, 0);
    const lowers = seen.map(lower).sort((a, b) => b - a);
    const threshold = lowers.length >= need ? lowers[need - 1]! : 0;
    const candidates = seen.filter((sku) => upper(sku) >= threshold);
    const exact = await countExactly(store, window, whole, candidates);
    const page = exact.slice(0, need);
    const last = page[need - 1];
    if (!last || last.units_out === 0) return undefined;
    if (last.units_out > unseen) return page.slice(offset);
  }
  return undefined;
}

/**
 * The window totals of `skus`, ranked as the movements' grouping ranks them (the store orders the
 * SKUs, in its own collation): their whole months from the rollup, the ragged days from movements.
 */
async function countExactly(
  store: ReadStore,
  window: RankingWindow,
  whole: readonly string[],
  skus: readonly string[],
): Promise<RankedSku[]> {
  if (skus.length === 0) return [];
  const { from, to, location_id } = window;
  const at = location_id ? " AND location_id = ?" : "";
  const atParams: SqlValue[] = location_id ? [location_id] : [];
  const parts: string[] = [];
  const params: SqlValue[] = [];
  if (whole.length > 0) {
    parts.push(
      `SELECT sku, units_out, units_in, net FROM ${location_id ? "wh_movement_location_months" : "wh_movement_months"}
       WHERE month IN (${placeholders(whole)})${at} AND sku IN (${placeholders(skus)})`,
    );
    params.push(...whole, ...atParams, ...skus);
  }
  // The days outside the whole months: before the first one and after the last one.
  const ragged =
    whole.length === 0
      ? [[from, addDays(to, 1)]]
      : [
          [from, `${whole[0]}-01`],
          [`${nextMonth(whole[whole.length - 1]!)}-01`, addDays(to, 1)],
        ];
  for (const [start, end] of ragged) {
    if (start! >= end!) continue;
    parts.push(
      `SELECT sku, CASE WHEN quantity < 0 THEN -quantity ELSE 0 END AS units_out,
         CASE WHEN quantity > 0 THEN quantity ELSE 0 END AS units_in, quantity AS net
       FROM wh_movements WHERE sku IN (${placeholders(skus)}) AND occurred_at >= ? AND occurred_at < ?${at}`,
    );
    params.push(...skus, start!, end!, ...atParams);
  }
  return store.all<RankedSku>(
    `SELECT sku, SUM(units_out) AS units_out, SUM(units_in) AS units_in, SUM(net) AS net
     FROM (${parts.join(" UNION ALL ")}) w GROUP BY sku ORDER BY units_out DESC, sku`,
    params,
  );
}
