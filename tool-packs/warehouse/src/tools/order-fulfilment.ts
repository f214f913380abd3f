import type { ReadStore } from "@toolpacks/pack-kit";
import { z } from "zod";
import { placeholders, reservationStatusSchema, shipmentStatusSchema } from "../schemas.js";

/** A shipment as answers show it. */
export const shipmentSchema = z.object({
  id: z.string(),
  location_id: z.string(),
  shipped_on: z.string(),
  carrier: z.string(),
  status: shipmentStatusSchema,
  units: z.number().int(),
});

/** Where one order stands in the warehouse: its latest reservation and its shipments. */
export const orderFulfilmentSchema = z.object({
  order_id: z.string(),
  state: z
    .enum(["not_reserved", "reserved", "released", "shipped"])
    .describe("shipped if any shipment exists, else the latest reservation's state, else not_reserved"),
  reservation: z
    .object({
      id: z.string(),
      status: reservationStatusSchema,
      units: z.number().int(),
      lines: z.array(z.object({ sku: z.string(), location_id: z.string(), quantity: z.number().int() })),
    })
    .nullable(),
  shipments: z.array(shipmentSchema),
});

/** Where one order stands in the warehouse. */
export type OrderFulfilment = z.infer<typeof orderFulfilmentSchema>;

/** Loads the fulfilment state of each order id, in the order given. */
export async function loadFulfilment(
  store: ReadStore,
  orderIds: readonly string[],
): Promise<OrderFulfilment[]> {
  if (orderIds.length === 0) return [];
  const list = placeholders(orderIds);
  // The latest reservation per order: the live one if any, else the most recent released one.
  const reservations = await store.all<{
    id: string;
    order_id: string;
    status: "active" | "released" | "shipped";
  }>(
    `SELECT id, order_id, status FROM wh_reservations WHERE order_id IN (${list})
     ORDER BY order_id, status = 'released', created_on DESC, id DESC`,
    orderIds,
  );
  const latest = new Map<string, (typeof reservations)[number]>();
  for (const r of reservations) if (!latest.has(r.order_id)) latest.set(r.order_id, r);
  const ids = [...latest.values()].map((r) => r.id);
  const lines = ids.length
    ? await store.all<{ reservation_id: string; sku: string; location_id: string; quantity: number }>(
        `SELECT reservation_id, sku, location_id, quantity FROM wh_reservation_lines
         WHERE reservation_id IN (${placeholders(ids)}) ORDER BY reservation_id, line_no`,
        ids,
      )
    : [];
  const shipments = await store.all<z.infer<typeof shipmentSchema> & { sales_order_id: string }>(
    `SELECT id, sales_order_id, location_id, shipped_on, carrier, status, units FROM wh_shipments
     WHERE sales_order_id IN (${list}) ORDER BY id`,
    orderIds,
  );
  return orderIds.map((orderId) => {
    const r = latest.get(orderId);
    const own = shipments.filter((s) => s.sales_order_id === orderId).map(({ sales_order_id: _, ...s }) => s);
    const rLines = r
      ? lines.filter((l) => l.reservation_id === r.id).map(({ reservation_id: _, ...l }) => l)
      : [];
    return {
      order_id: orderId,
      state:
        own.length > 0 ? "shipped" : r ? (r.status === "active" ? "reserved" : r.status) : "not_reserved",
      reservation: r
        ? { id: r.id, status: r.status, units: rLines.reduce((s, l) => s + l.quantity, 0), lines: rLines }
        : null,
      shipments: own,
    };
  });
}
