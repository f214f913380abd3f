import { type ReadStore, ToolError } from "@toolpacks/pack-kit";
import type { LineInput } from "./schemas.js";
import { placeholders } from "./schemas.js";
import type { Rows } from "./tables.js";

/** Stock of one SKU at one location; available = on_hand - reserved. */
export type StockRow = Pick<Rows["wh_stock"], "sku" | "location_id" | "on_hand" | "reserved"> & {
  /** on_hand - reserved, computed by the query. */
  available: number;
};

/** Loads the stock rows of `skus` at every location, by location id. */
export async function loadStock(store: ReadStore, skus: readonly string[]): Promise<StockRow[]> {
  if (skus.length === 0) return [];
  return store.all<StockRow>(
    `SELECT sku, location_id, on_hand, reserved, on_hand - reserved AS available FROM wh_stock
     WHERE sku IN (${placeholders(skus)}) ORDER BY sku, location_id`,
    skus,
  );
}

/** Throws ToolError when a SKU repeats or has no stock row anywhere (an unknown item). */
export function checkLines(lines: readonly LineInput[], stock: readonly StockRow[]): void {
  const skus = lines.map((l) => l.sku);
  const repeated = skus.find((sku, i) => skus.indexOf(sku) !== i);
  if (repeated) {
    throw new ToolError("duplicate_sku", `SKU ${repeated} appears on more than one line.`, {
      fix: "merge the lines of the same SKU into one line with the summed quantity.",
    });
  }
  const known = new Set(stock.map((s) => s.sku));
  const unknown = skus.filter((sku) => !known.has(sku));
  if (unknown.length > 0) {
    throw new ToolError("unknown_sku", `The warehouse stocks no item with SKU ${unknown.join(", ")}.`, {
      fix: "check the SKUs against the order's lines (they look like SKU-00042); remove lines for non-stock items.",
    });
  }
}

/** Checks a location exists or throws ToolError `not_found` listing the valid ids. */
export async function requireLocation(store: ReadStore, locationId: string): Promise<void> {
  const rows = await store.all<{ id: string }>("SELECT id FROM wh_locations ORDER BY id");
  if (!rows.some((r) => r.id === locationId)) {
    throw new ToolError("not_found", `No warehouse location has id "${locationId}".`, {
      fix: `use one of ${rows.map((r) => r.id).join(", ")}.`,
    });
  }
}
