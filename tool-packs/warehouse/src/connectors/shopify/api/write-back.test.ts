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
import { openSqliteStore } from "@toolpacks/pack-kit/node";
import { connectPackClient, type PackClient } from "@toolpacks/pack-kit/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pack } from "../../../pack.js";
import { type FakeShopify, startFakeShopify } from "../../../testing/fake-shopify.js";
import { createShopifyGraphql } from "./client.js";
import { shopifySource } from "./source.js";

let fake: FakeShopify;
let store: Store;
let client: PackClient;

/** Syncs a small shop, then serves the pack writing back through `retry`'s client. */
async function serve(retry: RetryOptions = {}) {
  const shopify = createShopifyGraphql({
    storeDomain: fake.shop,
    accessToken: fake.token,
    baseUrl: fake.url,
    retry: { sleep: async () => {}, ...retry },
  });
  const source = shopifySource(shopify, { pollMs: 1, sleep: async () => {} });
  await runSync(store, pack, source);
  client = await connectPackClient(pack, { store, budget: "error", writeBack: source.push });
}

beforeEach(async () => {
  fake = await startFakeShopify();
  store = openSqliteStore();
  fake.addLocation("Berlin DC");
  fake.addLocation("Austin");
  fake.addVariant({ sku: "BOLT-1", stock: { "Berlin DC": 10, Austin: 4 } });
  fake.addVariant({ sku: "NUT-'2'", stock: { "Berlin DC": 6 } });
  fake.addVariant({ sku: "BOLT-10", stock: { Austin: 50 } });
});
afterEach(async () => {
  await client?.close();
  await fake.close();
  await store.close();
});

const reserve = (order: string, lines: Array<{ sku: string; quantity: number }>) => ({
  order_id: order,
  lines,
});
const writes = () =>
  fake.requests.filter((r) => r.operation === "ToolpacksMove" || r.operation === "ToolpacksAdjust");
const local = async (sku: string, location: string) =>
  store.first<{ on_hand: number; reserved: number }>(
    "SELECT on_hand, reserved FROM wh_stock WHERE sku = ? AND location_id = ?",
    [sku, location],
  );
const codeOf = (result: Awaited<ReturnType<PackClient["call"]>>) =>
  (result._meta as Record<string, unknown> | undefined)?.[ERROR_CODE_META];
const textOf = (result: Awaited<ReturnType<PackClient["call"]>>) =>
  (result.content as Array<{ text: string }>)[0]?.text ?? "";

