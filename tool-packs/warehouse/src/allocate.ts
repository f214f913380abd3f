import type { LineInput } from "./schemas.js";
import type { StockRow } from "./stock.js";

/** Units of one SKU taken from one location. */
export interface Allocation {
  sku: string;
  location_id: string;
  quantity: number;
}

/**
 * A line that cannot be served in full, and where the most of it is: the location with the most
 * available, else (nothing available anywhere) the first location that stocks the SKU, where a
 * purchase would restock it; null only when no location stocks it at all.
 */
export interface Shortage {
  sku: string;
  requested: number;
  available: number;
  short_by: number;
  best_location_id: string | null;
  best_location_available: number;
}

/** The outcome of planning a reservation: allocations for every line, or the shortages. */
export type AllocationPlan =
  | { ok: true; single_location: string | null; allocations: Allocation[] }
  | { ok: false; reason: "short" | "no_single_location"; shortages: Shortage[] };

/** Locations that can serve every line on their own, most total availability first. */
export function locationsServingAll(lines: readonly LineInput[], stock: readonly StockRow[]): string[] {
  const locations = [...new Set(stock.map((s) => s.location_id))];
  const at = (sku: string, location: string) =>
    stock.find((s) => s.sku === sku && s.location_id === location)?.available ?? 0;
  const total = (location: string) => lines.reduce((sum, l) => sum + at(l.sku, location), 0);
  return locations
    .filter((location) => lines.every((l) => at(l.sku, location) >= l.quantity))
    .sort((a, b) => total(b) - total(a) || a.localeCompare(b));
}

/**
 * Plans a reservation, all lines or none: the single location that serves the whole order when
 * there is one (`only` forces one), else, when `split` is allowed, each line from the locations
 * with the most available first. Any line that cannot be served in full makes the plan a list
 * of shortages instead.
 */
export function planAllocation(
  lines: readonly LineInput[],
  stock: readonly StockRow[],
  options: { only?: string | undefined; split: boolean },
): AllocationPlan {
  const usable = options.only ? stock.filter((s) => s.location_id === options.only) : stock;
  const single = locationsServingAll(lines, usable)[0];
  if (single) {
    return {
      ok: true,
      single_location: single,
      allocations: lines.map((l) => ({ sku: l.sku, location_id: single, quantity: l.quantity })),
    };
  }
  const shortages: Shortage[] = [];
  const allocations: Allocation[] = [];
  for (const line of lines) {
    const rows = usable
      .filter((s) => s.sku === line.sku && s.available > 0)
      .sort((a, b) => b.available - a.available || a.location_id.localeCompare(b.location_id));
    const available = rows.reduce((sum, r) => sum + r.available, 0);
    const best =
      rows[0] ??
      usable
        .filter((s) => s.sku === line.sku)
        .sort((a, b) => a.location_id.localeCompare(b.location_id))
        .map((s) => ({ ...s, available: 0 }))[0];
    const reachable = options.split ? available : (best?.available ?? 0);
    if (reachable < line.quantity) {
      shortages.push({
        sku: line.sku,
        requested: line.quantity,
        available: reachable,
        short_by: line.quantity - reachable,
        best_location_id: best?.location_id ?? null,
        best_location_available: best?.available ?? 0,
      });
      continue;
    }
    let left = line.quantity;
    for (const row of rows) {
      if (left === 0) break;
      const take = Math.min(left, row.available);
      allocations.push({ sku: line.sku, location_id: row.location_id, quantity: take });
      left -= take;
    }
  }
  if (shortages.length > 0) return { ok: false, reason: "short", shortages };
  // Without splitting, every line fits at some location but no one location fits them all.
  if (!options.split) return { ok: false, reason: "no_single_location", shortages: [] };
  return { ok: true, single_location: null, allocations };
}
