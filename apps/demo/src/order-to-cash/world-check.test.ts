import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPackSession, type PackSession } from "../packs/session.js";
import { invoicedWhileOverdue, invoiceMismatches, writeCounts } from "./world-check.js";

// The checks the end-to-end test relies on must be able to fail: each is shown a broken world here.
describe("order-to-cash world checks", () => {
  let session: PackSession;
  let orderId: string;
  beforeAll(async () => {
    session = await openPackSession(["erp", "billing"], { scale: 1_000, seed: 2 });
    const row = await session.opened.store.first<{ sales_order_id: string }>(
      "SELECT sales_order_id FROM billing_invoices WHERE sales_order_id IS NOT NULL ORDER BY id LIMIT 1",
    );
    orderId = row?.sales_order_id as string;
  });
  afterAll(async () => {
    await session.close();
  });

  it("finds nothing wrong with an invoice the world generated from its order", async () => {
    expect(await invoiceMismatches(session.opened.store, [orderId])).toEqual([]);
  });

  it("reports an invoice whose lines, total or currency differ from its order", async () => {
    const store = session.opened.store;
    await store.run(
      "UPDATE billing_invoice_lines SET quantity = quantity + 1 WHERE invoice_id = (SELECT id FROM billing_invoices WHERE sales_order_id = ?) AND line_no = 1",
      [orderId],
    );
    await store.run(
      "UPDATE billing_invoices SET currency = 'XXX', amount_minor = amount_minor + 1 WHERE sales_order_id = ?",
      [orderId],
    );
    const problems = (await invoiceMismatches(store, [orderId])).map((p) => p.problem);
    expect(problems).toEqual(["currency differs", "total differs", "lines differ"]);
    expect(await invoiceMismatches(store, ["SO-9999999"])).toEqual([
      { order_id: "SO-9999999", problem: "no invoice" },
    ]);
  });

  it("names an account that was invoiced while it had an overdue balance", async () => {
    const store = session.opened.store;
    // An account with an unpaid invoice past due, and a newer invoice of the same account.
    const overdue = await store.first<{ account_id: string }>(
      `SELECT o.account_id FROM billing_invoices o
       WHERE o.amount_paid_minor + o.amount_credited_minor < o.amount_minor AND o.due_on < '2026-06-30'
         AND EXISTS (SELECT 1 FROM billing_invoices n WHERE n.account_id = o.account_id AND n.issued_on > o.issued_on)
       ORDER BY o.id LIMIT 1`,
    );
    const account = overdue?.account_id;
    expect(account).toBeDefined();
    const other = await store.first<{ id: string }>(
      "SELECT id FROM billing_invoices WHERE account_id = ? ORDER BY issued_on DESC LIMIT 1",
      [account as string],
    );
    expect(await invoicedWhileOverdue(store, [other?.id as string], "2026-06-30")).toEqual([account]);
    expect(await invoicedWhileOverdue(store, [], "2026-06-30")).toEqual([]);
  });

  it("counts the rows of every table order to cash writes to", async () => {
    const counts = await writeCounts(session.opened.store);
    expect(counts.salesOrders).toBeGreaterThan(0);
    expect(counts.invoices).toBeGreaterThan(counts.salesOrders / 2);
  });
});
