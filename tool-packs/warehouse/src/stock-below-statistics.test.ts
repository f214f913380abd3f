import { migratePack, type Store } from "@toolpacks/pack-kit";
import { openTestStore, testStoreDialect } from "@toolpacks/pack-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pack } from "./pack.js";
import { BELOW_REORDER_POINT } from "./reorder-suggestion.js";

// Postgres costs low_stock's per-alert lookups by its estimate of the alerts; guessing a third of
// all stock made it compile the query (JIT) on every call at 10^7 rows. Migration 0016's
// expression statistics make the estimate the real count once the table is analysed.
describe.runIf(testStoreDialect() === "postgres")("low_stock's alert estimate on postgres", () => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore();
    await migratePack(store, pack);
    await store.run(
      "INSERT INTO wh_locations (id, name, city, country) VALUES ('WH-1', 'One', 'Lyon', 'FR')",
    );
    await store.run(
      `INSERT INTO wh_items (sku, name, category, unit_cost_minor, currency)
       SELECT 'SKU-' || n, 'Item', 'Pumps', 100, 'USD' FROM generate_series(1, 3000) n`,
    );
    // 3,000 stock rows, 60 of them below their reorder point.
    await store.run(
      `INSERT INTO wh_stock (sku, location_id, on_hand, reserved, reorder_point)
       SELECT 'SKU-' || n, 'WH-1', CASE WHEN n % 50 = 0 THEN 1 ELSE 100 END, 0, 10 FROM generate_series(1, 3000) n`,
    );
    await store.run("ANALYZE wh_stock");
  });
  afterAll(async () => {
    await store?.close();
  });

  it("is the number of rows below their reorder point, not a third of all stock", async () => {
    // The store hands the plan over as JSON text.
    const [plan] = await store.all<{ "QUERY PLAN": string }>(
      `EXPLAIN (FORMAT JSON) SELECT sku FROM wh_stock WHERE ${BELOW_REORDER_POINT}`,
    );
    const rows = (JSON.parse(plan!["QUERY PLAN"]) as Array<{ Plan: { "Plan Rows": number } }>)[0]!.Plan[
      "Plan Rows"
    ];
    expect(rows).toBeGreaterThanOrEqual(40);
    expect(rows).toBeLessThanOrEqual(90);
  });
});
