import { connectPackClient, holdBatches } from "@toolpacks/pack-kit/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pack } from "../pack.js";
import { type SeededWarehouse, seededWarehouse } from "../testing/seeded-warehouse.js";

let wh: SeededWarehouse;
beforeEach(async () => {
  wh = await seededWarehouse();
});
afterEach(() => wh.close());

const lines = [
  { sku: "SKU-00001", quantity: 4 },
  { sku: "SKU-00003", quantity: 2 },
];
const stock = async () =>
  wh.store.all<{ sku: string; location_id: string; on_hand: number; reserved: number }>(
    "SELECT sku, location_id, on_hand, reserved FROM wh_stock WHERE sku IN ('SKU-00001', 'SKU-00003') ORDER BY sku, location_id",
  );

describe("release_reservation", () => {
  it("gives the reserved units back, then changes nothing on a second release", async () => {
    const before = await stock();
    await wh.ask("reserve_stock", { order_id: "SO-8000001", lines });
    const released = await wh.ask("release_reservation", { order_id: "SO-8000001" });
    expect(released).toMatchObject({ changed: true, units_released: 6, reservation_id: "RES-8000001-1" });
    expect(await stock()).toEqual(before);
    expect(await wh.ask("release_reservation", { order_id: "SO-8000001" })).toMatchObject({
      changed: false,
      units_released: 0,
    });
    const again = await wh.ask("reserve_stock", { order_id: "SO-8000001", lines });
    expect(again).toMatchObject({ created: true, reservation_id: "RES-8000001-2" });
  });
});

describe("create_shipment", () => {
  it("ships a reserved order: units leave on hand and reserved, issue movements and shipments recorded", async () => {
    const before = await stock();
    const reserved = await wh.ask<{
      allocations: Array<{ sku: string; location_id: string; quantity: number }>;
    }>("reserve_stock", { order_id: "SO-8000001", lines });
    const shipped = await wh.ask<{
      created: boolean;
      units: number;
      shipments: Array<{ id: string; status: string }>;
    }>("create_shipment", { order_id: "SO-8000001", carrier: "DHL", customer_id: "C-000001" });
    expect(shipped).toMatchObject({ created: true, units: 6 });
    expect(shipped.shipments[0]).toMatchObject({ id: "SHP-8000001", status: "in_transit" });
    const after = await stock();
    for (const a of reserved.allocations) {
      const was = before.find((s) => s.sku === a.sku && s.location_id === a.location_id)!;
      const now = after.find((s) => s.sku === a.sku && s.location_id === a.location_id)!;
      expect(now).toMatchObject({ on_hand: was.on_hand - a.quantity, reserved: was.reserved });
    }
    const issues = await wh.store.all(
      "SELECT id FROM wh_movements WHERE reference = 'SHP-8000001' AND kind = 'issue'",
    );
    expect(issues).toHaveLength(reserved.allocations.length);
    const status = await wh.ask<{ orders: Array<{ state: string; shipments: unknown[] }> }>(
      "shipment_status",
      {
        order_ids: ["SO-8000001"],
      },
    );
    expect(status.orders[0]).toMatchObject({ state: "shipped" });
    const twice = await wh.ask("create_shipment", { order_id: "SO-8000001" });
    expect(twice).toMatchObject({ created: false, units: 6, changes: [] });
    expect((await wh.fail("release_reservation", { order_id: "SO-8000001" })).code).toBe("already_shipped");
  });

  it("ties each issue movement to the shipment of its location when the order ships from two", async () => {
    // SKU-00001 only at WH-01 and SKU-00003 only at WH-02: the reservation splits, so two shipments.
    await wh.store.run("UPDATE wh_stock SET on_hand = reserved WHERE sku IN ('SKU-00001', 'SKU-00003')");
    await wh.store.run(
      "UPDATE wh_stock SET on_hand = reserved + 10 WHERE sku = 'SKU-00001' AND location_id = 'WH-01'",
    );
    await wh.store.run(
      "UPDATE wh_stock SET on_hand = reserved + 10 WHERE sku = 'SKU-00003' AND location_id = 'WH-02'",
    );
    const reserved = await wh.ask<{ status: string }>("reserve_stock", {
      order_id: "SO-8000002",
      lines,
      split: true,
    });
    expect(reserved.status).toBe("reserved");
    const shipped = await wh.ask<{ shipments: Array<{ id: string; location_id: string; units: number }> }>(
      "create_shipment",
      { order_id: "SO-8000002" },
    );
    expect(shipped.shipments.map((s) => [s.id, s.location_id, s.units])).toEqual([
      ["SHP-8000002", "WH-01", 4],
      ["SHP-8000002-2", "WH-02", 2],
    ]);
    const issues = await wh.store.all<{
      id: string;
      sku: string;
      location_id: string;
      quantity: number;
      reference: string;
    }>(
      "SELECT id, sku, location_id, quantity, reference FROM wh_movements WHERE kind = 'issue' AND reference LIKE 'SHP-8000002%' ORDER BY id",
    );
    expect(issues).toEqual([
      {
        id: "MV-SHP-8000002-1",
        sku: "SKU-00001",
        location_id: "WH-01",
        quantity: -4,
        reference: "SHP-8000002",
      },
      {
        id: "MV-SHP-8000002-2-2",
        sku: "SKU-00003",
        location_id: "WH-02",
        quantity: -2,
        reference: "SHP-8000002-2",
      },
    ]);
  });

  it("refuses an order without a reservation and tells how to get one", async () => {
    const error = await wh.fail("create_shipment", { order_id: "SO-8000009" });
    expect(error.code).toBe("not_reserved");
    expect(error.text).toContain("reserve_stock");
  });

  it("answers every one of 100 racing shipment calls with the order's one shipment", async () => {
    await wh.ask("reserve_stock", { order_id: "SO-8000001", lines });
    const before = await stock();
    // Every call plans before any commits, so 99 plans ship a reservation the winner has just
    // shipped (the state trigger refuses them); the kit plans those once more and they see it.
    const racing = await connectPackClient(pack, { store: holdBatches(wh.store, 100), budget: "error" });
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        racing.call(
          "create_shipment",
          { order_id: "SO-8000001" },
          { "toolpacks.dev/idempotencyKey": `k-${i}` },
        ),
      ),
    );
    await racing.close();
    expect(results.filter((r) => r.isError).map((r) => r._meta?.["toolpacks.dev/errorCode"])).toEqual([]);
    const answers = results.map((r) => r.structuredContent as { created: boolean; units: number });
    expect(answers.filter((a) => a.created)).toHaveLength(1);
    for (const a of answers) expect(a.units).toBe(6);
    const shipments = await wh.store.all("SELECT id FROM wh_shipments WHERE sales_order_id = 'SO-8000001'");
    expect(shipments.length).toBe(1);
    // Stock left once: on hand and reserved both fell by the 6 units, not by 6 per call.
    const after = await stock();
    const sum = (rows: typeof before, field: "on_hand" | "reserved") =>
      rows.reduce((n, r) => n + r[field], 0);
    expect(sum(before, "on_hand") - sum(after, "on_hand")).toBe(6);
    expect(sum(before, "reserved") - sum(after, "reserved")).toBe(6);
  });
});
