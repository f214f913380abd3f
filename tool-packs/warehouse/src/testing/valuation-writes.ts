import { migratePack, type Statement, type Store } from "@toolpacks/pack-kit";
import { openTestStore } from "@toolpacks/pack-kit/testing";
import fc from "fast-check";
import { pack } from "../pack.js";

/**
 * The row operations every write path (the write tools, seeding, import, sync, removals) ends in
 * on wh_items and wh_stock, the two tables the valuation rollups are kept from. Each is written
 * so the schema accepts it whatever the store holds (a stock row only for a known item, an item
 * removed only when nothing is stocked, a move only to a free location), so a property test can
 * run any sequence of them.
 */
export type ValuationOp =
  | { kind: "item"; sku: number; category: string; cost: number }
  | { kind: "cost"; sku: number; cost: number }
  | { kind: "category"; sku: number; category: string }
  | { kind: "dropItem"; sku: number }
  | { kind: "stock"; sku: number; location: number; onHand: number; reserved: number }
  | { kind: "count"; sku: number; location: number; onHand: number; reserved: number }
  | { kind: "move"; sku: number; location: number; to: number }
  | { kind: "dropStock"; sku: number; location: number };

const sku = fc.nat(2);
const location = fc.nat(2);
const quantity = fc.nat(50);
const categories = fc.constantFrom("Pumps", "Valves", "Seals");
const cost = fc.integer({ min: 0, max: 90_000 });

/** Any one valuation write. */
export const valuationOp: fc.Arbitrary<ValuationOp> = fc.oneof(
  fc.record({ kind: fc.constant("item" as const), sku, category: categories, cost }),
  fc.record({ kind: fc.constant("cost" as const), sku, cost }),
  fc.record({ kind: fc.constant("category" as const), sku, category: categories }),
  fc.record({ kind: fc.constant("dropItem" as const), sku }),
  fc.record({ kind: fc.constant("stock" as const), sku, location, onHand: quantity, reserved: quantity }),
  fc.record({ kind: fc.constant("count" as const), sku, location, onHand: quantity, reserved: quantity }),
  fc.record({ kind: fc.constant("move" as const), sku, location, to: location }),
  fc.record({ kind: fc.constant("dropStock" as const), sku, location }),
);

/** The SKU and location ids the operations name. */
export const skuId = (n: number) => `SKU-${n}`;
export const locationId = (n: number) => `WH-${n}`;

/** A migrated test store (SQLite or Postgres by vitest project) holding locations WH-0 to WH-2. */
export async function openStoreWithLocations(): Promise<Store> {
  const store = await openTestStore();
  await migratePack(store, pack);
  for (const n of [0, 1, 2]) {
    await store.run("INSERT INTO wh_locations (id, name, city, country) VALUES (?, ?, 'Lyon', 'FR')", [
      locationId(n),
      `Site ${n}`,
    ]);
  }
  return store;
}

/** The statements of one operation (locations WH-0 to WH-2 must exist). */
export function valuationWrite(o: ValuationOp): Statement[] {
  const [s, l] = [skuId(o.sku), "location" in o ? locationId(o.location) : ""];
  switch (o.kind) {
    case "item":
      return [
        {
          sql: `INSERT INTO wh_items (sku, name, category, unit_cost_minor, currency) VALUES (?, ?, ?, ?, 'USD')
                ON CONFLICT (sku) DO NOTHING`,
          params: [s, `Item ${o.sku}`, o.category, o.cost],
        },
      ];
    case "cost":
      return [{ sql: "UPDATE wh_items SET unit_cost_minor = ? WHERE sku = ?", params: [o.cost, s] }];
    case "category":
      return [{ sql: "UPDATE wh_items SET category = ? WHERE sku = ?", params: [o.category, s] }];
    case "dropItem":
      return [
        {
          sql: "DELETE FROM wh_items WHERE sku = ? AND NOT EXISTS (SELECT 1 FROM wh_stock WHERE sku = ?)",
          params: [s, s],
        },
      ];
    case "stock":
      return [
        {
          sql: `INSERT INTO wh_stock (sku, location_id, on_hand, reserved, reorder_point)
                SELECT ?, ?, ?, ?, 5 WHERE EXISTS (SELECT 1 FROM wh_items WHERE sku = ?)
                ON CONFLICT (sku, location_id) DO NOTHING`,
          params: [s, l, o.onHand, Math.min(o.reserved, o.onHand), s],
        },
      ];
    case "count":
      return [
        {
          sql: "UPDATE wh_stock SET on_hand = ?, reserved = ? WHERE sku = ? AND location_id = ?",
          params: [o.onHand, Math.min(o.reserved, o.onHand), s, l],
        },
      ];
    case "move":
      return [
        {
          sql: `UPDATE wh_stock SET location_id = ? WHERE sku = ? AND location_id = ?
                AND NOT EXISTS (SELECT 1 FROM wh_stock x WHERE x.sku = ? AND x.location_id = ?)`,
          params: [locationId(o.to), s, l, s, locationId(o.to)],
        },
      ];
    case "dropStock":
      return [{ sql: "DELETE FROM wh_stock WHERE sku = ? AND location_id = ?", params: [s, l] }];
  }
}
