import { insertRows, type Store, setAsOf } from "@toolpacks/pack-kit";
import { createWorld } from "@toolpacks/world";

/**
 * Fills an empty, migrated store with the ERP slice of the shared world for `(scale, seed)`
 * and records its as-of date. Parents first (foreign keys are on). Every row is the world's as
 * generated: locations, the CRM deals orders may reference, order and line costs from the shared
 * item master, and USD amounts are all computed once in `@toolpacks/world`.
 */
export async function seedErp(store: Store, options: { scale: number; seed: number }): Promise<void> {
  const world = createWorld({ scale: options.scale, seed: options.seed });
  const { erp } = world;
  await insertRows(
    store,
    "erp_customers",
    ["id", "name", "country", "currency", "payment_terms_days", "credit_limit_minor"],
    erp.customers(),
  );
  await insertRows(
    store,
    "erp_suppliers",
    ["id", "name", "country", "currency", "lead_time_days"],
    erp.suppliers(),
  );
  await insertRows(store, "erp_locations", ["id", "name", "country"], erp.locations());
  await insertRows(store, "erp_deals", ["id", "account_id", "currency"], erp.deals());
  await insertRows(
    store,
    "erp_items",
    ["sku", "name", "category", "unit_cost_minor", "list_price_minor", "currency", "supplier_id"],
    erp.items(),
  );
  await insertRows(
    store,
    "erp_sales_orders",
    [
      "id",
      "deal_id",
      "customer_id",
      "status",
      "order_date",
      "currency",
      "total_minor",
      "total_usd_minor",
      "cost_usd_minor",
      "location_id",
      "ship_date",
      "confirmed_on",
    ],
    erp.salesOrders(),
  );
  await insertRows(
    store,
    "erp_sales_order_lines",
    [
      "id",
      "order_id",
      "line_no",
      "order_date",
      "sku",
      "quantity",
      "unit_price_minor",
      "amount_minor",
      "currency",
      "amount_usd_minor",
      "cost_usd_minor",
    ],
    erp.salesOrderLines(),
  );
  await insertRows(
    store,
    "erp_purchase_orders",
    [
      "id",
      "supplier_id",
      "sku",
      "location_id",
      "quantity",
      "unit_cost_minor",
      "currency",
      "value_usd_minor",
      "order_date",
      "expected_date",
      "status",
    ],
    erp.purchaseOrders(),
  );
  await setAsOf(store, world.asOf);
}
