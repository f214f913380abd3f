import { migratePack, type Statement, type Store } from "@toolpacks/pack-kit";
import {
  checkRollupMatchesRecomputation,
  openTestStore,
  testStoreDialect,
} from "@toolpacks/pack-kit/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, it } from "vitest";
import { pack } from "./pack.js";

// Every write path (create_shipment, seeding, removals) ends in these row operations on
// wh_shipments; the day rollup must equal a from-scratch GROUP BY after every sequence of them.
type ShipmentOp =
  | { kind: "insert"; day: string; status: string; carrier: string; units: number }
  | {
      kind: "set";
      pick: number;
      column: "shipped_on" | "status" | "carrier" | "units";
      value: string | number;
    }
  | { kind: "delete"; pick: number };

const day = fc.constantFrom("2026-06-01", "2026-06-02", "2026-06-30");
const shipmentStatus = fc.constantFrom("in_transit", "delivered");
const carrier = fc.constantFrom("UPS", "DHL");
const units = fc.integer({ min: 0, max: 500 });
const pick = fc.nat(1_000);
const shipmentOp: fc.Arbitrary<ShipmentOp> = fc.oneof(
  fc.record({ kind: fc.constant("insert" as const), day, status: shipmentStatus, carrier, units }),
  fc.record({
    kind: fc.constant("set" as const),
    pick,
    column: fc.constant("shipped_on" as const),
    value: day,
  }),
  fc.record({
    kind: fc.constant("set" as const),
    pick,
    column: fc.constant("status" as const),
    value: shipmentStatus,
  }),
  fc.record({
    kind: fc.constant("set" as const),
    pick,
    column: fc.constant("carrier" as const),
    value: carrier,
  }),
  fc.record({ kind: fc.constant("set" as const), pick, column: fc.constant("units" as const), value: units }),
  fc.record({ kind: fc.constant("delete" as const), pick }),
);

// Reservations move between statuses (only out of 'active', once), are removed with their lines
// and made again; lines are added, resized, moved to another reservation and removed. Both
// tables feed the totals.
type ReservationOp =
  | { kind: "line"; reservation: number; quantity: number }
  | { kind: "resize"; pick: number; quantity: number }
  | { kind: "moveLine"; pick: number; reservation: number }
  | { kind: "dropLine"; pick: number }
  | { kind: "close"; reservation: number; status: "released" | "shipped" }
  | { kind: "remake"; reservation: number; status: "active" | "released" | "shipped" };

const reservation = fc.integer({ min: 1, max: 3 });
const quantity = fc.integer({ min: 1, max: 40 });
const reservationOp: fc.Arbitrary<ReservationOp> = fc.oneof(
  fc.record({ kind: fc.constant("line" as const), reservation, quantity }),
  fc.record({ kind: fc.constant("resize" as const), pick, quantity }),
  fc.record({ kind: fc.constant("moveLine" as const), pick, reservation }),
  fc.record({ kind: fc.constant("dropLine" as const), pick }),
  fc.record({
    kind: fc.constant("close" as const),
    reservation,
    status: fc.constantFrom("released" as const, "shipped" as const),
  }),
  fc.record({
    kind: fc.constant("remake" as const),
    reservation,
    status: fc.constantFrom("active" as const, "released" as const, "shipped" as const),
  }),
);

const LINE_KEY = "reservation_id || '|' || line_no";
const reservationId = (n: number) => `R-${n}`;

describe(`shipment_status's rollups on ${testStoreDialect()}`, () => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore();
    await migratePack(store, pack);
    await store.run(
      "INSERT INTO wh_locations (id, name, city, country) VALUES ('WH-1', 'One', 'Lyon', 'FR')",
    );
  });
  afterAll(async () => {
    await store?.close();
  });

  it("per day, status and carrier equal a from-scratch recomputation after any sequence of shipment writes", async () => {
    await checkRollupMatchesRecomputation({
      store,
      source: "wh_shipments",
      ops: shipmentOp,
      write: (o, rows): Statement[] => {
        if (o.kind === "insert") {
          return [
            {
              sql: `INSERT INTO wh_shipments (id, sales_order_id, location_id, shipped_on, carrier, status, units)
                    VALUES (?, 'SO-1', 'WH-1', ?, ?, ?, ?)`,
              params: [`SHP-${rows.fresh()}`, o.day, o.carrier, o.status, o.units],
            },
          ];
        }
        const id = rows.pick(o.pick);
        if (id === undefined) return [];
        if (o.kind === "delete") return [{ sql: "DELETE FROM wh_shipments WHERE id = ?", params: [id] }];
        return [{ sql: `UPDATE wh_shipments SET ${o.column} = ? WHERE id = ?`, params: [o.value, id] }];
      },
      rollup:
        "SELECT shipped_on, status, carrier, shipments, units FROM wh_shipment_days ORDER BY shipped_on, status, carrier",
      recompute: `SELECT shipped_on, status, carrier, COUNT(*) AS shipments, SUM(units) AS units FROM wh_shipments
        GROUP BY shipped_on, status, carrier ORDER BY shipped_on, status, carrier`,
    });
  });

  it("per reservation status equal what the reservations joined with their lines count, after any sequence of writes to either", async () => {
    const remake = (n: number, status: string): Statement[] => [
      { sql: "DELETE FROM wh_reservation_lines WHERE reservation_id = ?", params: [reservationId(n)] },
      { sql: "DELETE FROM wh_reservations WHERE id = ?", params: [reservationId(n)] },
      {
        sql: "INSERT INTO wh_reservations (id, order_id, status, created_on) VALUES (?, ?, ?, '2026-06-01')",
        params: [reservationId(n), `SO-${n}`, status],
      },
    ];
    for (const n of [1, 2, 3]) await store.batch(remake(n, "active"));
    await checkRollupMatchesRecomputation({
      store,
      source: "wh_reservation_lines",
      idColumn: LINE_KEY,
      ops: reservationOp,
      write: (o, rows): Statement[] => {
        if (o.kind === "line") {
          return [
            {
              sql: `INSERT INTO wh_reservation_lines (reservation_id, line_no, sku, location_id, quantity)
                    VALUES (?, ?, 'SKU-1', 'WH-1', ?)`,
              params: [reservationId(o.reservation), rows.fresh(), o.quantity],
            },
          ];
        }
        if (o.kind === "close") {
          return [
            {
              sql: "UPDATE wh_reservations SET status = ? WHERE id = ? AND status = 'active'",
              params: [o.status, reservationId(o.reservation)],
            },
          ];
        }
        if (o.kind === "remake") return remake(o.reservation, o.status);
        const line = rows.pick(o.pick);
        if (line === undefined) return [];
        if (o.kind === "dropLine") {
          return [{ sql: `DELETE FROM wh_reservation_lines WHERE ${LINE_KEY} = ?`, params: [line] }];
        }
        const [column, value] =
          o.kind === "resize" ? ["quantity", o.quantity] : ["reservation_id", reservationId(o.reservation)];
        return [
          {
            sql: `UPDATE wh_reservation_lines SET ${column} = ? WHERE ${LINE_KEY} = ?`,
            params: [value, line],
          },
        ];
      },
      rollup:
        "SELECT status, orders, units FROM wh_reservation_totals WHERE orders <> 0 OR units <> 0 ORDER BY status",
      recompute: `SELECT r.status, COUNT(DISTINCT r.id) AS orders, SUM(l.quantity) AS units
        FROM wh_reservations r JOIN wh_reservation_lines l ON l.reservation_id = r.id GROUP BY r.status ORDER BY r.status`,
    });
  });
});
