import { migratePack, type Store } from "@toolpacks/pack-kit";
import { openTestStore, testStoreDialect } from "@toolpacks/pack-kit/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pack } from "./pack.js";

// Any write path (tools, seeding, import, sync, removals) ends in these row operations on
// erp_sales_orders; the rollup must equal a from-scratch GROUP BY after every sequence of them.
type Op =
  | { kind: "insert"; status: string; currency: string; total: number }
  | { kind: "status"; pick: number; status: string }
  | { kind: "total"; pick: number; total: number }
  | { kind: "currency"; pick: number; currency: string }
  | { kind: "delete"; pick: number }
  | { kind: "batch"; picks: number[]; status: string };

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
    kind: fc.constant("batch" as const),
    picks: fc.array(pick, { maxLength: 4 }),
    status: statuses,
  }),
);

describe(`the open-order rollup on ${testStoreDialect()}`, () => {
  let store: Store;
  let next = 0;
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

  const ids = async () =>
    (await store.all<{ id: string }>("SELECT id FROM erp_sales_orders ORDER BY id")).map((r) => r.id);

  async function apply(o: Op): Promise<void> {
    if (o.kind === "insert") {
      const id = `SO-${++next}`;
      await store.run(
        `INSERT INTO erp_sales_orders (id, deal_id, customer_id, status, order_date, currency, total_minor, total_usd_minor, cost_usd_minor)
         VALUES (?, ?, 'C-1', ?, '2026-01-01', ?, ?, 0, 0)`,
        [id, `D-${next}`, o.status, o.currency, o.total],
      );
      return;
    }
    const all = await ids();
    if (all.length === 0) return;
    const id = (p: number) => all[p % all.length]!;
    if (o.kind === "status")
      await store.run("UPDATE erp_sales_orders SET status = ? WHERE id = ?", [o.status, id(o.pick)]);
    if (o.kind === "total")
      await store.run("UPDATE erp_sales_orders SET total_minor = ? WHERE id = ?", [o.total, id(o.pick)]);
    if (o.kind === "currency")
      await store.run("UPDATE erp_sales_orders SET currency = ? WHERE id = ?", [o.currency, id(o.pick)]);
    if (o.kind === "delete") await store.run("DELETE FROM erp_sales_orders WHERE id = ?", [id(o.pick)]);
    // Several rows in one transaction, then a failing statement: the rollup rolls back with them.
    if (o.kind === "batch") {
      const writes = o.picks.map((p) => ({
        sql: "UPDATE erp_sales_orders SET status = ? WHERE id = ?",
        params: [o.status, id(p)],
      }));
      await store.batch(writes);
      await expect(
        store.batch([
          ...writes.map((w) => ({ ...w, params: ["draft", w.params[1]!] })),
          { sql: "SELECT nope" },
        ]),
      ).rejects.toThrow();
    }
  }

  const rollup = () =>
    store.all(
      "SELECT status, currency, orders, amount_minor FROM erp_open_order_totals WHERE orders <> 0 ORDER BY status, currency",
    );
  const recomputed = () =>
    store.all(
      `SELECT status, currency, COUNT(*) AS orders, SUM(total_minor) AS amount_minor FROM erp_sales_orders
       WHERE status IN ('draft', 'confirmed') GROUP BY status, currency ORDER BY status, currency`,
    );

  it("equals a from-scratch recomputation after any sequence of inserts, updates, deletes and rolled-back batches", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        await store.run("DELETE FROM erp_sales_orders");
        expect(await rollup()).toEqual([]);
        for (const o of ops) await apply(o);
        expect(await rollup()).toEqual(await recomputed());
      }),
      { numRuns: 30 },
    );
  });

  it("leaves no row with a negative count or amount", async () => {
    expect(
      await store.all("SELECT status FROM erp_open_order_totals WHERE orders < 0 OR amount_minor < 0"),
    ).toEqual([]);
  });
});
