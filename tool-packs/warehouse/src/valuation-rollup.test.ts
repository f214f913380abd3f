import type { Store } from "@toolpacks/pack-kit";
import { checkRollupMatchesRecomputation, testStoreDialect } from "@toolpacks/pack-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  openStoreWithLocations,
  type ValuationOp,
  valuationOp,
  valuationWrite,
} from "./testing/valuation-writes.js";

describe(`the stock-valuation rollups on ${testStoreDialect()}`, () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStoreWithLocations();
  });
  afterAll(async () => {
    await store?.close();
  });

  async function apply(o: ValuationOp): Promise<void> {
    for (const w of valuationWrite(o)) await store.run(w.sql, w.params);
  }

  const totals = () =>
    store.all(
      `SELECT location_id, category, stock_rows, units, value_minor, reserved_units, reserved_value_minor
       FROM wh_valuation_totals WHERE stock_rows <> 0 ORDER BY location_id, category`,
    );
  const skus = () =>
    store.all(
      "SELECT sku, category, stock_rows, units, value_minor FROM wh_sku_valuation WHERE stock_rows <> 0 ORDER BY sku",
    );
  // The kit's property harness runs the writes one by one, in committed batches and in batches
  // rolled back by a failing statement; items stay between runs (their stock is deleted).
  it.each([
    {
      name: "per location and category",
      rollup: `SELECT location_id, category, stock_rows, units, value_minor, reserved_units, reserved_value_minor
       FROM wh_valuation_totals WHERE stock_rows <> 0 ORDER BY location_id, category`,
      recompute: `SELECT s.location_id, i.category, COUNT(*) AS stock_rows, SUM(s.on_hand) AS units,
         SUM(s.on_hand * i.unit_cost_minor) AS value_minor, SUM(s.reserved) AS reserved_units,
         SUM(s.reserved * i.unit_cost_minor) AS reserved_value_minor
       FROM wh_stock s JOIN wh_items i ON i.sku = s.sku WHERE s.on_hand > 0
       GROUP BY s.location_id, i.category ORDER BY s.location_id, i.category`,
    },
    {
      name: "per SKU",
      rollup:
        "SELECT sku, category, stock_rows, units, value_minor FROM wh_sku_valuation WHERE stock_rows <> 0 ORDER BY sku, category",
      recompute: `SELECT s.sku, i.category, COUNT(*) AS stock_rows, SUM(s.on_hand) AS units, SUM(s.on_hand * i.unit_cost_minor) AS value_minor
       FROM wh_stock s JOIN wh_items i ON i.sku = s.sku WHERE s.on_hand > 0 GROUP BY s.sku, i.category ORDER BY s.sku, i.category`,
    },
    {
      name: "per location and SKU",
      rollup: `SELECT location_id, sku, category, stock_rows, units, value_minor FROM wh_location_sku_valuation
       WHERE stock_rows <> 0 OR units <> 0 OR value_minor <> 0 ORDER BY location_id, sku, category`,
      recompute: `SELECT s.location_id, s.sku, i.category, COUNT(*) AS stock_rows, SUM(s.on_hand) AS units,
         SUM(s.on_hand * i.unit_cost_minor) AS value_minor
       FROM wh_stock s JOIN wh_items i ON i.sku = s.sku WHERE s.on_hand > 0
       GROUP BY s.location_id, s.sku, i.category ORDER BY s.location_id, s.sku, i.category`,
    },
    {
      name: "SKUs held per category",
      rollup: "SELECT category, skus FROM wh_valuation_sku_counts ORDER BY category",
      recompute: `SELECT i.category, COUNT(DISTINCT s.sku) AS skus FROM wh_stock s JOIN wh_items i ON i.sku = s.sku
       WHERE s.on_hand > 0 GROUP BY i.category ORDER BY i.category`,
    },
  ])(
    "$name equal a from-scratch recomputation after any sequence of item and stock writes",
    async ({ rollup, recompute }) => {
      await checkRollupMatchesRecomputation({
        store,
        source: "wh_stock",
        idColumn: "sku || '|' || location_id",
        ops: valuationOp,
        write: valuationWrite,
        rollup,
        recompute,
        runs: 40,
      });
    },
  );

  it("revalue the stock held when an item's standard cost or category changes", async () => {
    await store.run("DELETE FROM wh_stock");
    await store.run("DELETE FROM wh_items");
    for (const o of [
      { kind: "item", sku: 1, category: "Pumps", cost: 100 },
      { kind: "stock", sku: 1, location: 0, onHand: 10, reserved: 4 },
      { kind: "stock", sku: 1, location: 1, onHand: 5, reserved: 0 },
      { kind: "cost", sku: 1, cost: 250 },
      { kind: "category", sku: 1, category: "Valves" },
    ] as const)
      await apply(o);
    expect(await totals()).toEqual([
      {
        location_id: "WH-0",
        category: "Valves",
        stock_rows: 1,
        units: 10,
        value_minor: 2500,
        reserved_units: 4,
        reserved_value_minor: 1000,
      },
      {
        location_id: "WH-1",
        category: "Valves",
        stock_rows: 1,
        units: 5,
        value_minor: 1250,
        reserved_units: 0,
        reserved_value_minor: 0,
      },
    ]);
    expect(await skus()).toEqual([
      { sku: "SKU-1", category: "Valves", stock_rows: 2, units: 15, value_minor: 3750 },
    ]);
  });

  it("leave no row with a negative count, quantity or value", async () => {
    expect(
      await store.all(
        "SELECT location_id FROM wh_valuation_totals WHERE stock_rows < 0 OR units < 0 OR value_minor < 0 OR reserved_units < 0",
      ),
    ).toEqual([]);
    expect(
      await store.all("SELECT sku FROM wh_sku_valuation WHERE stock_rows < 0 OR value_minor < 0"),
    ).toEqual([]);
  });
});
