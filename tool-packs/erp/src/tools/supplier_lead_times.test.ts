import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SeededErp, seededErp } from "../testing/seeded-erp.js";

let erp: SeededErp;
beforeAll(async () => {
  erp = await seededErp();
});
afterAll(() => erp.close());

interface Answer {
  totals: { suppliers: number; max_lead_time_days: number };
  item: { supplier_id: string; lead_time_days: number; arrives_if_ordered_today: string } | null;
  suppliers: Array<{ id: string; lead_time_days: number; items: number; open_pos: number }>;
}

describe("supplier_lead_times", () => {
  it("lists suppliers longest lead time first with their items and open purchase orders", async () => {
    const suppliers = [...erp.world.erp.suppliers()];
    const items = [...erp.world.erp.items()];
    const pos = [...erp.world.erp.purchaseOrders()];
    const answer = await erp.ask<Answer>("supplier_lead_times", { limit: 15 });
    expect(answer.totals.suppliers).toBe(suppliers.length);
    expect(answer.totals.max_lead_time_days).toBe(Math.max(...suppliers.map((s) => s.lead_time_days)));
    // Every supplier, across pages of the largest limit.
    const listed = await erp.pages<Answer["suppliers"][number]>(
      "supplier_lead_times",
      { limit: 15 },
      "suppliers",
    );
    expect(listed).toHaveLength(suppliers.length);
    const leads = listed.map((s) => s.lead_time_days);
    expect(leads).toEqual([...leads].sort((a, b) => b - a));
    for (const s of listed) {
      expect(s.items).toBe(items.filter((i) => i.supplier_id === s.id).length);
      expect(s.open_pos).toBe(pos.filter((p) => p.supplier_id === s.id && p.status === "open").length);
    }
  });

  it("names an item's supplier and when an order placed today arrives", async () => {
    const item = [...erp.world.erp.items()].find((i) => i.sku === "SKU-00007")!;
    const supplier = [...erp.world.erp.suppliers()].find((s) => s.id === item.supplier_id)!;
    const answer = await erp.ask<Answer>("supplier_lead_times", { sku: "SKU-00007" });
    expect(answer.item).toMatchObject({ supplier_id: supplier.id, lead_time_days: supplier.lead_time_days });
    const arrival = new Date(Date.parse(erp.world.asOf) + supplier.lead_time_days * 86_400_000)
      .toISOString()
      .slice(0, 10);
    expect(answer.item?.arrives_if_ordered_today).toBe(arrival);
    expect(answer.suppliers.map((s) => s.id)).toEqual([supplier.id]);
  });

  it("explains an unknown SKU", async () => {
    const error = await erp.fail("supplier_lead_times", { sku: "SKU-99999" });
    expect(error).toMatchObject({ code: "not_found" });
  });
});
