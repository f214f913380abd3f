import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type SeededErp, seededErp } from "../testing/seeded-erp.js";

let erp: SeededErp;
beforeEach(async () => {
  erp = await seededErp();
  await erp.ask("create_sales_order", {
    deal_id: "D-0000069",
    account_id: "C-000001",
    currency: "USD",
    lines: [{ sku: "SKU-00001", quantity: 1, net_unit_price_minor: 100 }],
  });
});
afterEach(() => erp.close());

describe("confirm_sales_order", () => {
  it("moves a draft to confirmed with a planned ship date a week out, then changes nothing", async () => {
    const first = await erp.ask("confirm_sales_order", { order_id: "SO-0000069", location_id: "WH-01" });
    const week = new Date(Date.parse(erp.world.asOf) + 7 * 86_400_000).toISOString().slice(0, 10);
    expect(first).toMatchObject({
      from_status: "draft",
      status: "confirmed",
      changed: true,
      planned_ship_date: week,
      location_id: "WH-01",
    });
    const again = await erp.ask("confirm_sales_order", { order_id: "SO-0000069" });
    expect(again).toMatchObject({ status: "confirmed", changed: false, changes: [] });
    const open = await erp.ask<{ by_status: Array<{ status: string }> }>("open_orders", {
      customer_id: "C-000001",
      status: "confirmed",
    });
    expect(open.by_status.map((s) => s.status)).toEqual(["confirmed"]);
  });

  it("refuses shipped orders, past ship dates and unknown orders with a fix", async () => {
    const shipped = [...erp.world.erp.salesOrders()].find((o) => o.status === "shipped")!;
    expect((await erp.fail("confirm_sales_order", { order_id: shipped.id })).code).toBe("already_shipped");
    const past = await erp.fail("confirm_sales_order", {
      order_id: "SO-0000069",
      planned_ship_date: "2020-01-01",
    });
    expect(past.code).toBe("invalid_ship_date");
    expect((await erp.fail("confirm_sales_order", { order_id: "SO-7777777" })).code).toBe("not_found");
    expect(
      (await erp.fail("confirm_sales_order", { order_id: "SO-0000069", location_id: "WH-77" })).code,
    ).toBe("not_found");
    const row = await erp.store.first<{ status: string }>(
      "SELECT status FROM erp_sales_orders WHERE id = 'SO-0000069'",
    );
    expect(row?.status).toBe("draft");
  });
});
