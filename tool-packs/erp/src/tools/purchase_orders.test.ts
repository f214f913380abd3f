import { type Currency, toReportingMinor } from "@toolpacks/world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupBy, type SeededErp, seededErp } from "../testing/seeded-erp.js";

let erp: SeededErp;
beforeAll(async () => {
  erp = await seededErp();
});
afterAll(() => erp.close());

interface Answer {
  by_status: Array<{ status: string; orders: number; units: number; value_usd_minor: number }>;
  overdue_open: number;
  orders: Array<{ id: string; status: string; supplier_id: string; expected_date: string }>;
  next_cursor: string | null;
}

describe("purchase_orders", () => {
  it("totals every status like the world's purchase orders", async () => {
    const pos = [...erp.world.erp.purchaseOrders()];
    const answer = await erp.ask<Answer>("purchase_orders", {});
    const expected = [...groupBy(pos, (p) => p.status)]
      .map(([status, rows]) => ({
        status,
        orders: rows.length,
        units: rows.reduce((s, p) => s + p.quantity, 0),
        // One rule: each currency's total converted once, then added.
        value_usd_minor: [...groupBy(rows, (p) => p.currency)].reduce(
          (s: number, [currency, inCurrency]) =>
            s +
            toReportingMinor(
              inCurrency.reduce((v, p) => v + p.quantity * p.unit_cost_minor, 0),
              currency as Currency,
            ),
          0,
        ),
      }))
      .sort((a, b) => a.status.localeCompare(b.status));
    expect(answer.by_status).toEqual(expected);
    expect(answer.orders.every((o) => o.status === "open")).toBe(true);
    const dates = answer.orders.map((o) => o.expected_date);
    expect(dates).toEqual([...dates].sort());
  });

  it("narrows to one supplier and pages received orders", async () => {
    const pos = [...erp.world.erp.purchaseOrders()].filter(
      (p) => p.supplier_id === "SUP-001" && p.status === "received",
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Answer = await erp.ask<Answer>("purchase_orders", {
        supplier_id: "SUP-001",
        status: "received",
        limit: 2,
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...page.orders.map((o) => o.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen.sort()).toEqual(pos.map((p) => p.id).sort());
  });
});
