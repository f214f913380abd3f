import {
  type RetryOptions,
  readCursors,
  runSync,
  type Store,
  SyncError,
  syncStatusTool,
} from "@toolpacks/pack-kit";
import { openTestStore } from "@toolpacks/pack-kit/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pack } from "../../../pack.js";
import { type FakeOdoo, startFakeOdoo } from "../../../testing/fake-odoo.js";
import { createOdooClient } from "./client.js";
import { odooSource } from "./source.js";
import { odooSync } from "./spec.js";

let fake: FakeOdoo;
let store: Store;
let waits: number[];

beforeEach(async () => {
  fake = await startFakeOdoo();
  store = await openTestStore();
  waits = [];
});
afterEach(async () => {
  await fake.close();
  await store.close();
});

/** A source over the fake; retries wait nothing but record what they would have waited. */
function source(retry: RetryOptions = {}, pageSize = 4) {
  const client = createOdooClient({
    baseUrl: fake.url,
    apiKey: fake.key,
    database: fake.database,
    retry: { sleep: async (ms) => void waits.push(ms), ...retry },
  });
  return odooSource(client, { pageSize });
}

/** A small company: 3 vendors, 6 customers, 2 warehouses, 8 products, 12 sales orders, 5 purchase orders. */
function fillCompany() {
  const vendors = [0, 1, 2].map((i) =>
    fake.addPartner({
      name: `Vendor ${i}`,
      vendor: true,
      country: "Germany",
      vendorTerms: "30 Days",
      ...(i === 1 ? { currency: "EUR" } : {}),
    }),
  );
  const customers = Array.from({ length: 6 }, (_, i) =>
    fake.addPartner({
      name: `Customer ${i}`,
      customer: true,
      email: `Buyer@c${i}.example`,
      terms: "Net 30",
      creditLimit: 5000.5,
      country: "United States",
    }),
  );
  const warehouses = [fake.addWarehouse("San Francisco"), fake.addWarehouse("Chicago")];
  const products = Array.from({ length: 8 }, (_, i) =>
    fake.addProduct({
      code: `FURN_${i}`,
      name: `Desk ${i}`,
      cost: 100 + i,
      price: 199.99,
      vendor: vendors[i % 3] as number,
      delay: 3 + i,
    }),
  );
  const states = ["draft", "sent", "sale", "sale", "cancel", "sale"];
  const sales = Array.from({ length: 12 }, (_, i) =>
    fake.addSaleOrder({
      partner: customers[i % 6] as number,
      state: states[i % 6] as string,
      origin: `D-${1000 + i}`,
      delivery: i % 6 === 3 ? "full" : "pending",
      warehouse: warehouses[i % 2] as number,
      lines: [
        { product: products[i % 8] as number, qty: 2 + i, price: 150.25 },
        { product: products[(i + 3) % 8] as number, qty: 1, price: 80 },
      ],
    }),
  );
  const purchases = Array.from({ length: 5 }, (_, i) =>
    fake.addPurchaseOrder({
      partner: vendors[i % 3] as number,
      state: i === 4 ? "draft" : "purchase",
      receipt: i === 2 ? "full" : "pending",
      warehouse: warehouses[0] as number,
      lines:
        i === 1
          ? [
              { product: products[1] as number, qty: 10, price: 101 },
              { product: products[4] as number, qty: 5, price: 104 },
            ]
          : [{ product: products[i] as number, qty: 20, price: 100 + i }],
    }),
  );
  return { vendors, customers, warehouses, products, sales, purchases };
}

const count = async (table: string) =>
  Number((await store.first<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))?.n);
const TABLES = [
  "erp_customers",
  "erp_suppliers",
  "erp_locations",
  "erp_items",
  "erp_sales_orders",
  "erp_sales_order_lines",
  "erp_purchase_orders",
  "erp_deals",
];
async function snapshot(from: Store = store) {
  const out: Record<string, unknown[]> = {};
  for (const table of TABLES) out[table] = await from.all(`SELECT * FROM ${table} ORDER BY 1`);
  return out;
}
const reads = (model: string) => fake.requests.filter((r) => r.model === model && r.method === "search_read");

