import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SeededErp, seededErp } from "../testing/seeded-erp.js";

let erp: SeededErp;
beforeAll(async () => {
  erp = await seededErp();
});
afterAll(() => erp.close());

describe("order_status", () => {
  it("returns each order with its world lines, in the order asked, and lists unknown ids", async () => {
    const bundles = [...erp.world.erp.salesOrderBundles()].slice(0, 3);
    const ids = bundles.map((b) => b.order.id).reverse();
    const answer = await erp.ask<{ orders: Array<Record<string, unknown>>; not_found: string[] }>(
      "order_status",
      {
        order_ids: [...ids, "SO-9999999"],
      },
    );
    expect(answer.orders.map((o) => o["id"])).toEqual(ids);
    expect(answer.not_found).toEqual(["SO-9999999"]);
    for (const { order, lines } of bundles) {
      const got = answer.orders.find((o) => o["id"] === order.id)!;
      expect(got).toMatchObject({
        deal_id: order.deal_id,
        customer_id: order.customer_id,
        status: order.status,
        total_minor: order.total_minor,
        lines: lines.map((l) => ({
          sku: l.sku,
          quantity: l.quantity,
          net_unit_price_minor: l.unit_price_minor,
        })),
      });
    }
  });
});
