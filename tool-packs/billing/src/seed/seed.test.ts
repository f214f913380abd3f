import { preparePackStore } from "@toolpacks/pack-kit";
import { openSqliteStore } from "@toolpacks/pack-kit/node";
import { worldSummary } from "@toolpacks/world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pack } from "../pack.js";

const WORLD = { scale: 2_000, seed: 3 };
const store = openSqliteStore();
beforeAll(() => preparePackStore(store, pack, WORLD));
afterAll(() => store.close());

const count = async (table: string) =>
  (await store.first<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))?.n;

describe("seedBilling", () => {
  it("loads exactly the world's billing rows", async () => {
    const { tables } = worldSummary(WORLD.scale, WORLD.seed);
    expect(await count("billing_accounts")).toBe(tables["billing.accounts"]);
    expect(await count("billing_plans")).toBe(tables["billing.plans"]);
    expect(await count("billing_subscriptions")).toBe(tables["billing.subscriptions"]);
    expect(await count("billing_invoices")).toBe(tables["billing.invoices"]);
    expect(await count("billing_payments")).toBe(tables["billing.payments"]);
    expect(await count("billing_credit_notes")).toBe(tables["billing.credit_notes"]);
  });

  it("keeps each invoice's running totals equal to its payment and credit-note rows", async () => {
    const mismatches = await store.first<{ n: number }>(
      `SELECT COUNT(*) AS n FROM billing_invoices i WHERE
         amount_paid_minor <> (SELECT COALESCE(SUM(amount_minor), 0) FROM billing_payments p WHERE p.invoice_id = i.id)
         OR amount_credited_minor <> (SELECT COALESCE(SUM(amount_minor), 0) FROM billing_credit_notes c WHERE c.invoice_id = i.id)`,
    );
    expect(mismatches?.n).toBe(0);
  });

  it("gives every shipped order's invoice lines that add up to the invoice amount", async () => {
    const orderInvoices = await store.all<{ id: string; amount_minor: number; lines: number | null }>(
      `SELECT id, amount_minor, (SELECT SUM(amount_minor) FROM billing_invoice_lines l WHERE l.invoice_id = i.id) AS lines
       FROM billing_invoices i WHERE sales_order_id IS NOT NULL`,
    );
    expect(orderInvoices.length).toBeGreaterThan(0);
    for (const invoice of orderInvoices) expect(invoice.lines, invoice.id).toBe(invoice.amount_minor);
  });

  it("stamps settled_on only on invoices that payments and credit notes cover", async () => {
    const wrong = await store.first<{ n: number }>(
      `SELECT COUNT(*) AS n FROM billing_invoices WHERE (settled_on IS NOT NULL) <> (amount_paid_minor + amount_credited_minor >= amount_minor)`,
    );
    expect(wrong?.n).toBe(0);
  });
});
