import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPackSession, type PackSession } from "../packs/session.js";

// Issue 12: a fact that two packs show is generated once in @toolpacks/world and every seed writes
// it unchanged, so the four seeded stores agree on it value for value. Each query lists the rows
// where two packs disagree; a pack seed that derived its own cost, location or line would show up.
describe("one fact, one value across the four seeded stores", () => {
  let session: PackSession;
  const disagreements = (sql: string) => session.opened.store.all<Record<string, unknown>>(sql);
  const count = async (sql: string) => (await session.opened.store.first<{ n: number }>(sql))?.n ?? 0;
  beforeAll(async () => {
    session = await openPackSession(["crm", "erp", "warehouse", "billing"], { scale: 10_000, seed: 3 });
  }, 120_000);
  afterAll(async () => {
    await session?.close();
  });

  it("item costs: the warehouse values stock at the ERP's standard cost", async () => {
    expect(
      await count("SELECT COUNT(*) AS n FROM wh_items w JOIN erp_items e ON e.sku = w.sku"),
    ).toBeGreaterThan(0);
    expect(
      await disagreements(
        `SELECT w.sku FROM wh_items w LEFT JOIN erp_items e ON e.sku = w.sku
         WHERE e.sku IS NULL OR w.unit_cost_minor <> e.unit_cost_minor OR w.currency <> e.currency`,
      ),
    ).toEqual([]);
  });

  it("locations: a shipment leaves from its ERP order's location, its customer and units are the order's", async () => {
    expect(
      await count(
        "SELECT COUNT(*) AS n FROM wh_shipments s JOIN erp_sales_orders o ON o.id = s.sales_order_id",
      ),
    ).toBeGreaterThan(100);
    expect(
      await disagreements(
        `SELECT s.id FROM wh_shipments s JOIN erp_sales_orders o ON o.id = s.sales_order_id
         WHERE s.location_id <> o.location_id OR s.customer_id <> o.customer_id
            OR s.units <> (SELECT SUM(l.quantity) FROM erp_sales_order_lines l WHERE l.order_id = o.id)`,
      ),
    ).toEqual([]);
  });

  it("invoice lines: each order's invoice bills exactly its ERP lines, in its currency, to its customer", async () => {
    expect(
      await count(
        "SELECT COUNT(*) AS n FROM billing_invoices i JOIN erp_sales_orders o ON o.id = i.sales_order_id",
      ),
    ).toBeGreaterThan(100);
    expect(
      await disagreements(
        `SELECT i.id FROM billing_invoices i JOIN erp_sales_orders o ON o.id = i.sales_order_id
         WHERE i.amount_minor <> o.total_minor OR i.currency <> o.currency OR i.account_id <> o.customer_id`,
      ),
    ).toEqual([]);
    expect(
      await disagreements(
        `SELECT l.id FROM erp_sales_order_lines l
         JOIN billing_invoices i ON i.sales_order_id = l.order_id
         LEFT JOIN billing_invoice_lines b ON b.invoice_id = i.id AND b.line_no = l.line_no
         WHERE b.invoice_id IS NULL OR b.sku <> l.sku OR b.quantity <> l.quantity
            OR b.unit_price_minor <> l.unit_price_minor OR b.amount_minor <> l.amount_minor`,
      ),
    ).toEqual([]);
  });

  it("deals to orders: an order carries its CRM deal's account, currency, amount, USD amount and lines", async () => {
    expect(
      await disagreements(
        `SELECT o.id FROM erp_sales_orders o JOIN crm_deals d ON d.id = o.deal_id
         WHERE o.customer_id <> d.account_id OR o.currency <> d.currency
            OR o.total_minor <> d.amount_minor OR o.total_usd_minor <> d.amount_usd_minor`,
      ),
    ).toEqual([]);
    expect(
      await disagreements(
        `SELECT l.id FROM erp_sales_order_lines l JOIN erp_sales_orders o ON o.id = l.order_id
         LEFT JOIN crm_deal_lines d ON d.deal_id = o.deal_id AND d.line_no = l.line_no
         WHERE d.id IS NULL OR d.sku <> l.sku OR d.quantity <> l.quantity OR d.unit_price_minor <> l.unit_price_minor`,
      ),
    ).toEqual([]);
  });

  it("accounts: a CRM account is the ERP customer and the billing account, in one currency and country", async () => {
    expect(
      await disagreements(
        `SELECT a.id FROM crm_accounts a
         LEFT JOIN erp_customers c ON c.id = a.id LEFT JOIN billing_accounts b ON b.id = a.id
         WHERE c.id IS NULL OR b.id IS NULL OR c.currency <> a.currency OR b.currency <> a.currency
            OR c.country <> a.country OR b.country <> a.country`,
      ),
    ).toEqual([]);
  });
});
