import { formatSyncReport, runSync, type Store } from "@toolpacks/pack-kit";
import { openTestStore } from "@toolpacks/pack-kit/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pack } from "../../../pack.js";
import { type FakeOdoo, startFakeOdoo } from "../../../testing/fake-odoo.js";
import { createOdooClient } from "./client.js";
import { odooSource } from "./source.js";

let fake: FakeOdoo;
let store: Store;

beforeEach(async () => {
  fake = await startFakeOdoo();
  store = await openTestStore();
});
afterEach(async () => {
  await fake.close();
  await store.close();
});

function source(pageSize = 3) {
  const client = createOdooClient({
    baseUrl: fake.url,
    apiKey: fake.key,
    database: fake.database,
    retry: { sleep: async () => undefined },
  });
  return odooSource(client, { pageSize });
}

/**
 * Two vendors with two products each, three customers; customer 0 has an open order of product
 * A-0 and vendor 1's product B-0 is on a purchase order. Everything else is referenced by nothing.
 */
function fillCompany() {
  const vendors = [0, 1].map((i) =>
    fake.addPartner({ name: `Vendor ${i}`, vendor: true, vendorTerms: "30 Days" }),
  );
  const customers = [0, 1, 2].map((i) =>
    fake.addPartner({ name: `Customer ${i}`, customer: true, terms: "Net 30", email: `c${i}@x.example` }),
  );
  const products = ["A-0", "A-1", "B-0", "B-1"].map((code, i) =>
    fake.addProduct({
      code,
      name: `Part ${code}`,
      cost: 10 + i,
      price: 20 + i,
      vendor: vendors[i < 2 ? 0 : 1],
    }),
  );
  const order = fake.addSaleOrder({
    partner: customers[0] as number,
    state: "sale",
    origin: "D-1",
    lines: [{ product: products[0] as number, qty: 2, price: 25 }],
  });
  const purchase = fake.addPurchaseOrder({
    partner: vendors[1] as number,
    state: "purchase",
    lines: [{ product: products[2] as number, qty: 5, price: 12 }],
  });
  return { vendors, customers, products, order, purchase };
}

const ids = async (table: string, key = "id") =>
  (await store.all<{ k: string }>(`SELECT ${key} AS k FROM ${table} ORDER BY ${key}`)).map((r) => r.k);

