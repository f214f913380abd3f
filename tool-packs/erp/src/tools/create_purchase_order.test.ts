import { convertMinor } from "@toolpacks/world";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type SeededErp, seededErp } from "../testing/seeded-erp.js";

let erp: SeededErp;
beforeEach(async () => {
  erp = await seededErp();
});
afterEach(() => erp.close());

describe("create_purchase_order", () => {
  it("orders from the item's supplier at standard cost in its currency, due after its lead time", async () => {
    const item = [...erp.world.erp.items()].find((i) => i.sku === "SKU-00003")!;
    const supplier = [...erp.world.erp.suppliers()].find((s) => s.id === item.supplier_id)!;
    const answer = await erp.ask(
      "create_purchase_order",
      {
        supplier_id: supplier.id,
        sku: item.sku,
        quantity: 40,
        location_id: "WH-02",
      },
      { "toolpacks.dev/idempotencyKey": "po-1" },
    );
    const unit = convertMinor(item.unit_cost_minor, "USD", supplier.currency);
    expect(answer).toMatchObject({
      purchase_order_id: `PO-${String(erp.world.plan.purchaseOrders + 1).padStart(6, "0")}`,
      unit_cost_minor: unit,
      currency: supplier.currency,
      value_minor: unit * 40,
      lead_time_days: supplier.lead_time_days,
    });
    const open = await erp.ask<{ orders: Array<{ id: string }> }>("purchase_orders", {
      sku: item.sku,
      limit: 15,
    });
    expect(open.orders.map((o) => o.id)).toContain(answer["purchase_order_id"]);
  });

  it("orders from the item's own supplier when none is given", async () => {
    const item = [...erp.world.erp.items()].find((i) => i.sku === "SKU-00005")!;
    const answer = await erp.ask("create_purchase_order", {
      sku: item.sku,
      quantity: 10,
      location_id: "WH-01",
    });
    expect(answer).toMatchObject({ supplier_id: item.supplier_id, quantity: 10 });
  });

  it("refuses an order worth more than max_value_minor, naming its value, and writes nothing", async () => {
    const item = [...erp.world.erp.items()].find((i) => i.sku === "SKU-00003")!;
    const supplier = [...erp.world.erp.suppliers()].find((s) => s.id === item.supplier_id)!;
    const value = convertMinor(item.unit_cost_minor, "USD", supplier.currency) * 40;
    const error = await erp.fail("create_purchase_order", {
      sku: item.sku,
      quantity: 40,
      location_id: "WH-02",
      max_value_minor: value - 1,
    });
    expect(error.code).toBe("over_max_value");
    expect(error.text).toContain(String(value));
    const count = await erp.store.first<{ n: number }>("SELECT COUNT(*) AS n FROM erp_purchase_orders");
    expect(count?.n).toBe(erp.world.plan.purchaseOrders);
    const answer = await erp.ask("create_purchase_order", {
      sku: item.sku,
      quantity: 40,
      location_id: "WH-02",
      max_value_minor: value,
    });
    expect(answer).toMatchObject({ value_minor: value });
  });

  it("names the right supplier when the given one does not supply the item", async () => {
    const item = [...erp.world.erp.items()].find((i) => i.sku === "SKU-00003")!;
    const other = [...erp.world.erp.suppliers()].find((s) => s.id !== item.supplier_id)!;
    const error = await erp.fail("create_purchase_order", {
      supplier_id: other.id,
      sku: item.sku,
      quantity: 5,
      location_id: "WH-01",
    });
    expect(error.code).toBe("supplier_does_not_supply");
    expect(error.text).toContain(item.supplier_id);
    const count = await erp.store.first<{ n: number }>("SELECT COUNT(*) AS n FROM erp_purchase_orders");
    expect(count?.n).toBe(erp.world.plan.purchaseOrders);
  });
});
