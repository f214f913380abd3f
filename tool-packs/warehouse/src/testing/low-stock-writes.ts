import { AS_OF_KEY, type Statement } from "@toolpacks/pack-kit";
import fc from "fast-check";
import { locationId, skuId, type ValuationOp, valuationOp, valuationWrite } from "./valuation-writes.js";

/**
 * Every write low_stock's kept figures depend on: stock rows (the valuation writes, plus reorder
 * points and SKU changes), movements (issues and receipts, inserted, edited, deleted, dated on
 * either side of every window start), and the as-of date (the world's in `_meta`, imported and
 * seeded provenance, valid or not, set or removed).
 */
export type LowStockOp =
  | ValuationOp
  | { kind: "reorder"; sku: number; location: number; reorderPoint: number }
  | { kind: "resku"; sku: number; location: number; to: number }
  | {
      kind: "movement";
      id: number;
      sku: number;
      location: number;
      issue: boolean;
      units: number;
      day: number;
    }
  | { kind: "editMovement"; id: number; sku: number; issue: boolean; units: number; day: number }
  | { kind: "dropMovement"; id: number }
  | { kind: "worldAsOf"; date: string }
  | { kind: "noWorldAsOf" }
  | { kind: "provenance"; system: string; date: string }
  | { kind: "dropProvenance"; system: string };

/** As-of dates: real ones months apart, one with a time, and text no date function reads. */
export const AS_OF_DATES = [
  "2026-06-30",
  "2026-07-15",
  "2026-03-01",
  "2026-06-30T18:00:00Z",
  "soon",
] as const;
const date = fc.constantFrom(...AS_OF_DATES);
const system = fc.constantFrom("world", "shopify", "netsuite");
const sku = fc.nat(2);
const location = fc.nat(2);

/** A movement's timestamp: `day` days after 2026-01-01, as a date or a date and time. */
export function movementTime(day: number): string {
  const d = new Date(Date.UTC(2026, 0, 1) + Math.floor(day / 2) * 86_400_000).toISOString().slice(0, 10);
  return day % 2 === 0 ? d : `${d}T09:30:00Z`;
}
const day = fc.nat(420);

export const lowStockOp: fc.Arbitrary<LowStockOp> = fc.oneof(
  { weight: 4, arbitrary: valuationOp },
  // More stock rows than the valuation writes alone give, so most movements and window moves
  // meet a row they count for.
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("stock" as const),
      sku,
      location,
      onHand: fc.nat(30),
      reserved: fc.nat(10),
    }),
  },
  fc.record({ kind: fc.constant("reorder" as const), sku, location, reorderPoint: fc.nat(60) }),
  fc.record({ kind: fc.constant("resku" as const), sku, location, to: sku }),
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("movement" as const),
      id: fc.nat(59),
      sku,
      location,
      issue: fc.boolean(),
      units: fc.integer({ min: 1, max: 40 }),
      day,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("editMovement" as const),
      id: fc.nat(59),
      sku,
      issue: fc.boolean(),
      units: fc.integer({ min: 1, max: 40 }),
      day,
    }),
  },
  fc.record({ kind: fc.constant("dropMovement" as const), id: fc.nat(59) }),
  fc.record({ kind: fc.constant("worldAsOf" as const), date }),
  fc.record({ kind: fc.constant("noWorldAsOf" as const) }),
  fc.record({ kind: fc.constant("provenance" as const), system, date }),
  fc.record({ kind: fc.constant("dropProvenance" as const), system }),
);

/** The statements of one operation (items SKU-0..2 and locations WH-0..2 may or may not exist). */
export function lowStockWrite(o: LowStockOp): Statement[] {
  switch (o.kind) {
    case "reorder":
      return [
        {
          sql: "UPDATE wh_stock SET reorder_point = ? WHERE sku = ? AND location_id = ?",
          params: [o.reorderPoint, skuId(o.sku), locationId(o.location)],
        },
      ];
    case "resku":
      return [
        {
          sql: `UPDATE wh_stock SET sku = ? WHERE sku = ? AND location_id = ?
                AND EXISTS (SELECT 1 FROM wh_items WHERE sku = ?)
                AND NOT EXISTS (SELECT 1 FROM wh_stock x WHERE x.sku = ? AND x.location_id = ?)`,
          params: [
            skuId(o.to),
            skuId(o.sku),
            locationId(o.location),
            skuId(o.to),
            skuId(o.to),
            locationId(o.location),
          ],
        },
      ];
    case "movement":
      return [
        {
          sql: `INSERT INTO wh_movements (id, sku, location_id, kind, quantity, occurred_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO NOTHING`,
          params: [
            `M-${o.id}`,
            skuId(o.sku),
            locationId(o.location),
            o.issue ? "issue" : "receipt",
            o.issue ? -o.units : o.units,
            movementTime(o.day),
          ],
        },
      ];
    case "editMovement":
      return [
        {
          sql: "UPDATE wh_movements SET sku = ?, kind = ?, quantity = ?, occurred_at = ? WHERE id = ?",
          params: [
            skuId(o.sku),
            o.issue ? "issue" : "receipt",
            o.issue ? -o.units : o.units,
            movementTime(o.day),
            `M-${o.id}`,
          ],
        },
      ];
    case "dropMovement":
      return [{ sql: "DELETE FROM wh_movements WHERE id = ?", params: [`M-${o.id}`] }];
    case "worldAsOf":
      return [
        {
          sql: "INSERT INTO _meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
          params: [AS_OF_KEY, o.date],
        },
      ];
    case "noWorldAsOf":
      return [{ sql: "DELETE FROM _meta WHERE key = ?", params: [AS_OF_KEY] }];
    case "provenance":
      return [
        {
          sql: `INSERT INTO _provenance (table_name, source_system, pack, source_id, last_import_at, as_of, rows)
                VALUES ('wh_stock', ?, 'warehouse', 'test', '2026-07-01T00:00:00Z', ?, 1)
                ON CONFLICT (table_name, source_system) DO UPDATE SET as_of = excluded.as_of`,
          params: [o.system, o.date],
        },
      ];
    case "dropProvenance":
      return [
        {
          sql: "DELETE FROM _provenance WHERE table_name = 'wh_stock' AND source_system = ?",
          params: [o.system],
        },
      ];
    default:
      return valuationWrite(o);
  }
}