describe("Odoo sync: partners and products deleted in Odoo", () => {
  it("removes a deleted customer, vendor and product that nothing local refers to", async () => {
    const company = fillCompany();
    await runSync(store, pack, source());
    expect(await ids("erp_items", "sku")).toEqual(["A-0", "A-1", "B-0", "B-1"]);
    fake.remove("res.partner", company.customers[2] as number);
    fake.remove("product.product", company.products[1] as number);
    const report = await runSync(store, pack, source());
    expect(await ids("erp_customers")).toEqual(["Customer 0", "Customer 1"]);
    expect(await ids("erp_items", "sku")).toEqual(["A-0", "B-0", "B-1"]);
    expect(report.kept).toEqual([]);
    expect(report.tables).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ table: "erp_customers", deleted: 1 }),
        expect.objectContaining({ table: "erp_items", deleted: 1 }),
      ]),
    );
    // A vendor goes once its products are gone too (items refer to their supplier).
    fake.remove("product.product", company.products[3] as number);
    fake.remove("product.product", company.products[2] as number);
    fake.remove("purchase.order", company.purchase);
    fake.remove("res.partner", company.vendors[1] as number);
    const second = await runSync(store, pack, source());
    expect(await ids("erp_suppliers")).toEqual(["Vendor 0"]);
    expect(await ids("erp_items", "sku")).toEqual(["A-0"]);
    expect(await ids("erp_purchase_orders")).toEqual([]);
    expect(second.deleted).toBe(4);
    // Nothing else deleted: nothing else happens.
    expect(await runSync(store, pack, source())).toMatchObject({
      deleted: 0,
      inserted: 0,
      updated: 0,
      kept: [],
    });
  });

  it("keeps (and reports) a deleted product and customer that stored orders still refer to, until they go", async () => {
    const company = fillCompany();
    await runSync(store, pack, source());
    // Odoo refuses this for a product on an order line, but a row can still be referred to locally.
    fake.remove("product.product", company.products[0] as number);
    fake.remove("res.partner", company.customers[0] as number);
    const report = await runSync(store, pack, source());
    expect(await ids("erp_items", "sku")).toEqual(["A-0", "A-1", "B-0", "B-1"]);
    expect(await ids("erp_customers")).toEqual(["Customer 0", "Customer 1", "Customer 2"]);
    const orderName = String(fake.records("sale.order")[0]?.["name"]);
    expect(report.kept).toEqual([
      {
        table: "erp_customers",
        id: "Customer 0",
        reason: expect.stringMatching(
          new RegExp(`^no longer in Odoo .*erp_sales_orders ${orderName} still refers to it`),
        ),
      },
      {
        table: "erp_items",
        id: "A-0",
        reason: expect.stringMatching(
          /erp_sales_order_lines \S+ still refers to it and stays, so it is kept as last synced/,
        ),
      },
    ]);
    expect(formatSyncReport(report)).toContain("kept erp_items A-0 (gone from odoo): no longer in Odoo");
    // The open order stays whole: its line, total and customer read as before.
    expect(
      await store.first("SELECT customer_id, total_minor FROM erp_sales_orders WHERE id = ?", [orderName]),
    ).toEqual({
      customer_id: "Customer 0",
      total_minor: 5000,
    });
    expect(await ids("erp_sales_order_lines")).toHaveLength(1);
    // The kept order's deal reference stays too (orders name their deal).
    expect(await ids("erp_deals")).toEqual(["D-1"]);
    // Once the order is deleted in Odoo too, the next sync removes order, product and customer (and its deal).
    fake.remove("sale.order", company.order);
    const after = await runSync(store, pack, source());
    expect(after.kept).toEqual([]);
    expect(await ids("erp_items", "sku")).toEqual(["A-1", "B-0", "B-1"]);
    expect(await ids("erp_customers")).toEqual(["Customer 1", "Customer 2"]);
    expect(await ids("erp_sales_orders")).toEqual([]);
    expect(await ids("erp_deals")).toEqual([]);
  });

  it("keeps a deleted product an order written locally refers to, and its deleted vendor with it", async () => {
    const company = fillCompany();
    await runSync(store, pack, source());
    // An order a write tool recorded (no source system), of product A-1 (vendor 0).
    await store.batch([
      {
        sql: `INSERT INTO erp_sales_orders (id, deal_id, customer_id, status, order_date, currency, total_minor, total_usd_minor, cost_usd_minor)
              VALUES ('SO-LOCAL', 'D-LOCAL', 'Customer 1', 'confirmed', '2026-11-30', 'USD', 2100, 2100, 1100)`,
      },
      {
        sql: `INSERT INTO erp_sales_order_lines (id, order_id, line_no, order_date, sku, quantity, unit_price_minor, amount_minor, currency, amount_usd_minor, cost_usd_minor)
              VALUES ('SO-LOCAL/1', 'SO-LOCAL', 1, '2026-11-30', 'A-1', 1, 2100, 2100, 'USD', 2100, 1100)`,
      },
    ]);
    fake.remove("product.product", company.products[1] as number);
    fake.remove("product.product", company.products[0] as number);
    fake.remove("sale.order", company.order);
    fake.remove("res.partner", company.vendors[0] as number);
    const report = await runSync(store, pack, source());
    // A-0 went with the deleted order; A-1 stays for the local order, and vendor 0 for A-1.
    expect(await ids("erp_items", "sku")).toEqual(["A-1", "B-0", "B-1"]);
    expect(await ids("erp_suppliers")).toEqual(["Vendor 0", "Vendor 1"]);
    expect(report.kept.map((k) => `${k.table} ${k.id}`)).toEqual(["erp_items A-1", "erp_suppliers Vendor 0"]);
    expect(report.kept[0]?.reason).toContain("erp_sales_order_lines SO-LOCAL/1 still refers to it");
    expect(report.kept[1]?.reason).toContain("erp_items A-1 still refers to it");
    expect(await ids("erp_sales_orders")).toEqual(["SO-LOCAL"]);
  });
});
