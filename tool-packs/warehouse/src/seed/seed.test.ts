import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SeededWarehouse, seededWarehouse } from "../testing/seeded-warehouse.js";

let wh: SeededWarehouse;
beforeAll(async () => {
  wh = await seededWarehouse();
});
afterAll(() => wh.close());

interface Status {
  active_reservations: { orders: number; units: number };
  orders: Array<{ order_id: string; state: string; reservation: { units: number } | null }>;
}

describe("seedWarehouse", () => {
  it("backs every reserved unit with an active reservation line at the same SKU and location", async () => {
    const unbacked = await wh.store.all<{ sku: string; location_id: string; reserved: number; held: number }>(
      `SELECT * FROM (SELECT s.sku, s.location_id, s.reserved, COALESCE((SELECT SUM(l.quantity) FROM wh_reservation_lines l
         JOIN wh_reservations r ON r.id = l.reservation_id
         WHERE r.status = 'active' AND l.sku = s.sku AND l.location_id = s.location_id), 0) AS held
       FROM wh_stock s) backed WHERE reserved <> held`,
    );
    expect(unbacked).toEqual([]);
    const reserved = await wh.store.first<{ n: number }>("SELECT SUM(reserved) AS n FROM wh_stock");
    expect(reserved!.n).toBeGreaterThan(0);
  });

  it("shows each seeded confirmed order as reserved, with its order's units, in shipment_status", async () => {
    const confirmed = [...wh.world.erp.salesOrderBundles()].filter((b) => b.order.status === "confirmed");
    expect(confirmed.length).toBeGreaterThan(0);
    const answer = await wh.ask<Status>("shipment_status", {
      order_ids: confirmed.slice(0, 20).map((b) => b.order.id),
    });
    for (const [i, order] of answer.orders.entries()) {
      const units = confirmed[i]!.lines.reduce((n, l) => n + l.quantity, 0);
      expect([order.order_id, order.state, order.reservation?.units]).toEqual([
        confirmed[i]!.order.id,
        "reserved",
        units,
      ]);
    }
    const all = confirmed.reduce((n, b) => n + b.lines.reduce((m, l) => m + l.quantity, 0), 0);
    expect(answer.active_reservations).toEqual({ orders: confirmed.length, units: all });
  });

  it("records a receipt only for a received ERP purchase order, with its SKU, location and quantity", async () => {
    const pos = new Map([...wh.world.erp.purchaseOrders()].map((p) => [p.id, p]));
    const receipts = await wh.store.all<{
      sku: string;
      location_id: string;
      quantity: number;
      reference: string;
    }>("SELECT sku, location_id, quantity, reference FROM wh_movements WHERE kind = 'receipt'");
    expect(receipts.length).toBeGreaterThan(0);
    for (const r of receipts) {
      const po = pos.get(r.reference);
      expect([po?.status, po?.sku, po?.location_id, po?.quantity]).toEqual([
        "received",
        r.sku,
        r.location_id,
        r.quantity,
      ]);
    }
  });

  it("records every shipped order line as an issue from its shipment's location, naming the shipment", async () => {
    const wrong = await wh.store.all<{ id: string }>(
      `SELECT m.id FROM wh_movements m LEFT JOIN wh_shipments s ON s.id = m.reference
       WHERE m.kind = 'issue' AND (s.id IS NULL OR m.location_id <> s.location_id OR m.quantity >= 0)`,
    );
    expect(wrong).toEqual([]);
    const unissued = await wh.store.all<{ id: string; units: number; issued: number }>(
      `SELECT * FROM (SELECT s.id, s.units, COALESCE((SELECT -SUM(m.quantity) FROM wh_movements m
         WHERE m.kind = 'issue' AND m.reference = s.id), 0) AS issued
       FROM wh_shipments s) shipped WHERE units <> issued`,
    );
    expect(unissued).toEqual([]);
    const shipped = [...wh.world.erp.salesOrderBundles()].filter((b) => b.order.status === "shipped");
    const issues = await wh.store.first<{ n: number }>(
      "SELECT COUNT(*) AS n FROM wh_movements WHERE kind = 'issue'",
    );
    expect(issues?.n).toBe(shipped.reduce((n, b) => n + b.lines.length, 0));
  });
});
