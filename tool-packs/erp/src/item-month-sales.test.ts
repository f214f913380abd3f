import { readFileSync } from "node:fs";
import { migratePack, type Store } from "@toolpacks/pack-kit";
import {
  checkRollupMatchesRecomputation,
  openTestStore,
  testStoreDialect,
} from "@toolpacks/pack-kit/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { itemMonthsMigration } from "./item-month-sales.js";
import { pack } from "./pack.js";

// Any write path (create_sales_order, seeding, import, sync, removals) ends in these row
// operations on erp_sales_order_lines; the rollup must equal a from-scratch GROUP BY after each.
type Op =
  | {
      kind: "insert";
      date: string;
      sku: string;
      currency: string;
      quantity: number;
      amount: number;
      cost: number;
    }
  | { kind: "date"; pick: number; date: string }
  | { kind: "sku"; pick: number; sku: string }
  | { kind: "currency"; pick: number; currency: string }
  | { kind: "quantity"; pick: number; quantity: number }
  | { kind: "amount"; pick: number; amount: number }
  | { kind: "cost"; pick: number; cost: number }
  | { kind: "delete"; pick: number };

const dates = fc.constantFrom(
  "2026-03-31",
  "2026-04-01",
  "2026-04-15",
  "2026-05-31",
  "2026-06-30",
  "2026-07-01",
);
const skus = fc.constantFrom("SKU-1", "SKU-2");
const currencies = fc.constantFrom("USD", "EUR", "GBP");
const quantity = fc.integer({ min: 1, max: 50 });
const money = fc.integer({ min: 0, max: 1_000_000 });
const pick = fc.nat(1_000);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant("insert" as const),
    date: dates,
    sku: skus,
    currency: currencies,
    quantity,
    amount: money,
    cost: money,
  }),
  fc.record({ kind: fc.constant("date" as const), pick, date: dates }),
  fc.record({ kind: fc.constant("sku" as const), pick, sku: skus }),
  fc.record({ kind: fc.constant("currency" as const), pick, currency: currencies }),
  fc.record({ kind: fc.constant("quantity" as const), pick, quantity }),
  fc.record({ kind: fc.constant("amount" as const), pick, amount: money }),
  fc.record({ kind: fc.constant("cost" as const), pick, cost: money }),
  fc.record({ kind: fc.constant("delete" as const), pick }),
);

const SET = {
  date: "order_date",
  sku: "sku",
  currency: "currency",
  quantity: "quantity",
  amount: "amount_minor",
  cost: "cost_usd_minor",
} as const;
const revenue = (c: string) =>
  `SUM(CASE WHEN currency = '${c}' THEN amount_minor ELSE 0 END) AS ${c.toLowerCase()}_revenue_minor`;

// Each rollup of the lines, with its key as a from-scratch GROUP BY computes it.
const ROLLUPS = [
  { table: "erp_item_months", column: "sale_month", key: "substr(order_date, 1, 7)" },
  {
    table: "erp_item_quarters",
    column: "sale_quarter",
    key: "CAST(substr(order_date, 1, 4) AS INTEGER) * 4 + (CAST(substr(order_date, 6, 2) AS INTEGER) - 1) / 3",
  },
];

describe.each(ROLLUPS)(`the $table rollup on ${testStoreDialect()}`, ({ table, column, key }) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore();
    await migratePack(store, pack);
    await store.run(
      "INSERT INTO erp_customers (id, name, country, currency, payment_terms_days, credit_limit_minor) VALUES ('C-1', 'One', 'US', 'USD', 30, 0)",
    );
    await store.run(
      "INSERT INTO erp_suppliers (id, name, country, currency, lead_time_days) VALUES ('S-1', 'One', 'US', 'USD', 7)",
    );
    for (const sku of ["SKU-1", "SKU-2"]) {
      await store.run(
        "INSERT INTO erp_items (sku, name, category, unit_cost_minor, list_price_minor, currency, supplier_id) VALUES (?, ?, 'Pumps', 1, 2, 'USD', 'S-1')",
        [sku, sku],
      );
    }
    await store.run(
      "INSERT INTO erp_sales_orders (id, deal_id, customer_id, status, order_date, currency, total_minor, total_usd_minor, cost_usd_minor) VALUES ('SO-1', 'D-1', 'C-1', 'draft', '2026-04-01', 'USD', 0, 0, 0)",
    );
  });
  afterAll(async () => {
    await store?.close();
  });

  it("equals a from-scratch recomputation after any sequence of inserts, updates, deletes and rolled-back batches", async () => {
    await checkRollupMatchesRecomputation({
      store,
      source: "erp_sales_order_lines",
      ops: op,
      write: (o, rows) => {
        if (o.kind === "insert") {
          const n = rows.fresh();
          return [
            {
              sql: `INSERT INTO erp_sales_order_lines (id, order_id, line_no, order_date, sku, quantity, unit_price_minor, amount_minor, currency, amount_usd_minor, cost_usd_minor)
                    VALUES (?, 'SO-1', ?, ?, ?, ?, 0, ?, ?, 0, ?)`,
              params: [`L-${n}`, n, o.date, o.sku, o.quantity, o.amount, o.currency, o.cost],
            },
          ];
        }
        const id = rows.pick(o.pick);
        if (id === undefined) return [];
        if (o.kind === "delete")
          return [{ sql: "DELETE FROM erp_sales_order_lines WHERE id = ?", params: [id] }];
        const { kind: _, pick: __, ...change } = o;
        const value = Object.values(change)[0] as string | number;
        return [
          { sql: `UPDATE erp_sales_order_lines SET ${SET[o.kind]} = ? WHERE id = ?`, params: [value, id] },
        ];
      },
      rollup: `SELECT ${column}, sku, lines, units, cost_usd_minor, usd_revenue_minor, eur_revenue_minor, gbp_revenue_minor
        FROM ${table} ORDER BY ${column}, sku`,
      recompute: `SELECT ${key} AS ${column}, sku, COUNT(*) AS lines, SUM(quantity) AS units,
        SUM(cost_usd_minor) AS cost_usd_minor, ${revenue("USD")}, ${revenue("EUR")}, ${revenue("GBP")}
        FROM erp_sales_order_lines GROUP BY ${key}, sku ORDER BY ${column}, sku`,
    });
  });

  it("keeps no period whose last line left", async () => {
    expect(await store.all(`SELECT sku FROM ${table} WHERE lines <= 0`)).toEqual([]);
  });
});

describe("the item-month rollup's migration", () => {
  it("is byte for byte the SQL stores already applied as 0012", () => {
    const applied = readFileSync(new URL("./item-months.applied.json", import.meta.url), "utf8");
    expect(itemMonthsMigration("0012_erp_item_months")).toEqual(JSON.parse(applied));
  });
});