describe("Odoo sync: first load", () => {
  it("pages through every model and lands each record once, with the fake's own totals", async () => {
    fillCompany();
    const report = await runSync(store, pack, source());
    expect(report.rejected).toBe(0);
    expect(await count("erp_customers")).toBe(6);
    expect(await count("erp_suppliers")).toBe(3);
    expect(await count("erp_items")).toBe(8);
    expect(await count("erp_locations")).toBe(2);
    // Cancelled sales orders are not kept; quotations are drafts.
    const live = fake.records("sale.order").filter((o) => o["state"] !== "cancel");
    expect(await count("erp_sales_orders")).toBe(live.length);
    expect(await count("erp_sales_order_lines")).toBe(2 * live.length);
    const total = live.reduce((sum, o) => {
      const lines = fake.records("sale.order.line").filter((l) => l["order_id"] === o.id);
      return (
        sum +
        lines.reduce(
          (s, l) => s + Math.round(Number(l["product_uom_qty"]) * Number(l["price_unit"]) * 100),
          0,
        )
      );
    }, 0);
    expect((await store.first<{ t: number }>("SELECT SUM(total_minor) AS t FROM erp_sales_orders"))?.t).toBe(
      total,
    );
    expect(
      await store.all("SELECT status, COUNT(*) AS n FROM erp_sales_orders GROUP BY status ORDER BY status"),
    ).toEqual([
      { status: "confirmed", n: 4 },
      { status: "draft", n: 4 },
      { status: "shipped", n: 2 },
    ]);
    // The RFQ is not an order yet; the two-line purchase order is two rows.
    const pos = (await store.all<{ id: string }>("SELECT id FROM erp_purchase_orders ORDER BY id")).map(
      (r) => r.id,
    );
    const names = fake.records("purchase.order").map((o) => String(o["name"]));
    expect(pos).toHaveLength(5);
    expect(pos).toContain(`${names[1]}/2`);
    expect(pos).not.toContain(names[4]);
    expect(
      await store.first("SELECT status FROM erp_purchase_orders WHERE id = ?", [names[2] as string]),
    ).toEqual({ status: "received" });
    // Same keys and values as the export connector: names, SKUs, minor units, lower-case email.
    expect(await store.first("SELECT * FROM erp_customers WHERE id = 'Customer 1'")).toMatchObject({
      name: "Customer 1",
      country: "US",
      payment_terms_days: 30,
      credit_limit_minor: 500050,
      email: "buyer@c1.example",
      source_system: "odoo",
    });
    expect(
      await store.first("SELECT lead_time_days, currency FROM erp_suppliers WHERE id = 'Vendor 1'"),
    ).toEqual({ lead_time_days: 7, currency: "EUR" });
    expect(
      await store.first(
        "SELECT unit_cost_minor, list_price_minor, supplier_id FROM erp_items WHERE sku = 'FURN_2'",
      ),
    ).toEqual({
      unit_cost_minor: 10200,
      list_price_minor: 19999,
      supplier_id: "Vendor 2",
    });
    // Keyset pages of 4 in (write_date, id) order, archived records included.
    const orderPages = reads("sale.order").filter((r) => r.body["limit"] === 4);
    // 12 orders: three full pages, then an empty answer that ends the stream.
    expect(orderPages.length).toBe(4);
    expect(orderPages.every((r) => r.body["order"] === "write_date asc, id asc")).toBe(true);
    expect(orderPages[1]?.body["domain"]).toEqual([
      "|",
      ["write_date", ">", expect.any(String)],
      "&",
      ["write_date", "=", expect.any(String)],
      ["id", ">", expect.any(Number)],
    ]);
    expect(
      fake.requests.every(
        (r) =>
          r.method !== "search_read" ||
          (r.body["context"] as Record<string, unknown>)?.["active_test"] === false,
      ),
    ).toBe(true);
    const cursor = JSON.parse((await readCursors(store, "erp", "odoo")).get("sale.order") as string);
    expect(cursor).toEqual({
      at: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
      id: expect.any(Number),
    });
  });

  it("records with the same write_date across a page boundary are read once each (id tiebreak)", async () => {
    fake.freezeClock(true);
    const company = fillCompany();
    await runSync(store, pack, source({}, 3));
    expect(await count("erp_items")).toBe(company.products.length);
    expect(await count("erp_sales_orders")).toBe(10);
    const again = await runSync(store, pack, source({}, 3));
    expect(again).toMatchObject({ inserted: 0, updated: 0, deleted: 0 });
  });

  it("a crash mid-sync resumes from the committed pages: same rows as an uninterrupted sync", async () => {
    fillCompany();
    // The second page of sales orders fails for good: the first one is committed with its cursor.
    fake.fail(1, 500, { match: /^sale\.order\/search_read$/, skip: 1 });
    await expect(runSync(store, pack, source({ maxRetries: 0 }))).rejects.toMatchObject({
      code: "source_unavailable",
    });
    expect((await readCursors(store, "erp", "odoo")).has("sale.order")).toBe(true);
    expect(await count("erp_sales_orders")).toBeGreaterThan(0);
    expect(await count("erp_sales_orders")).toBeLessThan(10);
    await runSync(store, pack, source());
    const clean = await openTestStore();
    await runSync(clean, pack, source());
    expect(await snapshot()).toEqual(await snapshot(clean));
    await clean.close();
  });

  it("a product without a vendor or reference is rejected, and so is every order of it, whole", async () => {
    const company = fillCompany();
    const orphan = fake.addProduct({ code: "LOOSE", name: "No vendor", cost: 1, price: 2 });
    fake.addProduct({ name: "No reference", cost: 1, price: 2, vendor: company.vendors[0] as number });
    fake.addSaleOrder({
      partner: company.customers[0] as number,
      origin: "D-9",
      lines: [
        { product: company.products[0] as number, qty: 1, price: 1 },
        { product: orphan, qty: 1, price: 2 },
      ],
    });
    const report = await runSync(store, pack, source());
    const reasons = report.rejections.map((r) => `${r.file} ${r.column}: ${r.reason}`);
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/product\.product \d+ seller_ids: the product has no vendor/),
        expect.stringMatching(/product\.product \d+ default_code: the Internal Reference is blank/),
        expect.stringMatching(/sale\.order\.line \d+ product_id: order S\d+ has SKU LOOSE/),
      ]),
    );
    expect(await store.first("SELECT id FROM erp_sales_orders WHERE deal_id = 'D-9'")).toBeUndefined();
    expect(await count("erp_sales_order_lines")).toBe(20);
  });
});

