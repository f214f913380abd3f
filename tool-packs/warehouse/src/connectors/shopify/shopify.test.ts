import { readFileSync } from "node:fs";
import {
  type ImportReport,
  importMappingSchema,
  runImport,
  type SourceFile,
  type Store,
} from "@toolpacks/pack-kit";
import { openSqliteStore } from "@toolpacks/pack-kit/node";
import { openSeededClient, type SeededClient, snapshotStore } from "@toolpacks/pack-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pack } from "../../pack.js";
import { type ShopifyFixture, shopifyFixture } from "./fixtures/generate.js";
import { shopifyConnector } from "./index.js";

const AS_OF = "2026-11-30";
const NAMES = ["products_export_1.csv", "inventory_export_1.csv"];
const WORLD = { scale: 10_000, seed: 7 };

function exportFiles(names = NAMES): SourceFile[] {
  return names.map((name) => ({
    name,
    text: readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8"),
  }));
}

/** Valuation computed straight from the fixture's values: items with a SKU, stock rows with units. */
function expectedValuation(f: ShopifyFixture) {
  const cost = new Map<string, { cost: number; category: string }>();
  for (const p of f.products) {
    for (const v of p.variants)
      if (v.sku) cost.set(v.sku, { cost: v.cost ?? 0, category: p.type || "Uncategorized" });
  }
  const byLocation = new Map<string, { units: number; value_usd_minor: number }>();
  const byCategory = new Map<string, { units: number; value_usd_minor: number }>();
  const skus = new Set<string>();
  let reserved = 0;
  for (const l of f.levels) {
    if (!l.sku || l.onHand <= 0) continue;
    const item = cost.get(l.sku) as { cost: number; category: string };
    skus.add(l.sku);
    reserved += l.committed + l.unavailable;
    for (const [map, key] of [
      [byLocation, l.location],
      [byCategory, item.category],
    ] as const) {
      const row = map.get(key) ?? { units: 0, value_usd_minor: 0 };
      row.units += l.onHand;
      row.value_usd_minor += l.onHand * item.cost;
      map.set(key, row);
    }
  }
  return { byLocation, byCategory, skus: skus.size, reserved };
}

const fixture = shopifyFixture();

describe("shopify import: answers on imported data equal aggregates of the export rows", () => {
  let store: Store;
  let warehouse: SeededClient;
  let report: ImportReport;

  beforeAll(async () => {
    store = openSqliteStore(":memory:");
    report = await runImport(store, pack, shopifyConnector, exportFiles(), undefined, { asOf: AS_OF });
    warehouse = await openSeededClient(pack, WORLD, { store });
  });
  afterAll(async () => {
    await warehouse?.close();
    await store?.close();
  });

  it("loads every variant with a SKU, every stocked level and the locations, rejecting none", () => {
    expect(report.rejections).toEqual([]);
    const inserted = Object.fromEntries(report.tables.map((t) => [t.table, t.inserted]));
    expect(inserted.wh_items).toBe(fixture.products.flatMap((p) => p.variants).filter((v) => v.sku).length);
    expect(inserted.wh_stock).toBe(fixture.levels.filter((l) => l.sku).length);
    expect(inserted.wh_locations).toBe(fixture.locations.length);
  });

  it("inventory_valuation: units and value per location and category, SKUs, reserved units", async () => {
    const want = expectedValuation(fixture);
    const got = await warehouse.ask<{
      as_of: string;
      totals: { distinct_skus: number; reserved_units: number; value_usd_minor: number };
      by_location: Array<{ location_id: string; units: number; value_usd_minor: number }>;
      by_category: Array<{ category: string; units: number; value_usd_minor: number }>;
    }>("inventory_valuation");
    expect(got.as_of).toBe(AS_OF);
    expect(got.totals.distinct_skus).toBe(want.skus);
    expect(got.totals.reserved_units).toBe(want.reserved);
    expect(Object.fromEntries(got.by_location.map(({ location_id, ...v }) => [location_id, v]))).toEqual(
      Object.fromEntries(want.byLocation),
    );
    expect(Object.fromEntries(got.by_category.map(({ category, ...v }) => [category, v]))).toEqual(
      Object.fromEntries(want.byCategory),
    );
  });

  it("inventory_valuation filters by an imported location name (ids as Shopify writes them)", async () => {
    const location = "Leeds Fulfilment, Unit 4";
    const got = await warehouse.ask<{ totals: { units: number } }>("inventory_valuation", {
      location_id: location,
    });
    expect(got.totals.units).toBe(expectedValuation(fixture).byLocation.get(location)?.units);
  });

  it("low_stock: every stocked level with nothing available, per location", async () => {
    const got = await warehouse.ask<{
      totals: { below_reorder_point: number; out_of_stock: number };
      by_location: Array<{ location_id: string; out_of_stock: number }>;
    }>("low_stock");
    const soldOut = fixture.levels.filter((l) => l.sku && l.available <= 0);
    expect(got.totals.out_of_stock).toBe(soldOut.length);
    expect(got.totals.below_reorder_point).toBe(soldOut.length);
    const perLocation = new Map<string, number>();
    for (const l of soldOut) perLocation.set(l.location, (perLocation.get(l.location) ?? 0) + 1);
    expect(Object.fromEntries(got.by_location.map((r) => [r.location_id, r.out_of_stock]))).toEqual(
      Object.fromEntries(perLocation),
    );
  });

  it("available_to_promise answers for an imported SKU: Shopify's Available, summed over locations", async () => {
    const level = fixture.levels.find((l) => l.sku && l.available > 0);
    const sku = level?.sku as string;
    const got = await warehouse.ask<{ lines: Array<{ sku: string; available: number; can_serve: boolean }> }>(
      "available_to_promise",
      { lines: [{ sku, quantity: 1 }] },
    );
    const total = fixture.levels.filter((l) => l.sku === sku).reduce((n, l) => n + l.available, 0);
    expect(got.lines).toMatchObject([{ sku, available: total, can_serve: true }]);
  });

  it("importing the same exports again changes nothing", async () => {
    const settle = () => store.run("UPDATE _provenance SET last_import_at = 'x'");
    await settle();
    const before = await snapshotStore(store);
    const again = await runImport(store, pack, shopifyConnector, exportFiles(), undefined, { asOf: AS_OF });
    expect(again.inserted + again.updated + again.rejected).toBe(0);
    await settle();
    expect(await snapshotStore(store)).toBe(before);
  });
});

