import {
  type RetryOptions,
  readCursors,
  runSync,
  type Store,
  SyncError,
  syncStatusTool,
} from "@toolpacks/pack-kit";
import { openSqliteStore } from "@toolpacks/pack-kit/node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pack } from "../../../pack.js";
import { type FakeShopify, startFakeShopify } from "../../../testing/fake-shopify.js";
import { createShopifyGraphql } from "./client.js";
import { shopifySource } from "./source.js";
import { shopifySync } from "./spec.js";

let fake: FakeShopify;
let store: Store;
let waits: number[];

beforeEach(async () => {
  fake = await startFakeShopify();
  store = openSqliteStore();
  waits = [];
});
afterEach(async () => {
  await fake.close();
  await store.close();
});

/** A source over the fake; every wait (retries, throttling, polls) is recorded, never slept. */
function source(retry: RetryOptions = {}, pageSize = 4) {
  const sleep = async (ms: number) => void waits.push(ms);
  const shopify = createShopifyGraphql({
    storeDomain: fake.shop,
    accessToken: fake.token,
    baseUrl: fake.url,
    retry: { sleep, ...retry },
  });
  return shopifySource(shopify, { pageSize, pollMs: 10, sleep, overlapMs: 0 });
}

/** Two locations, 9 variants (one without SKU), stock at one or both. */
function fillShop() {
  fake.addLocation("Berlin DC", { city: "Berlin", country: "DE" });
  fake.addLocation("Austin", { city: "Austin", country: "US" });
  for (let i = 0; i < 9; i++) {
    fake.addVariant({
      sku: i === 4 ? null : `SKU-${String(i).padStart(3, "0")}`,
      product: `Widget ${i}`,
      options: i % 2 ? ["Red", "L"] : [],
      cost: i === 7 ? null : `${i + 1}.25`,
      stock: i % 3 === 0 ? { "Berlin DC": 10 + i, Austin: i } : { "Berlin DC": 5 },
    });
  }
  fake.setQuantity("SKU-000", "Berlin DC", "committed", 3);
  fake.setQuantity("SKU-000", "Berlin DC", "damaged", 1);
}

const all = async (sql: string) => store.all(sql);
const snapshot = async (s: Store = store) => ({
  locations: await s.all("SELECT id, name, city, country, source_id FROM wh_locations ORDER BY id"),
  items: await s.all(
    "SELECT sku, name, category, unit_cost_minor, currency, source_id FROM wh_items ORDER BY sku",
  ),
  stock: await s.all(
    "SELECT sku, location_id, on_hand, reserved, reorder_point FROM wh_stock ORDER BY sku, location_id",
  ),
});
const ops = () => fake.requests.map((r) => r.operation);

