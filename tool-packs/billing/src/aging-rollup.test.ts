import { readFileSync } from "node:fs";
import { migratePack, type Store } from "@toolpacks/pack-kit";
import {
  checkRollupMatchesRecomputation,
  openTestStore,
  testStoreDialect,
} from "@toolpacks/pack-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agingRollupMigration } from "./aging-rollup.js";
import { pack } from "./pack.js";
import { invoiceOps, invoiceWrite } from "./testing/invoice-ops.js";

describe(`the AR aging rollup on ${testStoreDialect()}`, () => {
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

  it("equals a from-scratch recomputation after any sequence of inserts, payments, credits, edits, deletes and rolled-back batches", async () => {
    await checkRollupMatchesRecomputation({
      store,
      source: "billing_invoices",
      ops: invoiceOps,
      write: invoiceWrite,
      rollup:
        "SELECT currency, due_on, invoices, open_minor FROM billing_open_by_due ORDER BY currency, due_on",
      recompute: `SELECT currency, due_on, COUNT(*) AS invoices, SUM(amount_minor - amount_paid_minor - amount_credited_minor) AS open_minor
        FROM billing_invoices WHERE amount_minor > amount_paid_minor + amount_credited_minor
        GROUP BY currency, due_on ORDER BY currency, due_on`,
    });
  });

  it("keeps the open balance per account (billing_open_by_account) equal to a recomputation too", async () => {
    await checkRollupMatchesRecomputation({
      store,
      source: "billing_invoices",
      ops: invoiceOps,
      write: invoiceWrite,
      rollup:
        "SELECT account_id, currency, invoices, open_minor FROM billing_open_by_account ORDER BY account_id, currency",
      recompute: `SELECT account_id, currency, COUNT(*) AS invoices, SUM(amount_minor - amount_paid_minor - amount_credited_minor) AS open_minor
        FROM billing_invoices WHERE amount_minor > amount_paid_minor + amount_credited_minor
        GROUP BY account_id, currency ORDER BY account_id, currency`,
    });
  });

  it("is filled from the invoices already there when the migration runs", async () => {
    const fresh = await openTestStore();
    try {
      const before = pack.migrations.filter((m) => m.id !== "0004_billing_open_by_due");
      await migratePack(fresh, { ...pack, migrations: before });
      await fresh.batch([
        {
          sql: "INSERT INTO billing_accounts (id, name, country, currency, payment_terms_days) VALUES ('A-1', 'One', 'US', 'USD', 30)",
        },
        ...[
          ["I-1", "2026-01-31", 1000, 0],
          ["I-2", "2026-01-31", 500, 100],
          ["I-3", "2026-02-28", 700, 700],
        ].map(([id, dueDate, total, paid]) => ({
          sql: `INSERT INTO billing_invoices (id, account_id, issued_on, due_on, amount_minor, amount_paid_minor, currency)
                VALUES (?, 'A-1', '2026-01-01', ?, ?, ?, 'USD')`,
          params: [id!, dueDate!, total!, paid!],
        })),
      ]);
      await migratePack(fresh, pack);
      expect(
        await fresh.all("SELECT currency, due_on, invoices, open_minor FROM billing_open_by_due"),
      ).toEqual([{ currency: "USD", due_on: "2026-01-31", invoices: 2, open_minor: 1400 }]);
    } finally {
      await fresh.close();
    }
  });
});

describe("the AR aging rollup's migration", () => {
  it("is byte for byte the SQL stores already applied as 0004 (built by rollupMigration since)", () => {
    const applied = readFileSync(new URL("./aging-rollup.applied.json", import.meta.url), "utf8");
    expect(agingRollupMigration("0004_billing_open_by_due")).toEqual(JSON.parse(applied));
  });
});
