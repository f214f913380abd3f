import { migratePack, type Store } from "@toolpacks/pack-kit";
import {
  checkRollupMatchesRecomputation,
  openTestStore,
  testStoreDialect,
} from "@toolpacks/pack-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pack } from "./pack.js";
import { invoiceOps, invoiceWrite } from "./testing/invoice-ops.js";

const OPEN = "amount_minor > amount_paid_minor + amount_credited_minor";

// Both layers at once: each account's oldest open due date per currency and under "*" (any
// currency), and the histogram of those dates that the tools read.
const ROLLUP = `SELECT 'oldest' AS layer, account_id AS k, currency, oldest_due_on AS d, 1 AS n FROM billing_open_oldest
  UNION ALL SELECT 'counts', '', currency, oldest_due_on, accounts FROM billing_open_oldest_counts
  ORDER BY 1, 2, 3, 4`;
const PER_ACCOUNT = `SELECT account_id, currency, MIN(due_on) AS d FROM billing_invoices WHERE ${OPEN} GROUP BY account_id, currency
  UNION ALL SELECT account_id, '*', MIN(due_on) FROM billing_invoices WHERE ${OPEN} GROUP BY account_id`;
const RECOMPUTE = `SELECT 'oldest' AS layer, account_id AS k, currency, d, 1 AS n FROM (${PER_ACCOUNT}) a
  UNION ALL SELECT 'counts', '', currency, d, COUNT(*) FROM (${PER_ACCOUNT}) b GROUP BY currency, d
  ORDER BY 1, 2, 3, 4`;

describe(`the oldest open due date per account on ${testStoreDialect()}`, () => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore();
    await migratePack(store, pack);
    await store.run(
      "INSERT INTO billing_accounts (id, name, country, currency, payment_terms_days) VALUES ('A-1', 'One', 'US', 'USD', 30), ('A-2', 'Two', 'US', 'USD', 30)",
    );
  });
  afterAll(async () => {
    await store?.close();
  });

  it("equals a from-scratch recomputation, with its histogram, after any sequence of invoice writes and rolled-back batches", async () => {
    await checkRollupMatchesRecomputation({
      store,
      source: "billing_invoices",
      ops: invoiceOps,
      write: invoiceWrite,
      rollup: ROLLUP,
      recompute: RECOMPUTE,
    });
  });

  it("is filled from the invoices already there when the migration runs", async () => {
    const fresh = await openTestStore();
    try {
      const before = pack.migrations.filter((m) => m.id < "0007");
      await migratePack(fresh, { ...pack, migrations: before });
      await fresh.batch([
        {
          sql: "INSERT INTO billing_accounts (id, name, country, currency, payment_terms_days) VALUES ('A-1', 'One', 'US', 'USD', 30)",
        },
        ...[
          ["I-1", "2026-01-31", "USD", 1000, 0],
          ["I-2", "2026-01-15", "EUR", 500, 100],
          ["I-3", "2026-01-01", "USD", 700, 700],
        ].map(([id, dueDate, currency, total, paid]) => ({
          sql: `INSERT INTO billing_invoices (id, account_id, issued_on, due_on, amount_minor, amount_paid_minor, currency)
                VALUES (?, 'A-1', '2026-01-01', ?, ?, ?, ?)`,
          params: [id!, dueDate!, total!, paid!, currency!],
        })),
      ]);
      await migratePack(fresh, pack);
      expect(
        await fresh.all(
          "SELECT currency, oldest_due_on, accounts FROM billing_open_oldest_counts ORDER BY currency",
        ),
      ).toEqual([
        { currency: "*", oldest_due_on: "2026-01-15", accounts: 1 },
        { currency: "EUR", oldest_due_on: "2026-01-15", accounts: 1 },
        { currency: "USD", oldest_due_on: "2026-01-31", accounts: 1 },
      ]);
    } finally {
      await fresh.close();
    }
  });
});
