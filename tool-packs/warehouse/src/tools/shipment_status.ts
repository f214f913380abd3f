import { defineTool, nextCursorSchema, pageInputShape, queryPage } from "@toolpacks/pack-kit";
import { z } from "zod";
import { addDays, orderIdSchema, shipmentStatusSchema } from "../schemas.js";
import type { Rows } from "../tables.js";
import { loadFulfilment, orderFulfilmentSchema, shipmentSchema } from "./order-fulfilment.js";

/** Shipments by status and carrier, the ones in transit, and where given orders stand. */
export const shipmentStatus = defineTool({
  name: "shipment_status",
  title: "Shipment status",
  description:
    "Returns shipments over the last N days up to the warehouse's date (default 30): count and units per " +
    "status (in_transit until three days after shipping, then delivered) and per carrier, active " +
    "reservations (orders waiting to ship), and the shipments of one status oldest first (default " +
    "in_transit). With order_ids (up to 20): where each order stands (not_reserved, reserved, released or " +
    "shipped) with its reservation lines and shipments. Page with next_cursor.",
  input: z.object({
    order_ids: z
      .array(orderIdSchema)
      .min(1)
      .max(20)
      .optional()
      .describe(
        "ERP sales order ids to look up; an id the warehouse never saw comes back with state not_reserved (check it with erp.order_status)",
      ),
    status: shipmentStatusSchema.default("in_transit").describe("which shipments to list"),
    days: z.number().int().min(1).max(365).default(30).describe("window length in days, ending on as_of"),
    ...pageInputShape({ defaultLimit: 10, maxLimit: 20 }),
  }),
  output: z.object({
    as_of: z.string(),
    window: z.object({ from: z.string(), to: z.string() }),
    by_status: z.array(
      z.object({ status: shipmentStatusSchema, shipments: z.number().int(), units: z.number().int() }),
    ),
    by_carrier: z.array(
      z.object({ carrier: z.string(), shipments: z.number().int(), in_transit: z.number().int() }),
    ),
    active_reservations: z.object({ orders: z.number().int(), units: z.number().int() }),
    orders: z.array(orderFulfilmentSchema).describe("one entry per order_ids item; empty without order_ids"),
    shipments: z.array(shipmentSchema.extend({ sales_order_id: z.string() })),
    next_cursor: nextCursorSchema,
  }),
  scope: "warehouse:read",
  budgetTokens: 3000,
  examples: [{}, { status: "delivered", limit: 3 }, { order_ids: ["SO-0000001", "SO-9999999"] }],
  async handler({ order_ids, status, days, limit, cursor }, { store, asOf }) {
    const from = addDays(asOf, -(days - 1));
    const window = [from, asOf];
    // Both breakdowns from the per-day rollup: at most days x statuses x carriers rows.
    const byStatus = await store.all<
      Pick<Rows["wh_shipment_days"], "shipments" | "units"> & { status: z.infer<typeof shipmentStatusSchema> }
    >(
      `SELECT status, SUM(shipments) AS shipments, SUM(units) AS units FROM wh_shipment_days
       WHERE shipped_on BETWEEN ? AND ? GROUP BY status ORDER BY status DESC`,
      window,
    );
    const byCarrier = await store.all<
      Pick<Rows["wh_shipment_days"], "carrier" | "shipments"> & {
        /** Shipments of the carrier still in transit, computed by the query. */
        in_transit: number;
      }
    >(
      `SELECT carrier, SUM(shipments) AS shipments, SUM(CASE WHEN status = 'in_transit' THEN shipments ELSE 0 END) AS in_transit
       FROM wh_shipment_days WHERE shipped_on BETWEEN ? AND ? GROUP BY carrier ORDER BY shipments DESC, carrier`,
      window,
    );
    // One row: the reservations with lines and their units, kept per status by triggers.
    const active = await store.first<Pick<Rows["wh_reservation_totals"], "orders" | "units">>(
      "SELECT orders, units FROM wh_reservation_totals WHERE status = 'active'",
    );
    const page = await queryPage<z.infer<typeof shipmentSchema> & { sales_order_id: string }>(
      store,
      `SELECT id, sales_order_id, location_id, shipped_on, carrier, status, units FROM wh_shipments
       WHERE status = ? AND shipped_on BETWEEN ? AND ? ORDER BY shipped_on, id`,
      [status, ...window],
      { limit, cursor },
      { status, days },
    );
    return {
      as_of: asOf,
      window: { from, to: asOf },
      by_status: byStatus,
      by_carrier: byCarrier,
      active_reservations: { orders: active?.orders ?? 0, units: active?.units ?? 0 },
      orders: order_ids ? await loadFulfilment(store, [...new Set(order_ids)]) : [],
      shipments: page.items,
      next_cursor: page.next_cursor,
    };
  },
});
