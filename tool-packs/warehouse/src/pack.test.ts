import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pack } from "./pack.js";
import { type SeededWarehouse, seededWarehouse } from "./testing/seeded-warehouse.js";

let wh: SeededWarehouse;
beforeAll(async () => {
  wh = await seededWarehouse();
});
afterAll(() => wh.close());

describe("the warehouse pack", () => {
  it("lists six reads (sync_status among them) and three writes with scopes and annotations", async () => {
    const { tools } = await wh.client.client.listTools();
    expect(tools.map((t) => t.name)).toEqual([
      "available_to_promise",
      "low_stock",
      "inventory_valuation",
      "movement_summary",
      "shipment_status",
      "sync_status",
      "reserve_stock",
      "release_reservation",
      "create_shipment",
    ]);
    for (const tool of tools) {
      const write = pack.tool(tool.name)?.kind === "write";
      expect(tool._meta?.["toolpacks.dev/scope"]).toBe(write ? "warehouse:write" : "warehouse:read");
      expect(tool.annotations?.readOnlyHint).toBe(!write);
    }
    expect(tools.find((t) => t.name === "release_reservation")?.annotations?.destructiveHint).toBe(true);
  });

  it("tells a program, in create_shipment's description, that the ERP must be told with record_shipment", async () => {
    const { tools } = await wh.client.client.listTools();
    const description = tools.find((t) => t.name === "create_shipment")?.description ?? "";
    expect(description).toContain("erp.record_shipment");
  });

  it("seeds the world's stock, movements, reservations and shipments, with item costs from the product master", async () => {
    const count = async (table: string) =>
      (await wh.store.first<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))!.n;
    expect(await count("wh_stock")).toBe([...wh.world.warehouse.stock()].length);
    expect(await count("wh_movements")).toBe([...wh.world.warehouse.movements()].length);
    expect(await count("wh_reservations")).toBe([...wh.world.warehouse.reservations()].length);
    expect(await count("wh_reservation_lines")).toBe([...wh.world.warehouse.reservationLines()].length);
    expect(await count("wh_shipments")).toBe([...wh.world.warehouse.shipments()].length);
    expect(await count("wh_items")).toBe(wh.world.products().length);
  });
});
