import { migratePack, type Store } from "@toolpacks/pack-kit";
import { openTestStore, testStoreDialect } from "@toolpacks/pack-kit/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pack } from "./pack.js";

// Any write path (tools, seeding, import, sync, removals) ends in these row operations on
// wh_stock and wh_items; both rollups must equal a from-scratch GROUP BY after every sequence.
type Op =
  | { kind: "item"; sku: number; category: string; cost: number }
  | { kind: "cost"; sku: number; cost: number }
  | { kind: "category"; sku: number; category: string }
  | { kind: "dropItem"; sku: number }
  | { kind: "stock"; sku: number; location: number; onHand: number; reserved: number }
  | { kind: "count"; sku: number; location: number; onHand: number; reserved: number }
  | { kind: "move"; sku: number; location: number; to: number }
  | { kind: "dropStock"; sku: number; location: number }
  | { kind: "batch"; skus: number[]; location: number; onHand: number };

const sku = fc.nat(2);
const location = fc.nat(2);
const quantity = fc.nat(50);
const categories = fc.constantFrom("Pumps", "Valves", "Seals");
const cost = fc.integer({ min: 0, max: 90_000 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("item" as const), sku, category: categories, cost }),
  fc.record({ kind: fc.constant("cost" as const), sku, cost }),
  fc.record({ kind: fc.constant("category" as const), sku, category: categories }),
  fc.record({ kind: fc.constant("dropItem" as const), sku }),
  fc.record({ kind: fc.constant("stock" as const), sku, location, onHand: quantity, reserved: quantity }),
  fc.record({ kind: fc.constant("count" as const), sku, location, onHand: quantity, reserved: quantity }),
  fc.record({ kind: fc.constant("move" as const), sku, location, to: location }),
  fc.record({ kind: fc.constant("dropStock" as const), sku, location }),
  fc.record({
    kind: fc.constant("batch" as const),
    skus: fc.array(sku, { maxLength: 4 }),
    location,
    onHand: quantity,
  }),
);

const skuId = (n: number) => `SKU-${n}`;
const locationId = (n: number) => `WH-${n}`;

describe(`the stock-valuation rollups on ${testStoreDialect()}`, () => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore();
    await migratePack(store, pack);
    for (const n of [0, 1, 2]) {
      await store.run("INSERT INTO wh_locations (id, name, city, country) VALUES (?, ?, 'Lyon', 'FR')", [
        locationId(n),
        `Site ${n}`,
      ]);
    }
  });
  afterAll(async () => {
    await store?.close();
  });

  // A write the schema refuses (a stock row of an unknown item, an item still stocked, a key
  // taken) fails on its own; the rollups must stay equal to the rows either way.
  const attempt = async (sql: string, params: Array<string | number>) => {
    try {
      await store.run(sql, params);
    } catch {
      // refused by a constraint: nothing was written
    }
  };

  async function apply(o: Op): Promise<void> {
    if (o.kind === "item")
      return attempt(
        "INSERT INTO wh_items (sku, name, category, unit_cost_minor, currency) VALUES (?, ?, ?, ?, 'USD')",
        [skuId(o.sku), `Item ${o.sku}`, o.category, o.cost],
      );
    if (o.kind === "cost")
      return attempt("UPDATE wh_items SET unit_cost_minor = ? WHERE sku = ?", [o.cost, skuId(o.sku)]);
    if (o.kind === "category")
      return attempt("UPDATE wh_items SET category = ? WHERE sku = ?", [o.category, skuId(o.sku)]);
    if (o.kind === "dropItem") return attempt("DELETE FROM wh_items WHERE sku = ?", [skuId(o.sku)]);
    if (o.kind === "stock")
      return attempt(
        "INSERT INTO wh_stock (sku, location_id, on_hand, reserved, reorder_point) VALUES (?, ?, ?, ?, 5)",
        [skuId(o.sku), locationId(o.location), o.onHand, Math.min(o.reserved, o.onHand)],
      );
    if (o.kind === "count")
      return attempt("UPDATE wh_stock SET on_hand = ?, reserved = ? WHERE sku = ? AND location_id = ?", [
        o.onHand,
        Math.min(o.reserved, o.onHand),
        skuId(o.sku),
        locationId(o.location),
      ]);
    if (o.kind === "move")
      return attempt("UPDATE wh_stock SET location_id = ? WHERE sku = ? AND location_id = ?", [
        locationId(o.to),
        skuId(o.sku),
        locationId(o.location),
      ]);
    if (o.kind === "dropStock")
      return attempt("DELETE FROM wh_stock WHERE sku = ? AND location_id = ?", [
        skuId(o.sku),
        locationId(o.location),
      ]);
    // Several rows in one transaction, then a failing statement: the rollups roll back with them.
    const writes = o.skus.map((s) => ({
      sql: "UPDATE wh_stock SET on_hand = ?, reserved = 0 WHERE sku = ? AND location_id = ?",
      params: [o.onHand, skuId(s), locationId(o.location)],
    }));
    await expect(store.batch([...writes, { sql: "SELECT nope" }])).rejects.toThrow();
    await store.batch(writes);
  }

  const totals = () =>
    store.all(
      `SELECT location_id, category, stock_rows, units, value_minor, reserved_units, reserved_value_minor
       FROM wh_valuation_totals WHERE stock_rows <> 0 ORDER BY location_id, category`,
    );
  const recomputedTotals = () =>
    store.all(
      `SELECT s.location_id, i.category, COUNT(*) AS stock_rows, SUM(s.on_hand) AS units,
         SUM(s.on_hand * i.unit_cost_minor) AS value_minor, SUM(s.reserved) AS reserved_units,
         SUM(s.reserved * i.unit_cost_minor) AS reserved_value_minor
       FROM wh_stock s JOIN wh_items i ON i.sku = s.sku WHERE s.on_hand > 0
       GROUP BY s.location_id, i.category ORDER BY s.location_id, i.category`,
    );
  const skus = () =>
    store.all(
      "SELECT sku, category, stock_rows, units, value_minor FROM wh_sku_valuation WHERE stock_rows <> 0 ORDER BY sku",
    );
  const recomputedSkus = () =>
    store.all(
      `SELECT s.sku, i.category, COUNT(*) AS stock_rows, SUM(s.on_hand) AS units, SUM(s.on_hand * i.unit_cost_minor) AS value_minor
       FROM wh_stock s JOIN wh_items i ON i.sku = s.sku WHERE s.on_hand > 0 GROUP BY s.sku, i.category ORDER BY s.sku`,
    );
  it("equal a from-scratch recomputation after any sequence of item and stock writes and rolled-back batches", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40 }), async (ops) => {
        await store.run("DELETE FROM wh_stock");
        await store.run("DELETE FROM wh_items");
        expect(await totals()).toEqual([]);
        expect(await skus()).toEqual([]);
        for (const o of ops) await apply(o);
        expect(await totals()).toEqual(await recomputedTotals());
        expect(await skus()).toEqual(await recomputedSkus());
      }),
      { numRuns: 50 },
    );
  });

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
