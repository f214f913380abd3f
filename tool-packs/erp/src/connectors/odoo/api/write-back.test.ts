import {
  DRY_RUN_META,
  ERROR_CODE_META,
  IDEMPOTENCY_KEY_META,
  REPLAYED_META,
  type RetryOptions,
  runSync,
  type Store,
  writeBackFor,
} from "@toolpacks/pack-kit";
import { connectPackClient, openTestStore, type PackClient } from "@toolpacks/pack-kit/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pack } from "../../../pack.js";
import { type FakeOdoo, startFakeOdoo } from "../../../testing/fake-odoo.js";
import { createOdooClient } from "./client.js";
import { odooSource } from "./source.js";

let fake: FakeOdoo;
let store: Store;
let client: PackClient;
let customer: number;
let desk: number;

/** Syncs a small Odoo company, then serves the pack writing back through `retry`'s client. */
async function serve(retry: RetryOptions = {}) {
  const odoo = createOdooClient({
    baseUrl: fake.url,
    apiKey: fake.key,
    database: fake.database,
    retry: { sleep: async () => {}, ...retry },
  });
  const source = odooSource(odoo);
  await runSync(store, pack, source);
  // The CRM's won deal the order is for (the identity map copies these in a real setup).
  await store.run("INSERT INTO erp_deals (id, account_id, currency) VALUES ('D-7', 'Acme', 'USD')");
  client = await connectPackClient(pack, { store, budget: "error", writeBack: source.push });
}

beforeEach(async () => {
  fake = await startFakeOdoo();
  store = await openTestStore();
  const vendor = fake.addPartner({ name: "Steelcase", vendor: true });
  customer = fake.addPartner({ name: "Acme", customer: true });
  fake.addWarehouse("WH-01");
  desk = fake.addProduct({ code: "DESK-1", name: "Desk", cost: 100, price: 250, vendor, delay: 5 });
  fake.addSaleOrder({
    partner: customer,
    state: "draft",
    origin: "D-1",
    lines: [{ product: desk, qty: 1, price: 250 }],
  });
  fake.addSaleOrder({
    partner: customer,
    name: "S-CONFIRMED",
    origin: "D-2",
    lines: [{ product: desk, qty: 1, price: 250 }],
  });
});
afterEach(async () => {
  await client?.close();
  await fake.close();
  await store.close();
});

const order = {
  deal_id: "D-7",
  account_id: "Acme",
  currency: "USD",
  lines: [{ sku: "DESK-1", quantity: 3, net_unit_price_minor: 24_950 }],
};
const writes = () =>
  fake.requests.filter((r) => !["search_read", "read", "search", "search_count"].includes(r.method));
const codeOf = (result: Awaited<ReturnType<PackClient["call"]>>) =>
  (result._meta as Record<string, unknown> | undefined)?.[ERROR_CODE_META];
const textOf = (result: Awaited<ReturnType<PackClient["call"]>>) =>
  (result.content as Array<{ text: string }>)[0]?.text ?? "";
const odooOrders = () => fake.records("sale.order").filter((o) => o["origin"] === "D-7");

