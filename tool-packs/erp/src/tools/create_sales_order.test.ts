import { connectPackClient, holdBatches } from "@toolpacks/pack-kit/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pack } from "../pack.js";
import { type SeededErp, seededErp } from "../testing/seeded-erp.js";

let erp: SeededErp;
beforeEach(async () => {
  erp = await seededErp();
});
afterEach(() => erp.close());

const KEY = "toolpacks.dev/idempotencyKey";
// D-0000069: a deal of C-000001 (USD) won without an order in the test world.
const order = {
  deal_id: "D-0000069",
  account_id: "C-000001",
  currency: "USD" as const,
  lines: [
    { sku: "SKU-00001", quantity: 3, net_unit_price_minor: 39_500 },
    { sku: "SKU-00002", quantity: 10, net_unit_price_minor: 5_000 },
  ],
};
const ordersOf = async (dealId: string) =>
  (await erp.store.all<{ id: string }>("SELECT id FROM erp_sales_orders WHERE deal_id = ?", [dealId])).length;

describe("create_sales_order", () => {
  it("creates a draft order named after the deal, with totals, USD amounts and standard costs", async () => {
    const answer = await erp.ask("create_sales_order", order, { [KEY]: "k1" });
    expect(answer).toMatchObject({
      order_id: "SO-0000069",
      created: true,
      status: "draft",
      order_date: erp.world.asOf,
      total_minor: 3 * 39_500 + 10 * 5_000,
      lines: 2,
      dry_run: false,
    });
    const costs = new Map([...erp.world.erp.items()].map((i) => [i.sku, i.unit_cost_minor]));
    const row = await erp.store.first<{ cost_usd_minor: number; total_usd_minor: number }>(
      "SELECT cost_usd_minor, total_usd_minor FROM erp_sales_orders WHERE id = 'SO-0000069'",
    );
    expect(row).toEqual({
      cost_usd_minor: 3 * costs.get("SKU-00001")! + 10 * costs.get("SKU-00002")!,
      total_usd_minor: 168_500,
    });
    const status = await erp.ask<{ orders: Array<{ lines: unknown[] }> }>("order_status", {
      order_ids: ["SO-0000069"],
    });
    expect(status.orders[0]?.lines).toEqual(order.lines);
  });

  it("returns the existing order with created: false when the deal already has one", async () => {
    const [shipped] = [...erp.world.erp.salesOrderBundles()];
    const again = await erp.ask("create_sales_order", {
      deal_id: shipped!.order.deal_id,
      account_id: shipped!.order.customer_id,
      currency: shipped!.order.currency,
      lines: shipped!.lines.map(({ sku, quantity, unit_price_minor }) => ({
        sku,
        quantity,
        net_unit_price_minor: unit_price_minor,
      })),
    });
    expect(again).toMatchObject({
      order_id: shipped!.order.id,
      created: false,
      status: "shipped",
      same_lines: true,
      changes: [],
    });
    const other = await erp.ask("create_sales_order", { ...order, deal_id: shipped!.order.deal_id });
    expect(other).toMatchObject({ created: false, same_lines: false });
    expect(await ordersOf(shipped!.order.deal_id)).toBe(1);
  });

  it("answers every one of 100 concurrent calls with different keys with the deal's one order", async () => {
    // Every call plans before any commits (what D1 or several instances allow), so 99 plans
    // insert an order the winner has just written; the kit plans those once more and they see it.
    const racing = await connectPackClient(pack, { store: holdBatches(erp.store, 100), budget: "error" });
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => racing.call("create_sales_order", order, { [KEY]: `race-${i}` })),
    );
    await racing.close();
    expect(await ordersOf(order.deal_id)).toBe(1);
    const lines = await erp.store.all("SELECT id FROM erp_sales_order_lines WHERE order_id = 'SO-0000069'");
    expect(lines).toHaveLength(2);
    expect(results.filter((r) => r.isError).map((r) => r._meta?.["toolpacks.dev/errorCode"])).toEqual([]);
    const answers = results.map((r) => r.structuredContent as { order_id: string; created: boolean });
    expect(answers.filter((a) => a.created)).toHaveLength(1);
    for (const a of answers) expect(a).toMatchObject({ order_id: "SO-0000069", same_lines: true });
    // Every key keeps the answer it got.
    const replay = await erp.client.call("create_sales_order", order, { [KEY]: "race-99" });
    expect(replay.structuredContent).toEqual(answers[99]);
  });

  it("replays the first answer for a retried key and writes nothing on a dry run", async () => {
    const dry = await erp.ask("create_sales_order", order, { "toolpacks.dev/dryRun": true });
    expect(dry).toMatchObject({ created: true, dry_run: true });
    expect((dry["changes"] as string[])[0]).toContain("SO-0000069");
    expect(await ordersOf(order.deal_id)).toBe(0);
    const first = await erp.ask("create_sales_order", order, { [KEY]: "same" });
    const retry = await erp.client.call("create_sales_order", order, { [KEY]: "same" });
    expect(retry.structuredContent).toEqual(first);
    expect(retry._meta?.["toolpacks.dev/replayed"]).toBe(true);
  });

  it("explains a currency that is not the customer's, an unknown SKU and a repeated SKU", async () => {
    const currency = await erp.fail("create_sales_order", { ...order, currency: "EUR" });
    expect(currency.code).toBe("currency_mismatch");
    expect(currency.text).toContain("USD");
    const sku = await erp.fail("create_sales_order", {
      ...order,
      lines: [{ sku: "SKU-99999", quantity: 1, net_unit_price_minor: 1 }],
    });
    expect(sku.code).toBe("unknown_sku");
    const repeated = await erp.fail("create_sales_order", {
      ...order,
      lines: [order.lines[0], order.lines[0]],
    });
    expect(repeated.code).toBe("duplicate_sku");
    const customer = await erp.fail("create_sales_order", { ...order, account_id: "C-999999" });
    expect(customer.code).toBe("deal_account_mismatch");
    expect(customer.text).toContain("C-000001");
    const negative = await erp.fail("create_sales_order", {
      ...order,
      lines: [{ sku: "SKU-00001", quantity: -1, net_unit_price_minor: 1 }],
    });
    expect(negative.code).toBe("invalid_arguments");
    expect(await ordersOf(order.deal_id)).toBe(0);
  });
});

