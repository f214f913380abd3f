import { insertRows, type Store, setAsOf } from "@toolpacks/pack-kit";
import { createWorld } from "@toolpacks/world";

/**
 * Fills an empty, migrated store with the warehouse slice of the shared world for
 * `(scale, seed)` and records its as-of date. Item names and standard costs come from the
 * shared product master (the world's warehouse view has stock but no item costs), so the
 * valuation agrees with the ERP's item costs.
 */
export async function seedWarehouse(store: Store, options: { scale: number; seed: number }): Promise<void> {
  const world = createWorld({ scale: options.scale, seed: options.seed });
  const { warehouse } = world;
  await insertRows(store, "wh_locations", ["id", "name", "city", "country"], warehouse.locations());
  await insertRows(
    store,
    "wh_items",
    ["sku", "name", "category", "unit_cost_minor", "currency"],
    world.products().map((p) => ({ ...p, currency: "USD" })),
  );
  await insertRows(
    store,
    "wh_stock",
    ["sku", "location_id", "on_hand", "reserved", "reorder_point"],
    warehouse.stock(),
  );
  await insertRows(
    store,
    "wh_movements",
    ["id", "sku", "location_id", "kind", "quantity", "occurred_at", "reference"],
    warehouse.movements(),
  );
  await insertRows(
    store,
    "wh_shipments",
    ["id", "sales_order_id", "customer_id", "location_id", "shipped_on", "carrier", "status", "units"],
    warehouse.shipments(),
  );
  await setAsOf(store, world.asOf);
}
