import { insertRows, type Store, setAsOf } from "@toolpacks/pack-kit";
import { createWorld } from "@toolpacks/world";

/**
 * Fills an empty, migrated store with the warehouse slice of the shared world for
 * `(scale, seed)` and records its as-of date. Every row is the world's as generated: items carry
 * the ERP's standard costs, reserved stock is exactly what the active reservations (one per
 * confirmed ERP order) hold, and receipts are the arrivals of received ERP purchase orders.
 */
export async function seedWarehouse(store: Store, options: { scale: number; seed: number }): Promise<void> {
  const world = createWorld({ scale: options.scale, seed: options.seed });
  const { warehouse } = world;
  await insertRows(store, "wh_locations", ["id", "name", "city", "country"], warehouse.locations());
  await insertRows(
    store,
    "wh_items",
    ["sku", "name", "category", "unit_cost_minor", "currency"],
    warehouse.items(),
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
    "wh_reservations",
    ["id", "order_id", "status", "created_on", "closed_on"],
    warehouse.reservations(),
  );
  await insertRows(
    store,
    "wh_reservation_lines",
    ["reservation_id", "line_no", "sku", "location_id", "quantity"],
    warehouse.reservationLines(),
  );
  await insertRows(
    store,
    "wh_shipments",
    ["id", "sales_order_id", "customer_id", "location_id", "shipped_on", "carrier", "status", "units"],
    warehouse.shipments(),
  );
  await setAsOf(store, world.asOf);
}
