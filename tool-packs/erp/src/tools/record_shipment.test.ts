import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type SeededErp, seededErp } from "../testing/seeded-erp.js";

let erp: SeededErp;
beforeEach(async () => {
  erp = await seededErp();
});
afterEach(() => erp.close());

const KEY = "toolpacks.dev/idempotencyKey";
const openIds = async () => {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { orders: Array<{ id: string }>; next_cursor: string | null } = await erp.ask("open_orders", {
      limit: 15,
      ...(cursor ? { cursor } : {}),
    });
    ids.push(...page.orders.map((o) => o.id));
    cursor = page.next_cursor;
  } while (cursor);
  return ids;
};
const statusOf = async (id: string) =>
  (
    await erp.ask<{ orders: Array<{ status: string; ship_date: string | null }> }>("order_status", {
      order_ids: [id],
    })
  ).orders[0];

describe("record_shipment", () => {
  it("moves a confirmed order to shipped: order_status reads shipped and open_orders drops it", async () => {
    const confirmed = [...erp.world.erp.salesOrders()].find((o) => o.status === "confirmed")!;
    expect(await openIds()).toContain(confirmed.id);
    const answer = await erp.ask("record_shipment", { order_id: confirmed.id }, { [KEY]: "ship-1" });
    expect(answer).toMatchObject({
      order_id: confirmed.id,
      from_status: "confirmed",
      status: "shipped",
      changed: true,
      ship_date: erp.world.asOf,
    });
    expect(await statusOf(confirmed.id)).toMatchObject({ status: "shipped", ship_date: erp.world.asOf });
    expect(await openIds()).not.toContain(confirmed.id);
    const again = await erp.ask("record_shipment", { order_id: confirmed.id });
    expect(again).toMatchObject({ changed: false, status: "shipped", changes: [] });
  });

  it("takes the warehouse's ship day, and refuses a draft, a future day and a day before the order", async () => {
    const confirmed = [...erp.world.erp.salesOrders()].find((o) => o.status === "confirmed")!;
    expect(
      (await erp.fail("record_shipment", { order_id: confirmed.id, shipped_on: "2099-01-01" })).code,
    ).toBe("invalid_ship_date");
    expect(
      (await erp.fail("record_shipment", { order_id: confirmed.id, shipped_on: "2000-01-01" })).code,
    ).toBe("invalid_ship_date");
    await erp.ask("record_shipment", { order_id: confirmed.id, shipped_on: confirmed.order_date });
    expect(await statusOf(confirmed.id)).toMatchObject({
      status: "shipped",
      ship_date: confirmed.order_date,
    });
    await erp.ask("create_sales_order", {
      deal_id: "D-0000069",
      account_id: "C-000001",
      currency: "USD",
      lines: [{ sku: "SKU-00001", quantity: 7, net_unit_price_minor: 39_500 }],
    });
    const draft = await erp.fail("record_shipment", { order_id: "SO-0000069" });
    expect(draft.code).toBe("not_confirmed");
    expect(draft.text).toContain("confirm_sales_order");
    expect((await statusOf("SO-0000069"))?.status).toBe("draft");
    expect((await erp.fail("record_shipment", { order_id: "SO-9999999" })).code).toBe("not_found");
  });
});