describe("Shopify sync: first load through a bulk operation", () => {
  it("runs one bulk query, polls it to COMPLETED, streams its JSONL and lands each record once", async () => {
    fillShop();
    const report = await runSync(store, pack, source());
    expect(report.rejected).toBe(0);
    expect(ops().filter((o) => o === "ToolpacksBulkRun")).toHaveLength(1);
    expect(ops().filter((o) => o === "ToolpacksBulkPoll")).toHaveLength(2);
    expect(ops().filter((o) => o.startsWith("GET /bulk/"))).toHaveLength(1);
    const { locations, items, stock } = await snapshot();
    expect(locations).toEqual([
      {
        id: "Austin",
        name: "Austin",
        city: "Austin",
        country: "US",
        source_id: expect.stringMatching(/^gid:\/\/shopify\/Location\//),
      },
      { id: "Berlin DC", name: "Berlin DC", city: "Berlin", country: "DE", source_id: expect.any(String) },
    ]);
    // The variant without SKU is not an item; names carry option values as the CSV import does.
    expect(items).toHaveLength(8);
    expect(items[1]).toMatchObject({
      sku: "SKU-001",
      name: "Widget 1 - Red / L",
      unit_cost_minor: 225,
      currency: "USD",
    });
    expect(items.find((i) => (i as { sku: string }).sku === "SKU-007")).toMatchObject({ unit_cost_minor: 0 });
    // on hand = available + committed + unavailable; reserved = committed + unavailable.
    expect(stock[0]).toEqual({
      sku: "SKU-000",
      location_id: "Austin",
      on_hand: 0,
      reserved: 0,
      reorder_point: 1,
    });
    expect(stock[1]).toEqual({
      sku: "SKU-000",
      location_id: "Berlin DC",
      on_hand: 14,
      reserved: 4,
      reorder_point: 1,
    });
    expect(stock).toHaveLength(8 + 3);
    expect((await readCursors(store, "warehouse", "shopify")).get("bulk")).toBe("done");
  });

  it("a bulk operation that ends FAILED is bulk_failed, recorded for sync_status; the next run starts a new one", async () => {
    fillShop();
    fake.failNextBulk("INTERNAL_SERVER_ERROR");
    const error = await runSync(store, pack, source()).catch((e) => e);
    expect(error).toBeInstanceOf(SyncError);
    expect(error.code).toBe("bulk_failed");
    expect(error.message).toContain("FAILED (INTERNAL_SERVER_ERROR)");
    const status = await syncStatusTool("warehouse").handler(
      {},
      { store, asOf: "2026-12-02", principal: undefined, signal: new AbortController().signal },
    );
    expect(status.systems[0]?.last_error?.code).toBe("bulk_failed");
    expect(await all("SELECT sku FROM wh_items")).toEqual([]);
    await runSync(store, pack, source());
    expect(ops().filter((o) => o === "ToolpacksBulkRun")).toHaveLength(2);
    expect((await snapshot()).items).toHaveLength(8);
  });

  it("a crash mid-stream resumes the same bulk operation after the last committed line: no dupes, no gaps", async () => {
    fillShop();
    let pages = 0;
    const stop = new AbortController();
    await expect(
      runSync(store, pack, source(), {
        signal: stop.signal,
        onPage: (p) => {
          if (p.stream === "bulk" && p.rows > 0 && ++pages === 2) stop.abort(new Error("killed"));
        },
      }),
    ).rejects.toThrow();
    const cursor = JSON.parse((await readCursors(store, "warehouse", "shopify")).get("bulk") ?? "{}");
    expect(cursor.line).toBe(8);
    const partial = await all("SELECT sku FROM wh_items");
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(8);
    // Something changes in the shop before the resume: it arrives as an increment.
    fake.setQuantity("SKU-008", "Berlin DC", "available", 77);
    const resume = await runSync(store, pack, source());
    // The committed lines are not read into the store again: every remaining item is new.
    expect(resume.tables.find((t) => t.table === "wh_items")).toMatchObject({
      inserted: 8 - partial.length,
      unchanged: 0,
    });
    // The resume polled the same operation: still one bulk query in all.
    expect(ops().filter((o) => o === "ToolpacksBulkRun")).toHaveLength(1);
    const resumed = await snapshot();
    const clean = openSqliteStore();
    await runSync(clean, pack, source());
    expect(resumed).toEqual(await snapshot(clean));
    expect(resumed.stock.find((s) => (s as { sku: string }).sku === "SKU-008")).toMatchObject({
      on_hand: 77,
    });
    await clean.close();
  });
});

describe("Shopify sync: increments", () => {
  it("reads only variants and levels updated since the last pass, page by page, and applies them", async () => {
    fillShop();
    await runSync(store, pack, source());
    const before = fake.requests.length;
    fake.renameProduct("SKU-002", "Sprocket");
    fake.setQuantity("SKU-003", "Austin", "available", 40);
    fake.setQuantity("SKU-005", "Berlin DC", "reserved", 2);
    fake.addVariant({ sku: "SKU-NEW", stock: { Austin: 6 } });
    const report = await runSync(store, pack, source());
    const requests = fake.requests.slice(before);
    expect(requests.some((r) => r.operation.startsWith("ToolpacksBulk"))).toBe(false);
    const filters = requests
      .filter((r) => r.operation === "ToolpacksVariantsSince")
      .map((r) => r.variables["query"]);
    expect(filters[0]).toMatch(/^updated_at:>='\d{4}-\d{2}-\d{2}T/);
    expect(report.inserted).toBe(2);
    expect(await store.first("SELECT name FROM wh_items WHERE sku = 'SKU-002'")).toEqual({
      name: "Sprocket",
    });
    expect(
      await store.first("SELECT on_hand FROM wh_stock WHERE sku = 'SKU-003' AND location_id = 'Austin'"),
    ).toEqual({ on_hand: 40 });
    expect(await store.first("SELECT on_hand, reserved FROM wh_stock WHERE sku = 'SKU-005'")).toEqual({
      on_hand: 7,
      reserved: 2,
    });
    // Nothing new: nothing changed (the locations are listed again, unchanged).
    expect(await runSync(store, pack, source())).toMatchObject({ inserted: 0, updated: 0 });
  });

  it("pages through more changed records than a page holds, following endCursor", async () => {
    fillShop();
    await runSync(store, pack, source());
    for (let i = 0; i < 9; i++)
      if (i !== 4) fake.renameProduct(`SKU-${String(i).padStart(3, "0")}`, `Renamed ${i}`);
    const before = fake.requests.length;
    await runSync(store, pack, source());
    const pagesRead = fake.requests.slice(before).filter((r) => r.operation === "ToolpacksVariantsSince");
    expect(pagesRead.length).toBe(2);
    expect(pagesRead[1]?.variables["after"]).toEqual(expect.any(String));
    expect(await all("SELECT name FROM wh_items WHERE name LIKE 'Renamed%'")).toHaveLength(8);
  });

  it("a reorder point set in the pack survives later syncs", async () => {
    fillShop();
    await runSync(store, pack, source());
    await store.run("UPDATE wh_stock SET reorder_point = 9 WHERE sku = 'SKU-001'");
    fake.setQuantity("SKU-001", "Berlin DC", "available", 2);
    await runSync(store, pack, source());
    expect(await store.first("SELECT on_hand, reorder_point FROM wh_stock WHERE sku = 'SKU-001'")).toEqual({
      on_hand: 2,
      reorder_point: 9,
    });
  });
});

describe("Shopify sync: a busy or failing API", () => {
  it("THROTTLED (HTTP 200) waits for the cost bucket to refill as throttleStatus says, then carries on", async () => {
    fillShop();
    fake.fail(2, "THROTTLED", { match: /ToolpacksLocations/ });
    const report = await runSync(store, pack, source());
    expect(report.rejected).toBe(0);
    // 12 requested, 2 available, 100 restored a second: 0.1 s, at least Shopify's 1 s step.
    expect(waits.slice(0, 2)).toEqual([1000, 1000]);
    expect((await snapshot()).items).toHaveLength(8);
  });

  it("backs off on 5xx, retries 429 after Retry-After, and past the bound fails source_unavailable", async () => {
    fillShop();
    fake.fail(1, 429, { match: /ToolpacksBulkPoll/, headers: { "retry-after": "2" } });
    fake.fail(2, 503, { match: /ToolpacksLocations/ });
    await runSync(store, pack, source({ random: () => 0.5, baseDelayMs: 100 }));
    expect(waits).toContain(2000);
    expect(waits.slice(0, 2)).toEqual([50, 100]);
    const other = openSqliteStore();
    fake.fail(10, 502, { match: /ToolpacksLocations/ });
    const error = await runSync(other, pack, source({ maxRetries: 2 })).catch((e) => e);
    expect(error).toMatchObject({ code: "source_unavailable" });
    await other.close();
  });

  it("never sends a plain mutation twice: a 503 on bulkOperationRunQuery fails the run after one request", async () => {
    fillShop();
    fake.fail(1, 503, { match: /ToolpacksBulkRun/ });
    const error = await runSync(store, pack, source()).catch((e) => e);
    expect(error).toMatchObject({ code: "source_unavailable" });
    expect(ops().filter((o) => o === "ToolpacksBulkRun")).toHaveLength(1);
    // Queries around it are retried as usual; the next run starts the bulk export.
    await runSync(store, pack, source());
    expect((await snapshot()).items).toHaveLength(8);
  });

  it("a revoked token (401) fails at once, names SHOPIFY_ACCESS_TOKEN and never shows the token", async () => {
    fillShop();
    fake.revokeToken();
    const error = await runSync(store, pack, source()).catch((e) => e);
    expect(error).toMatchObject({ code: "credential_rejected" });
    expect(error.message).toContain("SHOPIFY_ACCESS_TOKEN");
    expect(error.message).not.toContain(fake.token);
    expect(waits).toEqual([]);
  });

  it("without SHOPIFY_ACCESS_TOKEN or SHOPIFY_STORE_DOMAIN the source is not even built", () => {
    expect(() => shopifySync.create({ env: { SHOPIFY_STORE_DOMAIN: fake.shop }, baseUrl: fake.url })).toThrow(
      /SHOPIFY_ACCESS_TOKEN is not set/,
    );
    expect(() => shopifySync.create({ env: { SHOPIFY_ACCESS_TOKEN: "shpat_x" }, baseUrl: fake.url })).toThrow(
      /SHOPIFY_STORE_DOMAIN is not set/,
    );
    expect(() =>
      shopifySync.create({
        env: { SHOPIFY_ACCESS_TOKEN: "shpat_x", SHOPIFY_STORE_DOMAIN: fake.shop },
        baseUrl: "ftp://x",
      }),
    ).toThrow(/--base-url must be an http/);
  });
});
