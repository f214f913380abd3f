import { withPostgresTransaction } from "@toolpacks/pack-kit/node";
import {
  openPostgresTestStore,
  openSeededClient,
  type PostgresTestStore,
  type SeededClient,
  testStoreDialect,
} from "@toolpacks/pack-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPEN_SQL } from "./migrations.js";
import { pack } from "./pack.js";

// SQLite has one writer at a time, so two payments cannot interleave there; on Postgres they
// can, and the payment trigger's lock on the invoice row (FOR UPDATE in
// billing_payments_within_open) is what orders them.
describe.skipIf(testStoreDialect() !== "postgres")("the invoice-row lock on Postgres", () => {
  let store: PostgresTestStore;
  let billing: SeededClient;
  beforeAll(async () => {
    store = await openPostgresTestStore();
    billing = await openSeededClient(pack, { scale: 1_000, seed: 3 }, { store });
  });
  afterAll(async () => {
    await billing?.close();
    await store?.close();
  });

  type Invoice = { id: string; account_id: string; currency: string; owed: number };
  const owedOf = async (id: string) =>
    (
      await store.first<{ owed: number }>(
        "SELECT amount_minor - amount_paid_minor - amount_credited_minor AS owed FROM billing_invoices WHERE id = ?",
        [id],
      )
    )?.owed;
  const lockWaits = async () =>
    (
      await store.first<{ n: number }>(
        "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
      )
    )?.n ?? 0;

  it("two concurrent payments that together over-pay: one lands, the other is refused with overpayment, the balance never goes negative", async () => {
    const invoice = (await store.first<Invoice>(
      `SELECT id, account_id, currency, amount_minor - amount_paid_minor - amount_credited_minor AS owed
       FROM billing_invoices WHERE ${OPEN_SQL} ORDER BY owed DESC, id LIMIT 1`,
    )) as Invoice;
    expect(invoice.owed).toBeGreaterThan(2);
    const each = Math.floor(invoice.owed / 2) + 1;

    // Payment one: another writer (a second server, a sync) with a payment id of its own, whose
    // transaction has inserted the payment and added it to the invoice but not committed yet.
    let commit = () => {};
    const committing = new Promise<void>((resolve) => {
      commit = resolve;
    });
    let written = () => {};
    const wrote = new Promise<void>((resolve) => {
      written = resolve;
    });
    const first = withPostgresTransaction(store.url, async (tx) => {
      await tx.batch([
        {
          sql: "INSERT INTO billing_payments (id, invoice_id, account_id, paid_on, amount_minor, currency, method) VALUES (?, ?, ?, (SELECT issued_on FROM billing_invoices WHERE id = ?), ?, ?, 'card')",
          params: ["PAY-ELSEWHERE-1", invoice.id, invoice.account_id, invoice.id, each, invoice.currency],
        },
        {
          sql: "UPDATE billing_invoices SET amount_paid_minor = amount_paid_minor + ? WHERE id = ?",
          params: [each, invoice.id],
        },
      ]);
      written();
      await committing;
    });
    await wrote;

    // Payment two, through the tool: it plans against the open amount without payment one (not
    // committed), so only the database can stop it. It must wait for payment one, then be refused.
    let settled = false;
    const second = billing
      .call("record_payment", { invoice_id: invoice.id, amount_minor: each, currency: invoice.currency })
      .finally(() => {
        settled = true;
      });
    // Payment one commits once payment two waits on a lock (or, with no lock at all, has finished).
    while (!settled && (await lockWaits()) === 0) await new Promise((r) => setTimeout(r, 20));
    commit();
    await first;
    const result = await second;

    expect(result.isError).toBe(true);
    expect(result.code, result.text).toBe("overpayment");
    expect(await owedOf(invoice.id)).toBe(invoice.owed - each);
    // No invoice owes less than nothing, and every one's running total equals its payment rows.
    expect(
      await store.all(
        `SELECT id FROM billing_invoices WHERE amount_paid_minor + amount_credited_minor > amount_minor
           OR amount_paid_minor <> (SELECT COALESCE(SUM(p.amount_minor), 0) FROM billing_payments p WHERE p.invoice_id = billing_invoices.id)`,
      ),
    ).toEqual([]);
  });
});
