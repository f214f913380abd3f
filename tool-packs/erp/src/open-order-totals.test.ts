import { readFileSync } from "node:fs";
import { migratePack, type Store } from "@toolpacks/pack-kit";
import {
  checkRollupMatchesRecomputation,
  openTestStore,
  testStoreDialect,
} from "@toolpacks/pack-kit/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openOrderTotalsMigration } from "./open-order-totals.js";
import { pack } from "./pack.js";

// Any write path (tools, seeding, import, sync, removals) ends in these row operations on
// erp_sales_orders; the rollup must equal a from-scratch GROUP BY after every sequence of them.
type Op =
  | { kind: "insert"; status: string; currency: string; total: number }
  | { kind: "status"; pick: number; status: string }
  | { kind: "total"; pick: number; total: number }
  | { kind: "currency"; pick: number; currency: string }
  | { kind: "delete"; pick: number }
  // One statement over several rows: Postgres keeps this rollup per statement.
  | { kind: "insertMany"; status: string; currency: string; total: number; count: number }
  | { kind: "statusMany"; picks: number[]; status: string }
  | { kind: "deleteMany"; picks: number[] };

const statuses = fc.constantFrom("draft", "confirmed", "shipped");
const currencies = fc.constantFrom("USD", "EUR", "JPY");
const total = fc.integer({ min: 0, max: 5_000_000 });
const pick = fc.nat(1_000);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("insert" as const), status: statuses, currency: currencies, total }),
  fc.record({ kind: fc.constant("status" as const), pick, status: statuses }),
  fc.record({ kind: fc.constant("total" as const), pick, total }),
  fc.record({ kind: fc.constant("currency" as const), pick, currency: currencies }),
  fc.record({ kind: fc.constant("delete" as const), pick }),
  fc.record({
    kind: fc.constant("insertMany" as const),
    status: statuses,
    currency: currencies,
    total,
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

const SET = { status: "status", total: "total_minor", currency: "currency" } as const;

describe(`the open-order rollup on ${testStoreDialect()}`, () => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore();
    await migratePack(store, pack);
    await store.run(
      "INSERT INTO erp_customers (id, name, country, currency, payment_terms_days, credit_limit_minor) VALUES ('C-1', 'One', 'US', 'USD', 30, 0)",
    );
  });
  afterAll(async () => {
    await store?.close();
  });

  it("equals a from-scratch recomputation after any sequence of inserts, updates, deletes and rolled-back batches", async () => {
    await checkRollupMatchesRecomputation({
      store,
      source: "erp_sales_orders",
      ops: op,
      write: (o, rows) => {
        if (o.kind === "insert") {
          const n = rows.fresh();
          return [
            {
              sql: `INSERT INTO erp_sales_orders (id, deal_id, customer_id, status, order_date, currency, total_minor, total_usd_minor, cost_usd_minor)
                    VALUES (?, ?, 'C-1', ?, '2026-01-01', ?, ?, 0, 0)`,
              params: [`SO-${n}`, `D-${n}`, o.status, o.currency, o.total],
            },
          ];
        }
        if (o.kind === "insertMany") {
          const ns = Array.from({ length: o.count }, () => rows.fresh());
          return [
            {
              sql: `INSERT INTO erp_sales_orders (id, deal_id, customer_id, status, order_date, currency, total_minor, total_usd_minor, cost_usd_minor)
                    VALUES ${ns.map(() => "(?, ?, 'C-1', ?, '2026-01-01', ?, ?, 0, 0)").join(", ")}`,
              params: ns.flatMap((n, i) => [`SO-${n}`, `D-${n}`, o.status, o.currency, o.total + i]),
            },
          ];
        }
        if (o.kind === "statusMany" || o.kind === "deleteMany") {
          const ids = [...new Set(o.picks.map((n) => rows.pick(n)))].filter((id) => id !== undefined);
          if (ids.length === 0) return [];
          const where = `WHERE id IN (${ids.map(() => "?").join(", ")})`;
          return o.kind === "deleteMany"
            ? [{ sql: `DELETE FROM erp_sales_orders ${where}`, params: ids }]
            : [{ sql: `UPDATE erp_sales_orders SET status = ? ${where}`, params: [o.status, ...ids] }];
        }
        const id = rows.pick(o.pick);
        if (id === undefined) return [];
        if (o.kind === "delete") return [{ sql: "DELETE FROM erp_sales_orders WHERE id = ?", params: [id] }];
        const value = o.kind === "status" ? o.status : o.kind === "total" ? o.total : o.currency;
        return [{ sql: `UPDATE erp_sales_orders SET ${SET[o.kind]} = ? WHERE id = ?`, params: [value, id] }];
      },
      // Left groups stay as rows of zeros (no prune): readers skip them, so does the comparison.
      rollup:
        "SELECT status, currency, orders, amount_minor FROM erp_open_order_totals WHERE orders <> 0 ORDER BY status, currency",
      recompute: `SELECT status, currency, COUNT(*) AS orders, SUM(total_minor) AS amount_minor FROM erp_sales_orders
        WHERE status IN ('draft', 'confirmed') GROUP BY status, currency ORDER BY status, currency`,
    });
  });

  it("leaves no row with a negative count or amount", async () => {
    expect(
      await store.all("SELECT status FROM erp_open_order_totals WHERE orders < 0 OR amount_minor < 0"),
    ).toEqual([]);
  });
});

describe("the open-order rollup's migration", () => {
  it("is byte for byte the SQL stores already applied as 0008 (built by rollupMigration since)", () => {
    const applied = readFileSync(new URL("./open-order-totals.applied.json", import.meta.url), "utf8");
    expect(openOrderTotalsMigration("0008_erp_open_order_totals")).toEqual(JSON.parse(applied));
  });
});