describe("shopify import: dry runs, inventory alone, rejected rows", () => {
  it("--dry-run reports what would load and writes nothing", async () => {
    const store = openSqliteStore(":memory:");
    try {
      const dry = await runImport(store, pack, shopifyConnector, exportFiles(), undefined, {
        asOf: AS_OF,
        dryRun: true,
      });
      expect(dry.inserted).toBeGreaterThan(500);
      const row = await store.first<{ n: number }>(
        "SELECT (SELECT COUNT(*) FROM wh_items) + (SELECT COUNT(*) FROM wh_stock) AS n",
      );
      expect(row?.n).toBe(0);
    } finally {
      await store.close();
    }
  });

  it("an inventory export alone loads with placeholder items, which the products export then fills", async () => {
    const store = openSqliteStore(":memory:");
    try {
      await runImport(store, pack, shopifyConnector, exportFiles(["inventory_export_1.csv"]), undefined, {
        asOf: AS_OF,
      });
      const before = await store.first<{ n: number }>(
        "SELECT COUNT(*) AS n FROM wh_items WHERE unit_cost_minor > 0",
      );
      expect(before?.n).toBe(0);
      const later = await runImport(
        store,
        pack,
        shopifyConnector,
        exportFiles(["products_export_1.csv"]),
        undefined,
        { asOf: AS_OF },
      );
      expect(later.tables.find((t) => t.table === "wh_items")?.updated).toBeGreaterThan(200);
      const after = await store.first<{ n: number }>(
        "SELECT COUNT(*) AS n FROM wh_items WHERE unit_cost_minor > 0",
      );
      expect(after?.n).toBeGreaterThan(200);
    } finally {
      await store.close();
    }
  });

  it("a mapping file's defaults set the store's currency and a reorder point low_stock then uses", async () => {
    const store = openSqliteStore(":memory:");
    try {
      const mapping = importMappingSchema.parse({ defaults: { currency: "EUR", reorder_point: "20" } });
      await runImport(store, pack, shopifyConnector, exportFiles(), mapping, { asOf: AS_OF });
      expect(await store.all("SELECT DISTINCT currency FROM wh_items")).toEqual([{ currency: "EUR" }]);
      const low = await store.first<{ n: number }>(
        "SELECT COUNT(*) AS n FROM wh_stock WHERE on_hand - reserved < reorder_point",
      );
      expect(low?.n).toBe(fixture.levels.filter((l) => l.sku && l.available < 20).length);
      await expect(
        runImport(
          store,
          pack,
          shopifyConnector,
          exportFiles(),
          importMappingSchema.parse({ defaults: { currency: "euro" } }),
          {},
        ),
      ).rejects.toMatchObject({ code: "invalid_mapping" });
    } finally {
      await store.close();
    }
  });

  it("rejects oversold and malformed rows with file, line, column and reason", async () => {
    const text =
      "Handle,Title,SKU,Location,Committed (not editable),Unavailable (not editable),Available (not editable),On hand (current)\r\n" +
      "desk,Desk,D-1,Main,0,0,5,5\r\n" +
      "desk,Desk,D-2,Main,0,0,-3,-3\r\n" +
      "desk,Desk,D-3,Main,9,0,-4,5\r\n" +
      "desk,Desk,D-4,Main,0,0,lots,lots\r\n" +
      "desk,Desk,D-5,Main,not stocked,not stocked,not stocked,not stocked\r\n";
    const store = openSqliteStore(":memory:");
    try {
      const report = await runImport(store, pack, shopifyConnector, [{ name: "inv.csv", text }], undefined, {
        asOf: AS_OF,
      });
      expect(report.rejections.map((r) => [r.line, r.column])).toEqual([
        [3, "On hand (current)"],
        [4, "Committed (not editable)"],
        [5, "Available (not editable)"],
      ]);
      expect(report.rejections[0]?.reason).toMatch(/oversold/);
      const stock = await store.all<{ sku: string }>("SELECT sku FROM wh_stock");
      expect(stock).toEqual([{ sku: "D-1" }]);
    } finally {
      await store.close();
    }
  });
});