describe("write-back to Shopify", () => {
  it("reserves in Shopify first (available -> reserved, keyed by the runtime's key), then records it", async () => {
    await serve();
    const result = await client.call(
      "reserve_stock",
      reserve("SO-0000001", [
        { sku: "BOLT-1", quantity: 3 },
        { sku: "NUT-'2'", quantity: 2 },
      ]),
      {
        [IDEMPOTENCY_KEY_META]: "run-1:call-1",
      },
    );
    expect(result.isError).toBeFalsy();
    expect(writes().map((w) => [w.operation, w.idempotencyKey])).toEqual([["ToolpacksMove", "run-1:call-1"]]);
    expect(fake.quantity("BOLT-1", "Berlin DC", "available")).toBe(7);
    expect(fake.quantity("BOLT-1", "Berlin DC", "reserved")).toBe(3);
    expect(fake.quantity("NUT-'2'", "Berlin DC", "reserved")).toBe(2);
    expect(await local("BOLT-1", "Berlin DC")).toEqual({ on_hand: 10, reserved: 3 });
    // The next sync reads Shopify's counts back: the same numbers, nothing changes.
    const again = await runSync(
      store,
      pack,
      shopifySource(
        createShopifyGraphql({ storeDomain: fake.shop, accessToken: fake.token, baseUrl: fake.url }),
        { overlapMs: 0 },
      ),
    );
    expect(again.updated).toBe(0);
    // Shipping takes the units out of reserved (so out of on hand), release would give them back.
    const shipped = await client.call(
      "create_shipment",
      { order_id: "SO-0000001" },
      { [IDEMPOTENCY_KEY_META]: "ship-1" },
    );
    expect(shipped.isError).toBeFalsy();
    expect(fake.quantity("BOLT-1", "Berlin DC", "on_hand")).toBe(7);
    expect(fake.quantity("BOLT-1", "Berlin DC", "reserved")).toBe(0);
    expect(await local("BOLT-1", "Berlin DC")).toEqual({ on_hand: 7, reserved: 0 });
  });

  it("release moves the units back to available in Shopify", async () => {
    await serve();
    await client.call("reserve_stock", reserve("SO-0000002", [{ sku: "BOLT-10", quantity: 20 }]));
    const released = await client.call(
      "release_reservation",
      { order_id: "SO-0000002" },
      { [IDEMPOTENCY_KEY_META]: "rel-1" },
    );
    expect(released.isError).toBeFalsy();
    expect(fake.quantity("BOLT-10", "Austin", "available")).toBe(50);
    expect(fake.quantity("BOLT-10", "Austin", "reserved")).toBe(0);
    expect(await local("BOLT-10", "Austin")).toEqual({ on_hand: 50, reserved: 0 });
  });

  it("a mutation that timed out after Shopify applied it is applied once when retried with the same key", async () => {
    await serve({ maxRetries: 0, attemptTimeoutMs: 1_500 });
    fake.answerNextWriteAfter(60_000);
    const meta = { [IDEMPOTENCY_KEY_META]: "run-2:call-7" };
    const args = reserve("SO-0000003", [{ sku: "BOLT-1", quantity: 4 }]);
    const first = await client.call("reserve_stock", args, meta);
    expect(first.isError).toBe(true);
    expect(codeOf(first)).toBe("source_unavailable");
    expect(textOf(first)).toContain("same idempotency key");
    // Shopify applied it; the store did not record it.
    expect(fake.applied).toBe(1);
    expect(await local("BOLT-1", "Berlin DC")).toEqual({ on_hand: 10, reserved: 0 });
    const retry = await client.call("reserve_stock", args, meta);
    expect(retry.isError).toBeFalsy();
    expect(fake.applied).toBe(1);
    expect(fake.quantity("BOLT-1", "Berlin DC", "reserved")).toBe(4);
    expect(await local("BOLT-1", "Berlin DC")).toEqual({ on_hand: 10, reserved: 4 });
    // A third try is answered from the store's idempotency record: Shopify is not asked again.
    const before = writes().length;
    const third = await client.call("reserve_stock", args, meta);
    expect((third._meta as Record<string, unknown>)[REPLAYED_META]).toBe(true);
    expect(writes()).toHaveLength(before);
  });

  it("retries a timed-out mutation inside one call with the same key: applied once", async () => {
    await serve({ maxRetries: 2, attemptTimeoutMs: 1_500 });
    fake.answerNextWriteAfter(60_000);
    const result = await client.call(
      "reserve_stock",
      reserve("SO-0000004", [{ sku: "BOLT-1", quantity: 1 }]),
      {
        [IDEMPOTENCY_KEY_META]: "k-inside",
      },
    );
    expect(result.isError).toBeFalsy();
    expect(writes().length).toBeGreaterThanOrEqual(2);
    expect(new Set(writes().map((w) => w.idempotencyKey))).toEqual(new Set(["k-inside"]));
    expect(fake.applied).toBe(1);
    expect(fake.quantity("BOLT-1", "Berlin DC", "reserved")).toBe(1);
  });

  it("userErrors refuse the write with Shopify's message and change nothing locally", async () => {
    await serve();
    // Sold in Shopify after the last sync: the store still thinks 10 are available.
    fake.setQuantity("BOLT-1", "Berlin DC", "available", 1);
    const before = await store.all("SELECT * FROM wh_stock ORDER BY sku, location_id");
    const result = await client.call(
      "reserve_stock",
      reserve("SO-0000005", [{ sku: "BOLT-1", quantity: 5 }]),
      {
        [IDEMPOTENCY_KEY_META]: "k-short",
      },
    );
    expect(result.isError).toBe(true);
    expect(codeOf(result)).toBe("source_refused");
    expect(textOf(result)).toContain("not enough available inventory");
    expect(textOf(result)).toContain("Nothing was written to the store");
    expect(await store.all("SELECT * FROM wh_stock ORDER BY sku, location_id")).toEqual(before);
    expect(await store.all("SELECT * FROM wh_reservations")).toEqual([]);
    expect(fake.applied).toBe(0);
  });

  it("a SKU Shopify does not have (only a longer one matches its search) is refused before any mutation", async () => {
    await serve();
    await store.run(
      "INSERT INTO wh_items (sku, name, category, unit_cost_minor, currency) VALUES ('BOLT', 'Bolt', 'Parts', 1, 'USD')",
    );
    await store.run(
      "INSERT INTO wh_stock (sku, location_id, on_hand, reserved, reorder_point) VALUES ('BOLT', 'Austin', 5, 0, 1)",
    );
    const result = await client.call("reserve_stock", reserve("SO-0000006", [{ sku: "BOLT", quantity: 1 }]));
    expect(codeOf(result)).toBe("source_refused");
    expect(textOf(result)).toContain("no variant with SKU BOLT");
    expect(writes()).toEqual([]);
  });

  it("a dry run never calls a Shopify mutation", async () => {
    await serve();
    const result = await client.call(
      "reserve_stock",
      reserve("SO-0000007", [{ sku: "BOLT-1", quantity: 1 }]),
      {
        [DRY_RUN_META]: true,
      },
    );
    expect(result.isError).toBeFalsy();
    expect(writes()).toEqual([]);
    expect(fake.requests.some((r) => r.operation === "ToolpacksItemsBySku")).toBe(false);
    expect(await local("BOLT-1", "Berlin DC")).toEqual({ on_hand: 10, reserved: 0 });
  });

  it("a synced store served without SHOPIFY_ACCESS_TOKEN refuses writes, naming the variable", async () => {
    await serve();
    await client.close();
    const writeBack = await writeBackFor(store, pack, { SHOPIFY_STORE_DOMAIN: fake.shop });
    expect(writeBack).toBeDefined();
    client = await connectPackClient(pack, { store, budget: "error", ...(writeBack ? { writeBack } : {}) });
    const result = await client.call(
      "reserve_stock",
      reserve("SO-0000008", [{ sku: "BOLT-1", quantity: 1 }]),
    );
    expect(codeOf(result)).toBe("credential_missing");
    expect(textOf(result)).toContain("SHOPIFY_ACCESS_TOKEN");
    expect(await store.all("SELECT * FROM wh_reservations")).toEqual([]);
    expect(writes()).toEqual([]);
  });
});