describe("Odoo sync: increments", () => {
  it("reads only what changed since the cursor and applies it: edits, cancellations, deletions, archived records", async () => {
    const company = fillCompany();
    await runSync(store, pack, source());
    const before = fake.requests.length;
    const [, , confirmed, , , other] = fake.records("sale.order");
    // An order loses a line; one is cancelled; a quotation is deleted; a product and a customer archived.
    const line = fake.records("sale.order.line").find((l) => l["order_id"] === confirmed?.id);
    fake.remove("sale.order.line", line?.id as number);
    fake.update("sale.order", confirmed?.id as number, {});
    fake.update("sale.order", other?.id as number, { state: "cancel" });
    const quotation = fake.records("sale.order").find((o) => o["state"] === "draft");
    fake.remove("sale.order", quotation?.id as number);
    fake.update("product.product", company.products[0] as number, { active: false });
    fake.update("res.partner", company.customers[0] as number, { active: false, email: "new@c0.example" });
    const added = fake.addSaleOrder({
      partner: company.customers[0] as number,
      origin: "D-2000",
      lines: [{ product: company.products[0] as number, qty: 3, price: 10 }],
    });
    const report = await runSync(store, pack, source());
    // Only records written after the cursor (less the overlap) were asked for.
    const asked = fake.requests
      .slice(before)
      .filter((r) => r.method === "search_read" && r.body["limit"] === 4);
    expect(asked.every((r) => JSON.stringify(r.body["domain"]).includes("write_date"))).toBe(true);
    expect(report.deleted).toBeGreaterThanOrEqual(3);
    const name = (id: number | undefined) =>
      String(fake.records("sale.order").find((o) => o.id === id)?.["name"]);
    expect(
      await store.all("SELECT line_no FROM erp_sales_order_lines WHERE order_id = ?", [name(confirmed?.id)]),
    ).toEqual([{ line_no: 1 }]);
    expect(
      await store.first("SELECT id FROM erp_sales_orders WHERE id = ?", [String(other?.["name"])]),
    ).toBeUndefined();
    expect(
      await store.first("SELECT id FROM erp_sales_order_lines WHERE order_id = ?", [String(other?.["name"])]),
    ).toBeUndefined();
    expect(
      await store.first("SELECT id FROM erp_sales_orders WHERE id = ?", [String(quotation?.["name"])]),
    ).toBeUndefined();
    // Archived records stay: the new order of an archived product and customer is whole.
    expect(
      await store.first("SELECT total_minor, customer_id FROM erp_sales_orders WHERE id = ?", [name(added)]),
    ).toEqual({ total_minor: 3000, customer_id: "Customer 0" });
    expect(await store.first("SELECT email FROM erp_customers WHERE id = 'Customer 0'")).toEqual({
      email: "new@c0.example",
    });
    // Nothing new: nothing changes.
    expect(await runSync(store, pack, source())).toMatchObject({ inserted: 0, updated: 0, deleted: 0 });
  });
});

