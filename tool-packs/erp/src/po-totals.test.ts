import { migratePack, type Store } from "@toolpacks/pack-kit";
import {
  checkRollupMatchesRecomputation,
  openTestStore,
  testStoreDialect,
} from "@toolpacks/pack-kit/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pack } from "./pack.js";

// Any write path (create_purchase_order, seeding, import, sync, removals) ends in these row
// operations on erp_purchase_orders; the rollup must equal a from-scratch GROUP BY after each.
type Op =
  | { kind: "insert"; status: string; currency: string; quantity: number; cost: number }
  | { kind: "status"; pick: number; status: string }
  | { kind: "quantity"; pick: number; quantity: number }
  | { kind: "cost"; pick: number; cost: number }
  | { kind: "currency"; pick: number; currency: string }
  | { kind: "delete"; pick: number }
  // One statement over several rows: Postgres keeps this rollup per statement.
  | { kind: "insertMany"; status: string; currency: string; quantity: number; cost: number; count: number }
  | { kind: "statusMany"; picks: number[]; status: string }
  | { kind: "deleteMany"; picks: number[] };

const statuses = fc.constantFrom("open", "received", "cancelled");
const currencies = fc.constantFrom("USD", "EUR", "GBP");
const quantity = fc.integer({ min: 1, max: 500 });
const cost = fc.integer({ min: 0, max: 100_000 });
const pick = fc.nat(1_000);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("insert" as const), status: statuses, currency: currencies, quantity, cost }),
  fc.record({ kind: fc.constant("status" as const), pick, status: statuses }),
  fc.record({ kind: fc.constant("quantity" as const), pick, quantity }),
  fc.record({ kind: fc.constant("cost" as const), pick, cost }),
  fc.record({ kind: fc.constant("currency" as const), pick, currency: currencies }),
  fc.record({ kind: fc.constant("delete" as const), pick }),
  fc.record({
    kind: fc.constant("insertMany" as const),
    status: statuses,
    currency: currencies,
    quantity,
    cost,
    count: fc.integer({ min: 2, max: 4 }),
  }),
  fc.record({
    kind: fc.constant("statusMany" as const),
    picks: fc.array(pick, { minLength: 2, maxLength: 4 }),
    status: statuses,
  }),
  fc.record({
    kind: fc.constant("deleteMany" as const),
    picks: fc.array(pick, { minLength: 2, maxLength: 4 }),
  }),
);

const SET = {
  status: "status",
  quantity: "quantity",
  cost: "unit_cost_minor",
  currency: "currency",
} as const;

describe(`the purchase-order rollup on ${testStoreDialect()}`, () => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore();
    await migratePack(store, pack);
    await store.run(
      "INSERT INTO erp_suppliers (id, name, country, currency, lead_time_days) VALUES ('S-1', 'One', 'US', 'USD', 7)",
    );
    await store.run(
      "INSERT INTO erp_items (sku, name, category, unit_cost_minor, list_price_minor, currency, supplier_id) VALUES ('SKU-1', 'One', 'Pumps', 1, 2, 'USD', 'S-1')",
    );
  });
  afterAll(async () => {
    await store?.close();
  });

  it("equals a from-scratch recomputation after any sequence of inserts, updates, deletes and rolled-back batches", async () => {
    await checkRollupMatchesRecomputation({
      store,
      source: "erp_purchase_orders",
      ops: op,
      write: (o, rows) => {
        if (o.kind === "insert") {
          return [
            {
              sql: `INSERT INTO erp_purchase_orders (id, supplier_id, sku, location_id, quantity, unit_cost_minor, currency, value_usd_minor, order_date, expected_date, status)
                    VALUES (?, 'S-1', 'SKU-1', 'WH-01', ?, ?, ?, 0, '2026-01-01', '2026-02-01', ?)`,
              params: [`PO-${rows.fresh()}`, o.quantity, o.cost, o.currency, o.status],
            },
          ];
        }
        if (o.kind === "insertMany") {
          const ids = Array.from({ length: o.count }, () => `PO-${rows.fresh()}`);
          return [
            {
              sql: `INSERT INTO erp_purchase_orders (id, supplier_id, sku, location_id, quantity, unit_cost_minor, currency, value_usd_minor, order_date, expected_date, status)
                    VALUES ${ids.map(() => "(?, 'S-1', 'SKU-1', 'WH-01', ?, ?, ?, 0, '2026-01-01', '2026-02-01', ?)").join(", ")}`,
              params: ids.flatMap((id, i) => [id, o.quantity + i, o.cost, o.currency, o.status]),
            },
          ];
        }
        if (o.kind === "statusMany" || o.kind === "deleteMany") {
          const ids = [...new Set(o.picks.map((n) => rows.pick(n)))].filter((id) => id !== undefined);
          if (ids.length === 0) return [];
          const where = `WHERE id IN (${ids.map(() => "?").join(", ")})`;
          return o.kind === "deleteMany"
            ? [{ sql: `DELETE FROM erp_purchase_orders ${where}`, params: ids }]
            : [{ sql: `UPDATE erp_purchase_orders SET status = ? ${where}`, params: [o.status, ...ids] }];
        }
        const id = rows.pick(o.pick);
        if (id === undefined) return [];
        if (o.kind === "delete")
          return [{ sql: "DELETE FROM erp_purchase_orders WHERE id = ?", params: [id] }];
        const value =
          o.kind === "status"
            ? o.status
            : o.kind === "currency"
              ? o.currency
              : o.kind === "cost"
                ? o.cost
                : o.quantity;
        return [
          { sql: `UPDATE erp_purchase_orders SET ${SET[o.kind]} = ? WHERE id = ?`, params: [value, id] },
        ];
      },
      rollup:
        "SELECT status, currency, orders, units, value_minor FROM erp_po_totals ORDER BY status, currency",
      recompute: `SELECT status, currency, COUNT(*) AS orders, SUM(quantity) AS units, SUM(quantity * unit_cost_minor) AS value_minor
        FROM erp_purchase_orders GROUP BY status, currency ORDER BY status, currency`,
    });
  });

  it("keeps no group whose last order left", async () => {
    expect(await store.all("SELECT status FROM erp_po_totals WHERE orders <= 0")).toEqual([]);
  });
});
