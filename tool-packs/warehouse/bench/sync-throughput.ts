import { runSync, type SyncReport } from "@toolpacks/pack-kit";
import { openSqliteStore } from "@toolpacks/pack-kit/node";
import { createShopifyGraphql } from "../src/connectors/shopify/api/client.js";
import { shopifySource } from "../src/connectors/shopify/api/source.js";
import { pack } from "../src/pack.js";
import { startFakeShopify } from "../src/testing/fake-shopify.js";

/** One timed sync run against the fake. */
export interface ShopifySyncRunFigure {
  /** Rows written (inserted + updated) and left unchanged. */
  rows: number;
  /** Shopify records the run read (locations, variants, inventory levels). */
  objects: number;
  /** GraphQL requests plus bulk file downloads. */
  requests: number;
  ms: number;
  /** Shopify records read per second, end to end (HTTP, JSONL streaming, mapping, SQLite commits). */
  objectsPerSecond: number;
}

/** First-load and incremental sync throughput of the warehouse pack against the local fake Shopify. */
export interface ShopifySyncThroughput {
  variants: number;
  locations: number;
  firstLoad: ShopifySyncRunFigure;
  incremental: ShopifySyncRunFigure;
}

/**
 * Measures `sync shopify` against a local fake Admin API holding `variants` variants stocked at
 * each of `locations` locations: the first load through one bulk operation (polled once, its
 * JSONL streamed), then `changes` changes (quantities at a location, one in four a renamed
 * product) read through `updated_at` queries. In-memory SQLite; the fake answers on loopback
 * and never throttles, so this is the pack's cost, not Shopify's latency or its cost budget.
 */
export async function measureShopifySync(
  options: { variants?: number; locations?: number; changes?: number } = {},
): Promise<ShopifySyncThroughput> {
  const variants = options.variants ?? 3_000;
  const locationCount = options.locations ?? 3;
  const changes = options.changes ?? 500;
  const fake = await startFakeShopify();
  fake.pollsToComplete = 1;
  const store = openSqliteStore();
  try {
    const names = Array.from({ length: locationCount }, (_, i) => fake.addLocation(`Location ${i + 1}`).name);
    const skus: string[] = [];
    for (let i = 0; i < variants; i++) {
      const sku = `SKU-${String(i).padStart(6, "0")}`;
      skus.push(sku);
      fake.addVariant({
        sku,
        product: `Product ${Math.floor(i / 3)}`,
        options: [["S", "M", "L"][i % 3] as string],
        cost: `${(i % 90) + 1}.50`,
        stock: Object.fromEntries(names.map((n, j) => [n, (i * 7 + j) % 40])),
      });
    }
    const source = shopifySource(
      createShopifyGraphql({ storeDomain: fake.shop, accessToken: fake.token, baseUrl: fake.url }),
      { pollMs: 1, overlapMs: 0 },
    );
    const run = async (objects: number): Promise<ShopifySyncRunFigure> => {
      const before = fake.requests.length;
      const started = performance.now();
      const report: SyncReport = await runSync(store, pack, source);
      const ms = performance.now() - started;
      return {
        rows: report.inserted + report.updated + report.unchanged,
        objects,
        requests: fake.requests.length - before,
        ms,
        objectsPerSecond: objects / (ms / 1000),
      };
    };
    const firstLoad = await run(locationCount + variants * (1 + locationCount));
    for (let i = 0; i < changes; i++) {
      const sku = skus[(i * 13) % skus.length] as string;
      if (i % 4 === 0) fake.renameProduct(sku, `Renamed ${i}`);
      else fake.setQuantity(sku, names[i % names.length] as string, "available", 100 + i);
    }
    // Every run lists the locations again; changed levels and variants come from the queries.
    const incremental = await run(locationCount + changes);
    return { variants, locations: locationCount, firstLoad, incremental };
  } finally {
    await store.close();
    await fake.close();
  }
}
