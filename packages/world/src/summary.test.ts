import { describe, expect, it } from "vitest";
import { worldSummary } from "./summary.js";
import { createWorld } from "./world.js";

describe("worldSummary", () => {
  it("counts about `scale` rows in total (within 25%; the smallest world's fixed master data adds up to 30%)", () => {
    for (const scale of [1_000, 10_000, 50_000]) {
      const { total } = worldSummary(scale, 1);
      expect(total).toBeGreaterThan(scale * 0.85);
      expect(total).toBeLessThan(scale * (scale < 10_000 ? 1.3 : 1.25));
    }
  });

  it("grows every transactional table roughly tenfold with a tenfold scale", () => {
    const small = worldSummary(5_000, 2).tables;
    const large = worldSummary(50_000, 2).tables;
    for (const table of [
      "crm.deals",
      "crm.deal_lines",
      "crm.activities",
      "erp.sales_orders",
      "billing.invoices",
    ]) {
      const ratio = large[table]! / small[table]!;
      expect(ratio, table).toBeGreaterThan(7);
      expect(ratio, table).toBeLessThan(13);
    }
  });

  it("counts exactly the rows the generators yield", () => {
    const { tables } = worldSummary(2_000, 6);
    const world = createWorld({ scale: 2_000, seed: 6 });
    expect(tables["crm.activities"]).toBe([...world.crm.activities()].length);
    expect(tables["erp.sales_order_lines"]).toBe([...world.erp.salesOrderLines()].length);
    expect(tables["warehouse.shipments"]).toBe([...world.warehouse.shipments()].length);
    expect(tables["billing.payments"]).toBe([...world.billing.payments()].length);
  });
});