describe("Odoo sync: a busy or failing API", () => {
  it("waits what Retry-After asks on 429s (reads are retried though they are POSTs), then carries on", async () => {
    fillCompany();
    fake.fail(2, 429, { headers: { "retry-after": "2" }, match: /^product\.product\/search_read$/ });
    const report = await runSync(store, pack, source());
    expect(report.rejected).toBe(0);
    expect(waits).toEqual([2000, 2000]);
    expect(await count("erp_items")).toBe(8);
  });

  it("backs off on 5xx and, past the retry bound, fails with source_unavailable recorded for sync_status", async () => {
    fillCompany();
    fake.fail(10, 503, { match: /^res\.partner\// });
    const error = await runSync(
      store,
      pack,
      source({ maxRetries: 3, random: () => 1 - Number.EPSILON }),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(SyncError);
    expect(error.code).toBe("source_unavailable");
    expect(waits).toHaveLength(3);
    expect(waits[1]).toBeGreaterThan(waits[0] as number);
    const status = await syncStatusTool("erp").handler(
      {},
      { store, asOf: "2026-12-02", principal: undefined, signal: new AbortController().signal },
    );
    expect(status.systems[0]?.last_error?.code).toBe("source_unavailable");
    expect(await count("erp_customers")).toBe(0);
  });

  it("a rejected or expired key fails at once, names ODOO_API_KEY and never shows the key", async () => {
    fillCompany();
    fake.expireKey();
    const error = await runSync(store, pack, source()).catch((e) => e);
    expect(error).toMatchObject({ code: "credential_rejected" });
    expect(error.message).toContain("ODOO_API_KEY");
    expect(error.message).toContain("Invalid apikey");
    expect(error.message).not.toContain(fake.key);
    expect(waits).toEqual([]);
  });

  it("without ODOO_API_KEY or an address the source is not even built", () => {
    expect(() => odooSync.create({ env: {}, baseUrl: fake.url })).toThrow(/ODOO_API_KEY is not set/);
    expect(() => odooSync.create({ env: { ODOO_API_KEY: "k" }, baseUrl: undefined })).toThrow(
      /ODOO_URL is not set/,
    );
    expect(() => odooSync.create({ env: { ODOO_API_KEY: "k" }, baseUrl: "ftp://x" })).toThrow(
      /http\(s\) URL/,
    );
    expect(
      odooSync.create({ env: { ODOO_API_KEY: "k", ODOO_URL: fake.url }, baseUrl: undefined }).system,
    ).toBe("odoo");
  });
});
