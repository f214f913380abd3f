import { getAsOf, type Store } from "@toolpacks/pack-kit";
import { checkRollupMatchesRecomputation, testStoreDialect } from "@toolpacks/pack-kit/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { USAGE_DAYS } from "./reorder-suggestion.js";
import { addDays } from "./schemas.js";
import { type LowStockOp, lowStockOp, lowStockWrite } from "./testing/low-stock-writes.js";
import { openStoreWithLocations } from "./testing/valuation-writes.js";
import { lowStock } from "./tools/low_stock.js";
import { usageWindowSince } from "./usage-window.js";

// Cast: Postgres sums BIGINT to NUMERIC, which would then divide with decimals.
const ISSUED_FROM_MOVEMENTS = `CAST(COALESCE((SELECT -SUM(m.quantity) FROM wh_movements m WHERE m.sku = s.sku
  AND m.location_id = s.location_id AND m.kind = 'issue' AND m.occurred_at >= (SELECT since FROM wh_usage_window)), 0) AS BIGINT)`;
const BELOW = "s.on_hand - s.reserved - s.reorder_point < 0";
const OUT = "CASE WHEN s.on_hand - s.reserved <= 0 THEN 1 ELSE 0 END";

describe(`low_stock's kept figures on ${testStoreDialect()}`, () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStoreWithLocations();
    for (const n of [0, 1, 2]) {
      await store.run(
        "INSERT INTO wh_items (sku, name, category, unit_cost_minor, currency) VALUES (?, ?, 'Pumps', 100, 'USD')",
        [`SKU-${n}`, `Item ${n}`],
      );
    }
  });
  afterAll(async () => {
    await store?.close();
  });

  // The kit's harness: single writes, batches committed together and batches rolled back, in
  // any order, over stock, movements and the as-of date; then each kept figure is recomputed.
  it.each([
    {
      name: "each stock row's units issued since the window's start",
      rollup: `SELECT sku, location_id, issued_window FROM wh_stock WHERE issued_window <> 0 ORDER BY sku, location_id`,
      recompute: `SELECT sku, location_id, issued_window FROM (SELECT s.sku, s.location_id, ${ISSUED_FROM_MOVEMENTS} AS issued_window
        FROM wh_stock s) x WHERE issued_window <> 0 ORDER BY sku, location_id`,
    },
    {
      name: "alerts and suggested units per location and out-of-stock flag",
      rollup: `SELECT location_id, out_of_stock, alerts, suggested_units FROM wh_low_stock_totals
        ORDER BY location_id, out_of_stock`,
      recompute: `SELECT location_id, out_of_stock, COUNT(*) AS alerts, SUM(suggested) AS suggested_units FROM (
          SELECT s.location_id, ${OUT} AS out_of_stock, CASE WHEN q > 10 THEN q ELSE 10 END AS suggested FROM (
            SELECT s.*, ((s.reorder_point + (${ISSUED_FROM_MOVEMENTS} * 30 + 89) / 90 - (s.on_hand - s.reserved) + 9) / 10) * 10 AS q
            FROM wh_stock s WHERE ${BELOW}) s) x
        GROUP BY location_id, out_of_stock ORDER BY location_id, out_of_stock`,
    },
    {
      name: "alerts and out-of-stock rows per SKU",
      rollup: "SELECT sku, alerts, out_of_stock FROM wh_low_stock_skus ORDER BY sku",
      recompute: `SELECT s.sku, COUNT(*) AS alerts, SUM(${OUT}) AS out_of_stock FROM wh_stock s WHERE ${BELOW}
        GROUP BY s.sku ORDER BY s.sku`,
    },
  ])(
    "$name equal a from-scratch recomputation after any sequence of writes",
    async ({ rollup, recompute }) => {
      await checkRollupMatchesRecomputation<LowStockOp>({
        store,
        source: "wh_stock",
        idColumn: "sku || '|' || location_id",
        ops: lowStockOp,
        write: lowStockWrite,
        rollup,
        recompute,
        runs: 40,
        maxWrites: 30,
      });
    },
  );

  it("follow each movement edit and every move of the window's start, forwards, backwards and away", async () => {
    await store.run("DELETE FROM wh_stock");
    await store.run("DELETE FROM wh_movements");
    await store.run("DELETE FROM _provenance");
    for (const sku of [0, 1])
      for (const w of lowStockWrite({ kind: "item", sku, category: "Pumps", cost: 100 }))
        await store.run(w.sql, w.params);
    const issued = async () =>
      Object.fromEntries(
        (
          await store.all<{ key: string; issued_window: number }>(
            "SELECT sku || '@' || location_id AS key, issued_window FROM wh_stock ORDER BY sku, location_id",
          )
        ).map((r) => [r.key, r.issued_window]),
      );
    const writes: LowStockOp[] = [
      { kind: "worldAsOf", date: "2026-06-30" },
      { kind: "stock", sku: 0, location: 0, onHand: 3, reserved: 0 },
      { kind: "stock", sku: 1, location: 0, onHand: 3, reserved: 0 },
      { kind: "movement", id: 1, sku: 0, location: 0, issue: true, units: 7, day: 2 * 120 }, // 2026-05-01
      { kind: "movement", id: 2, sku: 0, location: 0, issue: true, units: 5, day: 2 * 31 + 1 }, // 2026-02-01, before
    ];
    for (const o of writes) for (const w of lowStockWrite(o)) await store.run(w.sql, w.params);
    expect(await issued()).toEqual({ "SKU-0@WH-0": 7, "SKU-1@WH-0": 0 });
    // An edit moves the issue to another SKU: the old row gives it up, the new one counts it.
    for (const w of lowStockWrite({ kind: "editMovement", id: 1, sku: 1, issue: true, units: 7, day: 240 }))
      await store.run(w.sql, w.params);
    expect(await issued()).toEqual({ "SKU-0@WH-0": 0, "SKU-1@WH-0": 7 });
    // Back to SKU-0 as a receipt: nobody counts it.
    for (const w of lowStockWrite({ kind: "editMovement", id: 1, sku: 0, issue: false, units: 7, day: 240 }))
      await store.run(w.sql, w.params);
    expect(await issued()).toEqual({ "SKU-0@WH-0": 0, "SKU-1@WH-0": 0 });
    // The as-of date moves back to March: the February issue enters the window.
    for (const w of lowStockWrite({ kind: "worldAsOf", date: "2026-03-01" }))
      await store.run(w.sql, w.params);
    expect(await usageWindowSince(store)).toBe("2025-12-02");
    expect(await issued()).toEqual({ "SKU-0@WH-0": 5, "SKU-1@WH-0": 0 });
    // An import's as-of date outranks the world's; removing it gives the world's back.
    for (const w of lowStockWrite({ kind: "provenance", system: "shopify", date: "2026-07-15" }))
      await store.run(w.sql, w.params);
    expect(await usageWindowSince(store)).toBe("2026-04-17");
    expect(await issued()).toEqual({ "SKU-0@WH-0": 0, "SKU-1@WH-0": 0 });
    for (const w of lowStockWrite({ kind: "dropProvenance", system: "shopify" }))
      await store.run(w.sql, w.params);
    expect(await issued()).toEqual({ "SKU-0@WH-0": 5, "SKU-1@WH-0": 0 });
    // A stock row moved to another location, or given another SKU, counts its new key's issues.
    for (const o of [
      { kind: "movement", id: 3, sku: 0, location: 1, issue: true, units: 4, day: 200 },
      { kind: "move", sku: 0, location: 0, to: 1 },
    ] as const)
      for (const w of lowStockWrite(o)) await store.run(w.sql, w.params);
    expect(await issued()).toEqual({ "SKU-0@WH-1": 4, "SKU-1@WH-0": 0 });
    for (const w of lowStockWrite({ kind: "resku", sku: 1, location: 0, to: 0 }))
      await store.run(w.sql, w.params);
    expect(await issued()).toEqual({ "SKU-0@WH-0": 5, "SKU-0@WH-1": 4 });
    // No readable as-of date: no window is kept (low_stock then counts the movements itself).
    for (const w of lowStockWrite({ kind: "worldAsOf", date: "soon" })) await store.run(w.sql, w.params);
    expect(await usageWindowSince(store)).toBeUndefined();
    expect(await issued()).toEqual({ "SKU-0@WH-0": 0, "SKU-0@WH-1": 0 });
  });

  // Postgres runs writers side by side: a movement committed after a move of the window's start it
  // could not see must still be counted against the new start.
  it.runIf(testStoreDialect() === "postgres")(
    "count a movement written while the window's start moves, whichever commits first",
    async () => {
      await store.run("DELETE FROM wh_stock");
      await store.run("DELETE FROM wh_movements");
      await store.run("DELETE FROM _provenance");
      const setup: LowStockOp[] = [
        { kind: "item", sku: 0, category: "Pumps", cost: 100 },
        { kind: "worldAsOf", date: "2026-06-30" },
        { kind: "stock", sku: 0, location: 0, onHand: 3, reserved: 0 },
      ];
      for (const o of setup) for (const w of lowStockWrite(o)) await store.run(w.sql, w.params);
      // An issue on 2026-04-10: inside the window as of 2026-06-30 (from 04-02), outside as of
      // 2026-07-15 (from 04-17). Its writer holds its transaction open while the date moves.
      const [movement] = lowStockWrite({
        kind: "movement",
        id: 7,
        sku: 0,
        location: 0,
        issue: true,
        units: 6,
        day: 198,
      });
      const writing = store.batch([movement!, { sql: "SELECT pg_sleep(0.6)" }]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await store.batch(lowStockWrite({ kind: "worldAsOf", date: "2026-07-15" }));
      await writing;
      expect(await usageWindowSince(store)).toBe("2026-04-17");
      expect(await store.all("SELECT issued_window FROM wh_stock")).toEqual([{ issued_window: 0 }]);
    },
  );

  const ask = (input: { location_id?: string; out_of_stock_only?: boolean }, asOf: string) =>
    lowStock.handler(
      { location_id: input.location_id, out_of_stock_only: input.out_of_stock_only ?? false, limit: 20 },
      { store, asOf, principal: undefined, signal: AbortSignal.timeout(30_000) },
    );

  it("answers exactly as counting every alert's movements, and reads the rollups whenever the store records its as-of date", async () => {
    let fromRollups = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(lowStockOp, { minLength: 1, maxLength: 40 }), async (ops) => {
        await store.run("DELETE FROM wh_stock");
        for (const o of ops) for (const w of lowStockWrite(o)) await store.run(w.sql, w.params);
        const asOf = await getAsOf(store, "warehouse");
        // A date no calendar reads: the tool cannot answer for it, with or without rollups.
        if (Number.isNaN(Date.parse(asOf.slice(0, 10)))) return;
        const recorded =
          (await store.first("SELECT 1 AS x FROM _meta WHERE key = 'world.as_of'")) !== undefined ||
          (await store.first("SELECT 1 AS x FROM _provenance WHERE pack = 'warehouse'")) !== undefined;
        const since = addDays(asOf, -(USAGE_DAYS - 1));
        const kept = await usageWindowSince(store);
        if (recorded) expect(kept).toBe(since);
        if (kept === since) fromRollups++;
        for (const input of [
          {},
          { out_of_stock_only: true },
          { location_id: "WH-1" },
          { location_id: "WH-2", out_of_stock_only: true },
        ]) {
          const answer = await ask(input, asOf);
          // The same question with the kept window disowned: the tool counts the movements itself.
          await store.run("UPDATE wh_usage_window SET since = 'disowned' WHERE id = 1");
          try {
            expect(answer).toEqual(await ask(input, asOf));
          } finally {
            await store.run("UPDATE wh_usage_window SET since = ? WHERE id = 1", [kept ?? null]);
          }
        }
      }),
      { numRuns: 60 },
    );
    expect(fromRollups).toBeGreaterThan(20);
  });
});
