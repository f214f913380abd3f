import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SeededErp, seededErp } from "../testing/seeded-erp.js";

let erp: SeededErp;
beforeAll(async () => {
  erp = await seededErp();
});
afterAll(() => erp.close());

interface Answer {
  with_order: number;
  without_order: number;
  orders: Array<{ deal_id: string; order_id: string; status: string }>;
  missing: string[];
}

describe("orders_for_deals", () => {
  it("splits the closed-won deals into those with a sales order and those without, like the world", async () => {
    const won = [...erp.world.crm.deals()].filter((d) => d.stage === "closed_won").map((d) => d.id);
    const ordered = new Set([...erp.world.erp.salesOrders()].map((o) => o.deal_id));
    const answer = await erp.ask<Answer>("orders_for_deals", { deal_ids: won });
    expect(answer.missing).toEqual(won.filter((id) => !ordered.has(id)));
    expect(answer.orders.map((o) => o.deal_id)).toEqual(won.filter((id) => ordered.has(id)));
    expect(answer.with_order + answer.without_order).toBe(won.length);
    expect(answer.missing.length).toBeGreaterThan(0);
    for (const o of answer.orders) expect(o.order_id).toBe(`SO-${o.deal_id.slice(2)}`);
  });

  it("counts a repeated deal id once", async () => {
    const answer = await erp.ask<Answer>("orders_for_deals", { deal_ids: ["D-9999999", "D-9999999"] });
    expect(answer).toMatchObject({ with_order: 0, without_order: 1, missing: ["D-9999999"] });
  });

  it("refuses more than 100 deal ids with a fix", async () => {
    const ids = Array.from({ length: 101 }, (_, i) => `D-${i + 1}`);
    const error = await erp.fail("orders_for_deals", { deal_ids: ids });
    expect(error.code).toBe("invalid_arguments");
  });
});
