// Measures full generation time: every row of every table, once.
// Run: npx -y pnpm@10 exec tsx packages/world/scripts/measure-generation.ts 1000000
import { createWorld } from "@toolpacks/world";

const scale = Number(process.argv[2] ?? 1_000_000);
const world = createWorld({ scale, seed: 1 });
const { crm, erp, warehouse, billing } = world;
const started = performance.now();
let rows = 0;
const drain = (it: Iterable<unknown>) => {
  for (const _ of it) rows++;
};
drain(crm.accounts());
drain(crm.contacts());
drain(crm.owners());
drain(crm.targets());
for (const b of crm.dealBundles()) rows += 1 + b.lines.length + b.activities.length;
drain(erp.customers());
drain(erp.items());
drain(erp.suppliers());
drain(erp.locations());
drain(erp.deals());
for (const b of erp.salesOrderBundles()) rows += 1 + b.lines.length;
drain(erp.purchaseOrders());
drain(warehouse.locations());
drain(warehouse.items());
drain(warehouse.stock());
drain(warehouse.movements());
for (const b of warehouse.reservationBundles()) rows += 1 + b.lines.length;
drain(warehouse.shipments());
drain(billing.accounts());
drain(billing.plans());
drain(billing.subscriptions());
drain(billing.mrrEvents());
for (const b of billing.invoiceBundles())
  rows += 1 + b.lines.length + b.payments.length + b.creditNotes.length;
const ms = performance.now() - started;
const heapMb = process.memoryUsage().heapUsed / 1e6;
console.log(
  `scale ${scale}: ${rows} rows in ${Math.round(ms)} ms (${Math.round(rows / (ms / 1000))} rows/s), heap ${Math.round(heapMb)} MB`,
);
