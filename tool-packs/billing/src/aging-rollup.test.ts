import { readFileSync } from "node:fs";
import { migratePack, type Statement, type Store } from "@toolpacks/pack-kit";
import {
  checkRollupMatchesRecomputation,
  openTestStore,
  type RollupRows,
  testStoreDialect,
} from "@toolpacks/pack-kit/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agingRollupMigration } from "./aging-rollup.js";
import { pack } from "./pack.js";

// Every write path (record_payment, issue_credit_note, invoice_order, seeding, import, sync,
// removals) ends in these row operations on billing_invoices; the rollup must equal a
// from-scratch GROUP BY of the open invoices after every sequence of them.
type Op =
  | {
      kind: "insert";
      account: string;
      currency: string;
      due: number;
      amount: number;
      paid: number;
      credited: number;
    }
  | { kind: "account"; pick: number; account: string }
  | { kind: "pay"; pick: number; amount: number }
  | { kind: "credit"; pick: number; amount: number }
  | { kind: "due"; pick: number; due: number }
  | { kind: "currency"; pick: number; currency: string }
  | { kind: "amount"; pick: number; amount: number }
  | { kind: "delete"; pick: number };

const currencies = fc.constantFrom("USD", "EUR", "GBP");
const accounts = fc.constantFrom("A-1", "A-2");
// A few due dates, so groups fill, empty and refill.
const due = fc.integer({ min: 1, max: 4 });
const amount = fc.integer({ min: 1, max: 5_000_000 });
const pick = fc.nat(1_000);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant("insert" as const),
    account: accounts,
    currency: currencies,
    due,
    amount,
    paid: fc.nat(5_000_000),
    credited: fc.nat(5_000_000),
  }),
  fc.record({ kind: fc.constant("pay" as const), pick, amount }),
  fc.record({ kind: fc.constant("credit" as const), pick, amount }),
  fc.record({ kind: fc.constant("due" as const), pick, due }),
  fc.record({ kind: fc.constant("currency" as const), pick, currency: currencies }),
  fc.record({ kind: fc.constant("amount" as const), pick, amount }),
  fc.record({ kind: fc.constant("delete" as const), pick }),
  fc.record({ kind: fc.constant("account" as const), pick, account: accounts }),
);

const dueOn = (d: number) => `2026-0${d}-15`;

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

  function write(o: Op, rows: RollupRows): Statement[] {
    if (o.kind === "insert") {
      // Paid and credited within the CHECKs (credited <= amount); paid may cover it or more.
      const credited = o.credited % (o.amount + 1);
      const paid = o.paid % (o.amount + 2);
      return [
        {
          sql: `INSERT INTO billing_invoices (id, account_id, issued_on, due_on, amount_minor, amount_paid_minor, amount_credited_minor, currency)
                VALUES (?, ?, '2026-01-01', ?, ?, ?, ?, ?)`,
          params: [`INV-${rows.fresh()}`, o.account, dueOn(o.due), o.amount, paid, credited, o.currency],
        },
      ];
    }
    const id = rows.pick(o.pick);
    if (id === undefined) return [];
    switch (o.kind) {
      case "pay":
        return [
          {
            sql: "UPDATE billing_invoices SET amount_paid_minor = amount_paid_minor + ? WHERE id = ?",
            params: [o.amount, id],
          },
        ];
      case "credit":
        return [
          {
            sql: `UPDATE billing_invoices SET amount_credited_minor = CASE WHEN amount_credited_minor + ? <= amount_minor
                    THEN amount_credited_minor + ? ELSE amount_minor END WHERE id = ?`,
            params: [o.amount, o.amount, id],
          },
        ];
      case "due":
        return [{ sql: "UPDATE billing_invoices SET due_on = ? WHERE id = ?", params: [dueOn(o.due), id] }];
      case "currency":
        return [{ sql: "UPDATE billing_invoices SET currency = ? WHERE id = ?", params: [o.currency, id] }];
      case "amount":
        return [
          {
            sql: "UPDATE billing_invoices SET amount_minor = ?, amount_credited_minor = 0 WHERE id = ?",
            params: [o.amount, id],
          },
        ];
      case "delete":
        return [{ sql: "DELETE FROM billing_invoices WHERE id = ?", params: [id] }];
      case "account":
        return [{ sql: "UPDATE billing_invoices SET account_id = ? WHERE id = ?", params: [o.account, id] }];
    }
  }

  it("equals a from-scratch recomputation after any sequence of inserts, payments, credits, edits, deletes and rolled-back batches", async () => {
    await checkRollupMatchesRecomputation({
      store,
      source: "billing_invoices",
      ops: op,
      write,
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
      ops: op,
      write,
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