describe("create_sales_order checks the deal against the CRM's deals", () => {
  it("refuses a deal id the CRM does not have, a lost deal, and another account's deal, writing nothing", async () => {
    const before = await erp.store.first<{ n: number }>("SELECT COUNT(*) AS n FROM erp_sales_orders");
    const missing = await erp.fail("create_sales_order", { ...order, deal_id: "D-8000001" });
    expect(missing.code).toBe("unknown_deal");
    expect(missing.text).toContain("D-8000001");
    const lost = [...erp.world.crm.deals()].find(
      (d) => d.stage === "closed_lost" && d.account_id === "C-000001",
    )!;
    expect((await erp.fail("create_sales_order", { ...order, deal_id: lost.id })).code).toBe("unknown_deal");
    const ordered = new Set([...erp.world.erp.salesOrders()].map((o) => o.deal_id));
    const other = [...erp.world.crm.deals()].find(
      (d) => d.stage !== "closed_lost" && d.account_id !== "C-000001" && !ordered.has(d.id),
    )!;
    const mismatch = await erp.fail("create_sales_order", { ...order, deal_id: other.id });
    expect(mismatch.code).toBe("deal_account_mismatch");
    expect(mismatch.text).toContain(other.account_id);
    const after = await erp.store.first<{ n: number }>("SELECT COUNT(*) AS n FROM erp_sales_orders");
    expect(after).toEqual(before);
  });

  it("accepts an open deal's order (the CRM may win it after the ERP was seeded)", async () => {
    const open = [...erp.world.crm.deals()].find((d) => d.stage === "negotiation" && d.currency === "USD")!;
    const answer = await erp.ask("create_sales_order", {
      ...order,
      deal_id: open.id,
      account_id: open.account_id,
    });
    expect(answer).toMatchObject({ created: true, order_id: `SO-${open.id.slice(2)}` });
  });

  it("says how to recover on a store seeded before deals were replicated", async () => {
    await erp.store.run("DELETE FROM erp_deals");
    expect((await erp.fail("create_sales_order", order)).code).toBe("no_deal_directory");
    expect(await ordersOf(order.deal_id)).toBe(0);
  });
});

describe("the unique deal constraint", () => {
  it("rejects the second of two plans made before either was written", async () => {
    const { createSalesOrder } = await import("./create_sales_order.js");
    const { readOnlyView } = await import("@toolpacks/pack-kit");
    const context = {
      store: readOnlyView(erp.store),
      asOf: erp.world.asOf,
      principal: undefined,
      signal: new AbortController().signal,
    };
    const first = await createSalesOrder.handler(order, context);
    const second = await createSalesOrder.handler({ ...order, lines: [order.lines[0]!] }, context);
    await erp.store.batch(first.writes);
    // SQLite: "UNIQUE constraint failed"; Postgres: "violates unique constraint".
    await expect(erp.store.batch(second.writes)).rejects.toThrow(
      /UNIQUE constraint failed|violates unique constraint/,
    );
    expect(await ordersOf(order.deal_id)).toBe(1);
  });
});
