import { beforeAll, describe, expect, it } from "vitest";
import type { CrmDeal } from "./crm/types.js";
import { toReportingMinor } from "./money.js";
import { createWorld, type World } from "./world.js";

describe("realistic shapes", () => {
  let world: World;
  let deals: CrmDeal[];
  beforeAll(() => {
    world = createWorld({ scale: 20_000, seed: 11 });
    deals = [...world.crm.deals()];
  });

  it("leaves some closed-won deals without a sales order, most of them recent", () => {
    const ordered = new Set([...world.erp.salesOrders()].map((o) => o.deal_id));
    const won = deals.filter((d) => d.stage === "closed_won");
    const missing = won.filter((d) => !ordered.has(d.id));
    expect(missing.length).toBeGreaterThan(0);
    expect(missing.length).toBeLessThan(won.length * 0.2);
    const recent = missing.filter((d) => d.close_date >= "2026-06-01");
    expect(recent.length).toBeGreaterThan(0);
  });

  it("has an overdue tail: some invoices overdue, a few by more than 90 days", () => {
    const invoices = [...world.billing.invoices()];
    const overdue = invoices.filter((i) => i.status === "overdue");
    expect(overdue.length).toBeGreaterThan(invoices.length * 0.01);
    expect(overdue.length).toBeLessThan(invoices.length * 0.2);
    expect(overdue.some((i) => i.due_on < "2026-04-01")).toBe(true);
    for (const i of overdue) expect(i.due_on < world.asOf).toBe(true);
  });

  it("has low-stock and out-of-stock rows among well-stocked ones", () => {
    const stock = [...world.warehouse.stock()];
    const out = stock.filter((s) => s.on_hand === 0);
    const low = stock.filter((s) => s.on_hand > 0 && s.on_hand - s.reserved < s.reorder_point);
    expect(out.length).toBeGreaterThan(0);
    expect(low.length).toBeGreaterThan(0);
    expect(out.length + low.length).toBeLessThan(stock.length * 0.3);
    for (const s of stock) expect(s.reserved).toBeLessThanOrEqual(s.on_hand);
  });

  it("skews deal sizes: the top 1% is many times the median", () => {
    const amounts = deals.map((d) => d.amount_minor).sort((a, b) => a - b);
    const median = amounts[Math.floor(amounts.length / 2)]!;
    const p99 = amounts[Math.floor(amounts.length * 0.99)]!;
    expect(p99 / median).toBeGreaterThan(10);
  });

  it("closes more deals in the last month of a quarter than in the first", () => {
    const byMonth = new Map<number, number>();
    for (const d of deals)
      if (d.stage === "closed_won" || d.stage === "closed_lost") {
        const month = Number(d.close_date.slice(5, 7));
        byMonth.set(month, (byMonth.get(month) ?? 0) + 1);
      }
    const last = [3, 6, 9, 12].reduce((s, m) => s + (byMonth.get(m) ?? 0), 0);
    const first = [1, 4, 7, 10].reduce((s, m) => s + (byMonth.get(m) ?? 0), 0);
    expect(last).toBeGreaterThan(first * 1.5);
  });

  it("has open pipeline in every open stage and stale deals past their close date", () => {
    for (const stage of ["prospecting", "qualification", "proposal", "negotiation"]) {
      expect(deals.some((d) => d.stage === stage)).toBe(true);
    }
    expect(deals.some((d) => !d.stage.startsWith("closed") && d.close_date < world.asOf)).toBe(true);
    for (const d of deals) if (d.stage.startsWith("closed")) expect(d.close_date <= world.asOf).toBe(true);
  });

  it("sets quarterly targets near what each quarter actually won", () => {
    const won = new Map<string, number>();
    for (const d of deals) {
      if (d.stage !== "closed_won") continue;
      const quarter = `${d.close_date.slice(0, 4)}-Q${Math.floor((Number(d.close_date.slice(5, 7)) - 1) / 3) + 1}`;
      won.set(quarter, (won.get(quarter) ?? 0) + toReportingMinor(d.amount_minor, d.currency));
    }
    const target = new Map<string, number>();
    for (const t of world.crm.targets()) target.set(t.period, (target.get(t.period) ?? 0) + t.target_minor);
    for (const quarter of ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]) {
      const attainment = won.get(quarter)! / target.get(quarter)!;
      expect(attainment, quarter).toBeGreaterThan(0.7);
      expect(attainment, quarter).toBeLessThan(1.4);
    }
    expect(target.get("2026-Q4")).toBeGreaterThan(0);
  });

  it("mixes currencies and keeps money in integer minor units", () => {
    expect(new Set(deals.map((d) => d.currency)).size).toBe(3);
    for (const l of world.crm.dealLines()) {
      expect(Number.isSafeInteger(l.amount_minor)).toBe(true);
      expect(l.amount_minor).toBe(l.unit_price_minor * l.quantity);
    }
  });
});
