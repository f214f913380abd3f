import { migratePack, type Store } from "@toolpacks/pack-kit";
import {
  checkRollupMatchesRecomputation,
  openTestStore,
  testStoreDialect,
} from "@toolpacks/pack-kit/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pack } from "./pack.js";

// Any write path (the order tools, seeding, import, sync, removals) ends in these row operations
// on erp_sales_orders; the rollup must equal a from-scratch GROUP BY of the open orders after each.
type Op =
  | { kind: "insert"; status: string; customer: string; total: number; usd: number }
  | { kind: "status"; pick: number; status: string }
  | { kind: "customer"; pick: number; customer: string }
  | { kind: "total"; pick: number; total: number }
  | { kind: "usd"; pick: number; usd: number }
  | { kind: "delete"; pick: number }
  | { kind: "limit"; customer: string; limit: number }
  | { kind: "customerCurrency"; customer: string; currency: string };

const statuses = fc.constantFrom("draft", "confirmed", "shipped");
const customers = fc.constantFrom("C-1", "C-2", "C-3");
const total = fc.integer({ min: 0, max: 5_000_000 });
const pick = fc.nat(1_000);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant("insert" as const),
    status: statuses,
    customer: customers,
    total,
    usd: total,
  }),
  fc.record({ kind: fc.constant("status" as const), pick, status: statuses }),
  fc.record({ kind: fc.constant("customer" as const), pick, customer: customers }),
  fc.record({ kind: fc.constant("total" as const), pick, total }),
  fc.record({ kind: fc.constant("usd" as const), pick, usd: total }),
  fc.record({ kind: fc.constant("delete" as const), pick }),
  // The customer's own facts, which each rollup row carries.
  fc.record({ kind: fc.constant("limit" as const), customer: customers, limit: total }),
  fc.record({
    kind: fc.constant("customerCurrency" as const),
    customer: customers,
    currency: fc.constantFrom("USD", "EUR", "GBP"),
  }),
);

const SET = {
  status: "status",
  customer: "customer_id",
  total: "total_minor",
  usd: "total_usd_minor",
} as const;
const per = (s: string) =>
  `SUM(CASE WHEN o.status = '${s}' THEN 1 ELSE 0 END) AS ${s}_orders, SUM(CASE WHEN o.status = '${s}' THEN o.total_minor ELSE 0 END) AS ${s}_minor, SUM(CASE WHEN o.status = '${s}' THEN o.total_usd_minor ELSE 0 END) AS ${s}_usd_minor`;

describe(`the per-customer open-order rollup on ${testStoreDialect()}`, () => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore();
    await migratePack(store, pack);
    for (const id of ["C-1", "C-2", "C-3"]) {
      await store.run(
        "INSERT INTO erp_customers (id, name, country, currency, payment_terms_days, credit_limit_minor) VALUES (?, ?, 'US', 'USD', 30, 0)",
        [id, id],
      );
    }
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
                    VALUES (?, ?, ?, ?, '2026-01-01', 'USD', ?, ?, 0)`,
              params: [`SO-${n}`, `D-${n}`, o.customer, o.status, o.total, o.usd],
            },
          ];
        }
        if (o.kind === "limit" || o.kind === "customerCurrency") {
          const [column, value] =
            o.kind === "limit" ? ["credit_limit_minor", o.limit] : ["currency", o.currency];
          return [
            { sql: `UPDATE erp_customers SET ${column} = ? WHERE id = ?`, params: [value, o.customer] },
          ];
        }
        const id = rows.pick(o.pick);
        if (id === undefined) return [];
        if (o.kind === "delete") return [{ sql: "DELETE FROM erp_sales_orders WHERE id = ?", params: [id] }];
        const value =
          o.kind === "status"
            ? o.status
            : o.kind === "customer"
              ? o.customer
              : o.kind === "total"
                ? o.total
                : o.usd;
        return [{ sql: `UPDATE erp_sales_orders SET ${SET[o.kind]} = ? WHERE id = ?`, params: [value, id] }];
      },
      rollup: `SELECT customer_id, orders, amount_minor, amount_usd_minor, draft_orders, draft_minor, draft_usd_minor,
        confirmed_orders, confirmed_minor, confirmed_usd_minor, currency, credit_limit_minor
        FROM erp_open_by_customer ORDER BY customer_id`,
      recompute: `SELECT o.customer_id, COUNT(*) AS orders, SUM(o.total_minor) AS amount_minor, SUM(o.total_usd_minor) AS amount_usd_minor,
        ${per("draft")}, ${per("confirmed")}, c.currency, c.credit_limit_minor
        FROM erp_sales_orders o JOIN erp_customers c ON c.id = o.customer_id WHERE o.status IN ('draft', 'confirmed')
        GROUP BY o.customer_id, c.currency, c.credit_limit_minor ORDER BY o.customer_id`,
    });
  });

  it("keeps no customer whose last open order left", async () => {
    expect(await store.all("SELECT customer_id FROM erp_open_by_customer WHERE orders <= 0")).toEqual([]);
  });
});
