import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SeededWarehouse, seededWarehouse } from "../testing/seeded-warehouse.js";

let wh: SeededWarehouse;
beforeAll(async () => {
  wh = await seededWarehouse();
});
afterAll(() => wh.close());

describe("shipment_status", () => {
  it("counts the window's shipments per status like the world, in-transit ones oldest first", async () => {
    const from = new Date(Date.parse(wh.world.asOf) - 89 * 86_400_000).toISOString().slice(0, 10);
    const inside = [...wh.world.warehouse.shipments()].filter((s) => s.shipped_on >= from);
    const answer = await wh.ask<{
      by_status: Array<{ status: string; shipments: number; units: number }>;
      shipments: Array<{ status: string; shipped_on: string }>;
    }>("shipment_status", { days: 90, limit: 20 });
    for (const status of ["in_transit", "delivered"]) {
      const rows = inside.filter((s) => s.status === status);
      const got = answer.by_status.find((b) => b.status === status);
      expect(got?.shipments ?? 0).toBe(rows.length);
      expect(got?.units ?? 0).toBe(rows.reduce((n, s) => n + s.units, 0));
    }
    expect(answer.shipments.every((s) => s.status === "in_transit")).toBe(true);
    expect(answer.shipments.length).toBe(inside.filter((s) => s.status === "in_transit").length);
  });

  it("tells where given orders stand, in the order asked", async () => {
    const shipped = [...wh.world.warehouse.shipments()][0]!;
    const answer = await wh.ask<{
      orders: Array<{ order_id: string; state: string; shipments: Array<{ id: string }> }>;
    }>("shipment_status", { order_ids: ["SO-9999999", shipped.sales_order_id] });
    expect(answer.orders).toMatchObject([
      { order_id: "SO-9999999", state: "not_reserved", shipments: [] },
      { order_id: shipped.sales_order_id, state: "shipped", shipments: [{ id: shipped.id }] },
    ]);
  });
});
