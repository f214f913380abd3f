import { beforeAll, describe, expect, it } from "vitest";
import type { CrmDeal } from "./crm/types.js";
import type { ErpSalesOrder } from "./erp/types.js";
import { createWorld, type World } from "./world.js";

const ids = <T>(rows: Iterable<T>, key: (row: T) => string) => new Set([...rows].map(key));

describe("shared identifiers join across the four systems", () => {
  let world: World;
  let deals: Map<string, CrmDeal>;
  let orders: Map<string, ErpSalesOrder>;
  beforeAll(() => {
    world = createWorld({ scale: 8_000, seed: 3 });
    deals = new Map([...world.crm.deals()].map((d) => [d.id, d]));
    orders = new Map([...world.erp.salesOrders()].map((o) => [o.id, o]));
  });

  it("finds every deal's account as a CRM account, an ERP customer and a billing account", () => {
    const crm = ids(world.crm.accounts(), (a) => a.id);
    const erp = ids(world.erp.customers(), (c) => c.id);
    const billing = ids(world.billing.accounts(), (a) => a.id);
    expect(deals.size).toBeGreaterThan(0);
    for (const deal of deals.values()) {
      expect(crm.has(deal.account_id)).toBe(true);
      expect(erp.has(deal.account_id)).toBe(true);
      expect(billing.has(deal.account_id)).toBe(true);
    }
  });

  it("finds every deal line's SKU as an ERP item and in stock at some location", () => {
    const items = ids(world.erp.items(), (i) => i.sku);
    const stocked = ids(world.warehouse.stock(), (s) => s.sku);
    for (const line of world.crm.dealLines()) {
      expect(items.has(line.sku)).toBe(true);
      expect(stocked.has(line.sku)).toBe(true);
    }
  });

  it("keeps deal amounts equal to the sum of their lines", () => {
    const sums = new Map<string, number>();
    for (const l of world.crm.dealLines()) sums.set(l.deal_id, (sums.get(l.deal_id) ?? 0) + l.amount_minor);
    for (const deal of deals.values()) expect(sums.get(deal.id)).toBe(deal.amount_minor);
  });

  it("creates sales orders only for closed-won deals, with the deal's customer, currency and lines", () => {
    const locations = ids(world.warehouse.locations(), (l) => l.id);
    for (const { order, lines } of world.erp.salesOrderBundles()) {
      const deal = deals.get(order.deal_id)!;
      expect(deal.stage).toBe("closed_won");
      expect(order.customer_id).toBe(deal.account_id);
      expect(order.currency).toBe(deal.currency);
      expect(order.total_minor).toBe(deal.amount_minor);
      expect(lines.map((l) => [l.sku, l.quantity])).toEqual(
        world.crm.dealAt(Number(deal.id.slice(2)) - 1).lines.map((l) => [l.sku, l.quantity]),
      );
      expect(locations.has(order.location_id)).toBe(true);
      expect(order.order_date >= deal.close_date).toBe(true);
    }
  });

  it("ships only shipped orders and invoices exactly the shipped ones", () => {
    const shipped = [...orders.values()].filter((o) => o.status === "shipped").map((o) => o.id);
    const shipments = [...world.warehouse.shipments()];
    expect(shipments.map((s) => s.sales_order_id)).toEqual(shipped);
    const invoiced = [...world.billing.invoices()].filter((i) => i.sales_order_id !== null);
    expect(invoiced.map((i) => i.sales_order_id)).toEqual(shipped);
    for (const inv of invoiced) expect(inv.amount_minor).toBe(orders.get(inv.sales_order_id!)!.total_minor);
  });

  it("keeps invoice paid and credited amounts equal to their payments and credit notes", () => {
    for (const { invoice, payments, creditNotes } of world.billing.invoiceBundles()) {
      expect(payments.reduce((s, p) => s + p.amount_minor, 0)).toBe(invoice.amount_paid_minor);
      expect(creditNotes.reduce((s, c) => s + c.amount_minor, 0)).toBe(invoice.amount_credited_minor);
      expect(invoice.amount_paid_minor + invoice.amount_credited_minor).toBeLessThanOrEqual(
        invoice.amount_minor,
      );
      for (const p of payments) expect(p.paid_on <= world.asOf).toBe(true);
    }
  });

  it("links purchase orders, movements and contacts to entities that exist", () => {
    const suppliers = ids(world.erp.suppliers(), (s) => s.id);
    const items = ids(world.erp.items(), (i) => i.sku);
    const pos = ids(world.erp.purchaseOrders(), (p) => p.id);
    for (const po of world.erp.purchaseOrders()) {
      expect(suppliers.has(po.supplier_id)).toBe(true);
      expect(items.has(po.sku)).toBe(true);
    }
    const shipments = ids(world.warehouse.shipments(), (s) => s.id);
    for (const m of world.warehouse.movements()) {
      if (m.kind === "receipt") expect(pos.has(m.reference ?? "")).toBe(true);
      else if (m.kind === "issue") expect(shipments.has(m.reference ?? "")).toBe(true);
      else expect(m.reference).toBeNull();
    }
    const accounts = ids(world.crm.accounts(), (a) => a.id);
    for (const c of world.crm.contacts()) expect(accounts.has(c.account_id)).toBe(true);
    const owners = ids(world.crm.owners(), (o) => o.id);
    for (const t of world.crm.targets()) expect(owners.has(t.owner_id)).toBe(true);
    for (const d of deals.values()) expect(owners.has(d.owner_id)).toBe(true);
  });

  it("uses unique ids within every table", () => {
    const unique = (rows: Iterable<{ id: string }>) => {
      const list = [...rows].map((r) => r.id);
      expect(new Set(list).size).toBe(list.length);
    };
    unique(world.crm.deals());
    unique(world.crm.dealLines());
    unique(world.crm.activities());
    unique(world.crm.contacts());
    unique(world.erp.salesOrderLines());
    unique(world.billing.invoices());
    unique(world.billing.payments());
  });
});
