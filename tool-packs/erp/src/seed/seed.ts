import { insertRows, type Store, setAsOf } from "@toolpacks/pack-kit";
import {
  createWorld,
  type ErpPurchaseOrder,
  type ErpSalesOrder,
  type ErpSalesOrderLine,
  toReportingMinor,
  type World,
} from "@toolpacks/world";

/** Sales orders as stored: world `open` orders are `confirmed` here (they are past draft). */
type StoredOrder = Omit<ErpSalesOrder, "status"> & {
  status: "confirmed" | "shipped";
  total_usd_minor: number;
  cost_usd_minor: number;
  confirmed_on: string;
};
type StoredLine = ErpSalesOrderLine & {
  order_date: string;
  amount_usd_minor: number;
  cost_usd_minor: number;
};

function costs(world: World): Map<string, number> {
  return new Map(world.products().map((p) => [p.sku, p.unit_cost_minor]));
}

function* storedOrders(world: World, unitCost: Map<string, number>): Generator<StoredOrder> {
  for (const { order, lines } of world.erp.salesOrderBundles()) {
    yield {
      ...order,
      status: order.status === "open" ? "confirmed" : "shipped",
      total_usd_minor: toReportingMinor(order.total_minor, order.currency),
      cost_usd_minor: lines.reduce((sum, l) => sum + l.quantity * (unitCost.get(l.sku) ?? 0), 0),
      confirmed_on: order.order_date,
    };
  }
}

function* storedLines(world: World, unitCost: Map<string, number>): Generator<StoredLine> {
  for (const { order, lines } of world.erp.salesOrderBundles()) {
    for (const line of lines) {
      yield {
        ...line,
        order_date: order.order_date,
        amount_usd_minor: toReportingMinor(line.amount_minor, line.currency),
        cost_usd_minor: line.quantity * (unitCost.get(line.sku) ?? 0),
      };
    }
  }
}

function* storedPurchaseOrders(world: World): Generator<ErpPurchaseOrder & { value_usd_minor: number }> {
  for (const po of world.erp.purchaseOrders()) {
    yield { ...po, value_usd_minor: toReportingMinor(po.quantity * po.unit_cost_minor, po.currency) };
  }
}

/**
 * Fills an empty, migrated store with the ERP slice of the shared world for `(scale, seed)`
 * and records its as-of date. Parents first (foreign keys are on). Locations come from the
 * shared master data (the world's ERP view has none) so purchase orders can be checked.
 */
export async function seedErp(store: Store, options: { scale: number; seed: number }): Promise<void> {
  const world = createWorld({ scale: options.scale, seed: options.seed });
  const { erp } = world;
  const unitCost = costs(world);
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
  await insertRows(store, "erp_locations", ["id", "name", "country"], world.locations());
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
    storedOrders(world, unitCost),
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
    storedLines(world, unitCost),
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
    storedPurchaseOrders(world),
  );
  await setAsOf(store, world.asOf);
}
