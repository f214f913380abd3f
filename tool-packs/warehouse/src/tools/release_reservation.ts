import { defineWriteTool, ToolError } from "@toolpacks/pack-kit";
import { z } from "zod";
import { orderIdSchema } from "../schemas.js";

/** Gives an order's reserved stock back to available. */
export const releaseReservation = defineWriteTool({
  name: "release_reservation",
  title: "Release a reservation",
  description:
    "Releases the active stock reservation of a sales order: its units go back to available at each " +
    "location. Returns the reservation id and the units released. An order without an active reservation " +
    "(already released) changes nothing (changed: false); a shipped order cannot be released. Send an " +
    "idempotency key; dry run to check.",
  input: z.object({ order_id: orderIdSchema }),
  output: z.object({
    order_id: z.string(),
    reservation_id: z.string().nullable(),
    changed: z.boolean(),
    units_released: z.number().int(),
    lines: z.array(z.object({ sku: z.string(), location_id: z.string(), quantity: z.number().int() })),
  }),
  scope: "warehouse:write",
  budgetTokens: 600,
  // Moves stock, not money.
  moves: { none: true },
  destructive: true,
  idempotent: true,
  examples: [{ order_id: "SO-9000003" }],
  async handler({ order_id }, { store, asOf }) {
    const reservations = await store.all<{ id: string; status: "active" | "released" | "shipped" }>(
      "SELECT id, status FROM wh_reservations WHERE order_id = ? ORDER BY status = 'released', created_on DESC, id DESC",
      [order_id],
    );
    const latest = reservations[0];
    if (latest?.status === "shipped") {
      throw new ToolError(
        "already_shipped",
        `Order ${order_id} has shipped; its reservation was used up and cannot be released.`,
        {
          fix: "nothing to release. shipment_status with order_ids shows its shipments.",
        },
      );
    }
    if (!latest || latest.status === "released") {
      return {
        result: {
          order_id,
          reservation_id: latest?.id ?? null,
          changed: false,
          units_released: 0,
          lines: [],
        },
        writes: [],
      };
    }
    const lines = await store.all<{ sku: string; location_id: string; quantity: number }>(
      "SELECT sku, location_id, quantity FROM wh_reservation_lines WHERE reservation_id = ? ORDER BY line_no",
      [latest.id],
    );
    return {
      result: {
        order_id,
        reservation_id: latest.id,
        changed: true,
        units_released: lines.reduce((s, l) => s + l.quantity, 0),
        lines,
      },
      writes: [
        {
          // If a concurrent call released or shipped it first, the state trigger aborts this whole
          // batch, so the stock below is never given back twice.
          sql: "UPDATE wh_reservations SET status = 'released', closed_on = ? WHERE id = ?",
          params: [asOf, latest.id],
          change: `reservation ${latest.id} of ${order_id}: active -> released`,
        },
        ...lines.map((l) => ({
          sql: "UPDATE wh_stock SET reserved = reserved - ? WHERE sku = ? AND location_id = ?",
          params: [l.quantity, l.sku, l.location_id],
          change: `stock ${l.sku} at ${l.location_id}: reserved -${l.quantity}`,
        })),
      ],
    };
  },
});
