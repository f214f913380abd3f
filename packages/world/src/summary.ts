import { DEFAULT_AS_OF } from "./plan.js";
import { createWorld, type World } from "./world.js";

/** Exact row counts of every table of a world, keyed `system.table`. */
export interface WorldSummary {
  seed: number;
  scale: number;
  asOf: string;
  tables: Record<string, number>;
  total: number;
}

function count(rows: Iterable<unknown>): number {
  let n = 0;
  for (const _ of rows) n++;
  return n;
}

/** Counts every system's rows in one pass over deals and one over invoices. */
function countTables(world: World): Record<string, number> {
  const t: Record<string, number> = {};
  const { crm, erp, warehouse, billing } = world;
  t["crm.accounts"] = world.plan.customers;
  t["crm.contacts"] = world.plan.contacts;
  t["crm.owners"] = world.plan.owners;
  t["crm.targets"] = count(crm.targets());
  t["crm.deals"] = world.plan.deals;
  let lines = 0;
  let activities = 0;
  for (const b of crm.dealBundles()) {
    lines += b.lines.length;
    activities += b.activities.length;
  }
  t["crm.deal_lines"] = lines;
  t["crm.activities"] = activities;
  t["erp.customers"] = world.plan.customers;
  t["erp.items"] = world.plan.products;
  t["erp.suppliers"] = world.plan.suppliers;
  t["erp.locations"] = world.plan.locations;
  t["erp.deals"] = count(erp.deals());
  let orders = 0;
  let orderLines = 0;
  let shipped = 0;
  let shippedLines = 0;
  for (const b of erp.salesOrderBundles()) {
    orders++;
    orderLines += b.lines.length;
    if (b.order.status === "shipped") {
      shipped++;
      shippedLines += b.lines.length;
    }
  }
  t["erp.sales_orders"] = orders;
  t["erp.sales_order_lines"] = orderLines;
  t["erp.purchase_orders"] = world.plan.purchaseOrders;
  t["warehouse.locations"] = world.plan.locations;
  t["warehouse.items"] = world.plan.products;
  t["warehouse.stock"] = world.plan.products * world.plan.locations;
  // Receipts, one issue per shipped order line, and the other movements.
  t["warehouse.movements"] =
    count(warehouse.movements({ start: 0, end: world.plan.purchaseOrders })) +
    shippedLines +
    world.plan.movements;
  let reservations = 0;
  let reservationLines = 0;
  for (const b of warehouse.reservationBundles()) {
    reservations++;
    reservationLines += b.lines.length;
  }
  t["warehouse.reservations"] = reservations;
  t["warehouse.reservation_lines"] = reservationLines;
  t["warehouse.shipments"] = shipped;
  t["billing.accounts"] = world.plan.customers;
  t["billing.plans"] = count(billing.plans());
  t["billing.subscriptions"] = count(billing.subscriptions());
  t["billing.mrr_events"] = count(billing.mrrEvents());
  let invoices = 0;
  let payments = 0;
  let credits = 0;
  let invoiceLines = 0;
  for (const b of billing.invoiceBundles()) {
    invoices++;
    invoiceLines += b.lines.length;
    payments += b.payments.length;
    credits += b.creditNotes.length;
  }
  t["billing.invoices"] = invoices;
  t["billing.invoice_lines"] = invoiceLines;
  t["billing.payments"] = payments;
  t["billing.credit_notes"] = credits;
  return t;
}

/**
 * Exact row counts for `(scale, seed)`. It walks the deal and invoice streams once
 * each (no rows are kept), so it costs about a third of a full generation.
 */
export function worldSummary(scale: number, seed = 1, asOf = DEFAULT_AS_OF): WorldSummary {
  const world = createWorld({ scale, seed, asOf });
  const tables = countTables(world);
  const total = Object.values(tables).reduce((a, b) => a + b, 0);
  return { seed: world.seed, scale, asOf: world.asOf, tables, total };
}
