import { defineWriteTool, type PlannedWrite, ToolError } from "@toolpacks/pack-kit";
import { z } from "zod";
import { orderIdSchema, recordIdSchema } from "../schemas.js";
import { shipmentSchema } from "./order-fulfilment.js";

const CARRIERS = ["UPS", "DHL", "FedEx", "DB Schenker", "Royal Mail"] as const;

/** Ships an order's reserved stock: one shipment per location it was reserved at. */
export const createShipment = defineWriteTool({
  name: "create_shipment",
  title: "Create shipment",
  description:
    "Ships a sales order whose stock is reserved (reserve_stock first): one shipment per location of the " +
    "reservation, status in_transit from the warehouse's date; the units leave on hand and reserved, and an " +
    "issue movement is recorded per line. Returns the shipments (id, location, carrier, units). An order " +
    "that already shipped returns its shipments (created: false) and nothing is written. The ERP does not " +
    "hear of it: call erp.record_shipment (order_id, shipped_on) so its order reads shipped. Send an " +
    "idempotency key; dry run to check.",
  input: z.object({
    order_id: orderIdSchema,
    carrier: z.enum(CARRIERS).default("UPS").describe("carrier taking the parcels"),
    // An imported ERP's customer ids are its own (an Odoo partner's name), not only C-000042.
    customer_id: recordIdSchema("the order's ERP customer id", "C-000042")
      .optional()
      .describe("the order's customer, recorded on the shipment"),
  }),
  output: z.object({
    order_id: z.string(),
    created: z.boolean(),
    reservation_id: z.string().nullable(),
    units: z.number().int(),
    shipments: z.array(shipmentSchema),
    lines: z
      .array(z.object({ sku: z.string(), location_id: z.string(), quantity: z.number().int() }))
      .describe("what left per SKU and location (empty when nothing was written)"),
  }),
  scope: "warehouse:write",
  budgetTokens: 600,
  // Moves stock, not money.
  moves: { none: true },
  destructive: false,
  idempotent: true,
  // SO-0000001 shipped in the seed-1 test world, so the example replays its shipment without writing.
  examples: [{ order_id: "SO-0000001" }],
  async handler({ order_id, carrier, customer_id }, { store, asOf }) {
    const existing = await store.all<z.infer<typeof shipmentSchema>>(
      "SELECT id, location_id, shipped_on, carrier, status, units FROM wh_shipments WHERE sales_order_id = ? ORDER BY id",
      [order_id],
    );
    if (existing.length > 0) {
      const reservation = await store.first<{ id: string }>(
        "SELECT id FROM wh_reservations WHERE order_id = ? AND status = 'shipped'",
        [order_id],
      );
      return {
        result: {
          order_id,
          created: false,
          reservation_id: reservation?.id ?? null,
          units: existing.reduce((s, e) => s + e.units, 0),
          shipments: existing,
          lines: [],
        },
        writes: [],
      };
    }
    const reservation = await store.first<{ id: string }>(
      "SELECT id FROM wh_reservations WHERE order_id = ? AND status = 'active'",
      [order_id],
    );
    if (!reservation) {
      throw new ToolError(
        "not_reserved",
        `Order ${order_id} has no active stock reservation, so nothing can ship.`,
        {
          fix: "call reserve_stock with the order's lines first; if it answers short, the order waits for a purchase order.",
        },
      );
    }
    const lines = await store.all<{ line_no: number; sku: string; location_id: string; quantity: number }>(
      "SELECT line_no, sku, location_id, quantity FROM wh_reservation_lines WHERE reservation_id = ? ORDER BY line_no",
      [reservation.id],
    );
    const locations = [...new Set(lines.map((l) => l.location_id))].sort();
    const number = order_id.slice(3);
    // One shipment per location; each line's issue movement names the shipment it left with.
    const shipments = locations.map((location_id, i) => ({
      id: i === 0 ? `SHP-${number}` : `SHP-${number}-${i + 1}`,
      location_id,
      shipped_on: asOf,
      carrier,
      status: "in_transit" as const,
      units: lines.filter((l) => l.location_id === location_id).reduce((s, l) => s + l.quantity, 0),
    }));
    const writes: PlannedWrite[] = [
      {
        // The state trigger aborts this batch if a concurrent call shipped or released it first.
        sql: "UPDATE wh_reservations SET status = 'shipped', closed_on = ? WHERE id = ?",
        params: [asOf, reservation.id],
        change: `reservation ${reservation.id} of ${order_id}: active -> shipped`,
      },
      ...shipments.map((s) => ({
        sql: `INSERT INTO wh_shipments (id, sales_order_id, reservation_id, customer_id, location_id, shipped_on, carrier, status, units)
              VALUES (?, ?, ?, ?, ?, ?, ?, 'in_transit', ?)`,
        params: [s.id, order_id, reservation.id, customer_id ?? null, s.location_id, asOf, carrier, s.units],
        change: `shipment ${s.id}: ${s.units} units of ${order_id} from ${s.location_id} by ${carrier}`,
      })),
      ...lines.flatMap((l) => {
        const shipment = shipments.find((s) => s.location_id === l.location_id)!;
        return [
          {
            sql: "UPDATE wh_stock SET on_hand = on_hand - ?, reserved = reserved - ? WHERE sku = ? AND location_id = ?",
            params: [l.quantity, l.quantity, l.sku, l.location_id],
            change: `stock ${l.sku} at ${l.location_id}: on hand -${l.quantity}, reserved -${l.quantity}`,
          },
          {
            sql: "INSERT INTO wh_movements (id, sku, location_id, kind, quantity, occurred_at, reference) VALUES (?, ?, ?, 'issue', ?, ?, ?)",
            params: [
              `MV-${shipment.id}-${l.line_no}`,
              l.sku,
              l.location_id,
              -l.quantity,
              `${asOf}T12:00:00Z`,
              shipment.id,
            ],
            change: `issue movement of ${l.quantity} x ${l.sku} at ${l.location_id} for shipment ${shipment.id}`,
          },
        ];
      }),
    ];
    return {
      result: {
        order_id,
        created: true,
        reservation_id: reservation.id,
        units: lines.reduce((s, l) => s + l.quantity, 0),
        shipments: shipments.map(({ id, location_id, shipped_on, carrier: c, status, units }) => ({
          id,
          location_id,
          shipped_on,
          carrier: c,
          status,
          units,
        })),
        lines: lines.map(({ sku, location_id, quantity }) => ({ sku, location_id, quantity })),
      },
      writes,
    };
  },
});
