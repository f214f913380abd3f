import { runSync } from "@toolpacks/pack-kit";
import { openSqliteStore } from "@toolpacks/pack-kit/node";
import { createOdooClient } from "../src/connectors/odoo/api/client.js";
import { odooSource } from "../src/connectors/odoo/api/source.js";
import { pack } from "../src/pack.js";
import { startFakeOdoo } from "../src/testing/fake-odoo.js";

/** One timed `sync odoo` run against the fake. */
export interface OdooSyncRunFigure {
  /** Odoo records the run read (partners, warehouses, products, orders and their lines). */
  objects: number;
  /** ERP rows written (inserted + updated) or removed. */
  rows: number;
  requests: number;
  ms: number;
  objectsPerSecond: number;
  rowsPerSecond: number;
}

/** First-load and incremental sync throughput of the ERP pack against the local fake Odoo. */
export interface OdooSyncThroughput {
  orders: number;
  firstLoad: OdooSyncRunFigure;
  incremental: OdooSyncRunFigure;
}

/**
 * Measures `sync odoo` against a local fake Odoo JSON-2 server holding `orders` sales orders of
 * two lines each (over orders/4 customers, 200 products of 20 vendors) and orders/5 purchase
 * orders; then `changes` changes (edited, cancelled and new sales orders) read as an increment
 * (write_date cursors, with the deletion sweep). In-memory SQLite; the fake answers on loopback,
 * so this is the pack's cost (and the fake's), not Odoo's latency.
 */
export async function measureOdooSync(
  options: { orders?: number; changes?: number } = {},
): Promise<OdooSyncThroughput> {
  const orders = options.orders ?? 2_000;
  const changes = options.changes ?? 500;
  const fake = await startFakeOdoo();
  const store = openSqliteStore();
  try {
    const vendors = Array.from({ length: 20 }, (_, i) =>
      fake.addPartner({ name: `Vendor ${i}`, vendor: true }),
    );
    const customers = Array.from({ length: Math.max(1, Math.floor(orders / 4)) }, (_, i) =>
      fake.addPartner({ name: `Customer ${i}`, customer: true, terms: "30 Days" }),
    );
    const warehouse = fake.addWarehouse("Main");
    const products = Array.from({ length: 200 }, (_, i) =>
      fake.addProduct({
        code: `SKU-${i}`,
        name: `Item ${i}`,
        cost: 10 + i,
        price: 25 + i,
        vendor: vendors[i % 20] as number,
        delay: 2 + (i % 9),
      }),
    );
    const sales: number[] = [];
    for (let i = 0; i < orders; i++) {
      sales.push(
        fake.addSaleOrder({
          partner: customers[i % customers.length] as number,
          state: i % 3 === 0 ? "draft" : "sale",
          origin: `D-${i}`,
          warehouse,
          lines: [
            { product: products[i % 200] as number, qty: 1 + (i % 7), price: 30.5 },
            { product: products[(i * 7) % 200] as number, qty: 2, price: 12 },
          ],
        }),
      );
    }
    const purchases = Math.floor(orders / 5);
    for (let i = 0; i < purchases; i++) {
      fake.addPurchaseOrder({
        partner: vendors[i % 20] as number,
        warehouse,
        lines: [{ product: products[i % 200] as number, qty: 10, price: 9 }],
      });
    }
    const source = odooSource(
      createOdooClient({ baseUrl: fake.url, apiKey: fake.key, database: fake.database }),
    );
    const run = async (objects: number): Promise<OdooSyncRunFigure> => {
      const before = fake.requests.length;
      const started = performance.now();
      const report = await runSync(store, pack, source);
      const ms = performance.now() - started;
      const rows = report.inserted + report.updated + report.deleted;
      return {
        objects,
        rows,
        requests: fake.requests.length - before,
        ms,
        objectsPerSecond: objects / (ms / 1000),
        rowsPerSecond: rows / (ms / 1000),
      };
    };
    const firstLoad = await run(20 + customers.length + 1 + 200 + orders * 3 + purchases * 2);
    let read = 0;
    for (let i = 0; i < changes; i++) {
      const id = sales[(i * 13) % sales.length] as number;
      if (i % 5 === 0) fake.update("sale.order", id, { state: "cancel" });
      else if (i % 5 === 1) {
        fake.addSaleOrder({
          partner: customers[i % customers.length] as number,
          origin: `D-new-${i}`,
          lines: [{ product: products[i % 200] as number, qty: 3, price: 40 }],
        });
      } else fake.update("sale.order", id, { commitment_date: "2026-12-20 12:00:00" });
      read += 3;
    }
    const incremental = await run(read);
    return { orders, firstLoad, incremental };
  } finally {
    await store.close();
    await fake.close();
  }
}