describe("write-back to Odoo", () => {
  it("creates the order in Odoo first, under the pack's id with the key as Customer Reference, then records it", async () => {
    await serve();
    const result = await client.call("create_sales_order", order, { [IDEMPOTENCY_KEY_META]: "run-1:call-1" });
    expect(result.isError).toBeFalsy();
    expect(writes().map((r) => `${r.model}/${r.method}`)).toEqual(["sale.order/create"]);
    const [made] = odooOrders();
    expect(made).toMatchObject({
      name: "SO-7",
      client_order_ref: "run-1:call-1",
      partner_id: customer,
      state: "draft",
    });
    const line = fake.records("sale.order.line").find((l) => l["order_id"] === made?.id);
    expect(line).toMatchObject({ product_id: desk, product_uom_qty: 3, price_unit: 249.5 });
    expect(await store.first("SELECT total_minor, status FROM erp_sales_orders WHERE id = 'SO-7'")).toEqual({
      total_minor: 74_850,
      status: "draft",
    });
    // The next sync maps Odoo's record onto the same row: no second order, lines replaced by Odoo's.
    await runSync(store, pack, odooSource(createOdooClient({ baseUrl: fake.url, apiKey: fake.key })));
    expect(await store.all("SELECT id, source_system FROM erp_sales_orders WHERE deal_id = 'D-7'")).toEqual([
      { id: "SO-7", source_system: "odoo" },
    ]);
    expect(
      await store.all("SELECT id, amount_minor FROM erp_sales_order_lines WHERE order_id = 'SO-7'"),
    ).toEqual([{ id: "SO-7/1", amount_minor: 74_850 }]);
  });

  it("a create that timed out after Odoo applied it is applied once when retried with the same key", async () => {
    await serve({ maxRetries: 0, attemptTimeoutMs: 1_500 });
    fake.answerNextWriteAfter(60_000);
    const meta = { [IDEMPOTENCY_KEY_META]: "run-2:call-7" };
    const first = await client.call("create_sales_order", order, meta);
    expect(first.isError).toBe(true);
    expect(codeOf(first)).toBe("source_unavailable");
    expect(textOf(first)).toContain("same idempotency key");
    // Odoo applied it; the store did not record it.
    expect(odooOrders()).toHaveLength(1);
    expect(await store.first("SELECT id FROM erp_sales_orders WHERE id = 'SO-7'")).toBeUndefined();
    const retry = await client.call("create_sales_order", order, meta);
    expect(retry.isError).toBeFalsy();
    expect(odooOrders()).toHaveLength(1);
    expect(fake.applied).toBe(1);
    expect(await store.first("SELECT id FROM erp_sales_orders WHERE id = 'SO-7'")).toEqual({ id: "SO-7" });
    // A third try is answered from the store's idempotency record: Odoo is not asked again.
    const before = fake.requests.length;
    const third = await client.call("create_sales_order", order, meta);
    expect((third._meta as Record<string, unknown>)[REPLAYED_META]).toBe(true);
    expect(fake.requests).toHaveLength(before);
  });

  it("a write Odoo refuses (ValidationError, AccessError) answers with Odoo's reason and changes nothing locally", async () => {
    await serve();
    const before = await store.all("SELECT * FROM erp_sales_orders ORDER BY id");
    fake.refuseNext(
      /^sale\.order\/create$/,
      "odoo.exceptions.ValidationError",
      "The customer Acme is blocked: overdue invoices.",
    );
    const refused = await client.call("create_sales_order", order, { [IDEMPOTENCY_KEY_META]: "k-blocked" });
    expect(codeOf(refused)).toBe("source_refused");
    expect(textOf(refused)).toContain("The customer Acme is blocked: overdue invoices.");
    expect(textOf(refused)).toContain("ValidationError");
    expect(textOf(refused)).toContain("Nothing was written to the store");
    fake.refuseNext(
      /^sale\.order\/create$/,
      "odoo.exceptions.AccessError",
      "You are not allowed to create 'Sales Order' (sale.order) records.",
    );
    const denied = await client.call("create_sales_order", order, { [IDEMPOTENCY_KEY_META]: "k-denied" });
    expect(codeOf(denied)).toBe("source_refused");
    expect(textOf(denied)).toContain("You are not allowed to create");
    expect(await store.all("SELECT * FROM erp_sales_orders ORDER BY id")).toEqual(before);
    expect(odooOrders()).toEqual([]);
  });

  it("a dry run never calls an Odoo write method", async () => {
    await serve();
    const result = await client.call("create_sales_order", order, { [DRY_RUN_META]: true });
    expect(result.isError).toBeFalsy();
    expect(writes()).toEqual([]);
    expect(await store.first("SELECT id FROM erp_sales_orders WHERE id = 'SO-7'")).toBeUndefined();
  });

  it("confirms in Odoo (action_confirm); a refused confirmation leaves Odoo's quotation and the store as they were", async () => {
    await serve();
    const quotation = fake.records("sale.order").find((o) => o["origin"] === "D-1");
    const id = String(quotation?.["name"]);
    fake.refuseNext(
      /^sale\.order\/action_confirm$/,
      "odoo.exceptions.UserError",
      "A product is missing a route.",
    );
    const refused = await client.call(
      "confirm_sales_order",
      { order_id: id },
      { [IDEMPOTENCY_KEY_META]: "c-1" },
    );
    expect(codeOf(refused)).toBe("source_refused");
    expect(textOf(refused)).toContain("A product is missing a route.");
    expect(fake.records("sale.order").find((o) => o["name"] === id)).toMatchObject({
      state: "draft",
      commitment_date: false,
    });
    expect(await store.first("SELECT status FROM erp_sales_orders WHERE id = ?", [id])).toEqual({
      status: "draft",
    });
    const confirmed = await client.call(
      "confirm_sales_order",
      { order_id: id },
      { [IDEMPOTENCY_KEY_META]: "c-2" },
    );
    expect(confirmed.isError).toBeFalsy();
    expect(fake.records("sale.order").find((o) => o["name"] === id)?.["state"]).toBe("sale");
    expect(await store.first("SELECT status FROM erp_sales_orders WHERE id = ?", [id])).toEqual({
      status: "confirmed",
    });
  });

  it("orders from a vendor (create + button_confirm) once per key; a refused confirmation leaves no RFQ behind", async () => {
    await serve();
    const po = { sku: "DESK-1", quantity: 10, location_id: "WH-01" };
    fake.refuseNext(
      /^purchase\.order\/button_confirm$/,
      "odoo.exceptions.UserError",
      "The vendor is on hold.",
    );
    const refused = await client.call("create_purchase_order", po, { [IDEMPOTENCY_KEY_META]: "p-1" });
    expect(codeOf(refused)).toBe("source_refused");
    expect(fake.records("purchase.order")).toEqual([]);
    expect(await store.first("SELECT COUNT(*) AS n FROM erp_purchase_orders")).toEqual({ n: 0 });
    const made = await client.call("create_purchase_order", po, { [IDEMPOTENCY_KEY_META]: "p-2" });
    expect(made.isError).toBeFalsy();
    expect(fake.records("purchase.order")).toEqual([
      expect.objectContaining({ origin: "p-2", state: "purchase" }),
    ]);
    expect(fake.records("purchase.order.line")).toEqual([
      expect.objectContaining({ product_qty: 10, price_unit: 100 }),
    ]);
  });

  it("record_shipment is not written back: refused before any call, nothing changes", async () => {
    await serve();
    const result = await client.call("record_shipment", { order_id: "S-CONFIRMED" });
    expect(codeOf(result)).toBe("unsupported_write");
    expect(textOf(result)).toContain("Odoo Inventory");
    expect(writes()).toEqual([]);
    expect(await store.first("SELECT status FROM erp_sales_orders WHERE id = 'S-CONFIRMED'")).toEqual({
      status: "confirmed",
    });
  });

  it("a synced store served without ODOO_API_KEY refuses writes, naming the variable", async () => {
    await serve();
    await client.close();
    const writeBack = await writeBackFor(store, pack, {});
    expect(writeBack).toBeDefined();
    client = await connectPackClient(pack, { store, budget: "error", ...(writeBack ? { writeBack } : {}) });
    const result = await client.call("create_sales_order", order);
    expect(codeOf(result)).toBe("credential_missing");
    expect(textOf(result)).toContain("ODOO_API_KEY");
    expect(writes()).toEqual([]);
    expect(await store.first("SELECT id FROM erp_sales_orders WHERE id = 'SO-7'")).toBeUndefined();
  });
});
