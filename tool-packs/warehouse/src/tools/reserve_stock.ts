import { defineWriteTool, type PlannedWrite } from "@toolpacks/pack-kit";
import { z } from "zod";
import { planAllocation } from "../allocate.js";
import { lineInputSchema, locationIdSchema, orderIdSchema } from "../schemas.js";
import { checkLines, loadStock, requireLocation } from "../stock.js";

const allocation = z.object({ sku: z.string(), location_id: z.string(), quantity: z.number().int() });

/** Reserves stock for every line of an order, or nothing at all. */
export const reserveStock = defineWriteTool({
  name: "reserve_stock",
  title: "Reserve stock for an order",
  description:
    "Reserves stock for every line of a sales order, all lines or none, atomically. Prefers one location that " +
    "can serve the whole order; otherwise (unless split is false) takes each line from the locations with " +
    "the most available. Returns status reserved with the reservation id and where each unit comes from, or " +
    "status short with what is missing per line (requested, available, short by, best location) and " +
    "nothing reserved: raise a purchase order in the ERP for the short lines. An order holds one live " +
    "reservation: asking again returns it (created: false). Send an idempotency key (a short answer is " +
    "kept under its key too: use a new key to try again once stock arrived); dry run to check.",
  input: z.object({
    order_id: orderIdSchema,
    lines: z
      .array(lineInputSchema)
      .min(1)
      .max(50)
      .describe("the order's lines: sku and quantity (other fields, e.g. net_unit_price_minor, are ignored)"),
    location_id: locationIdSchema.optional().describe("reserve only at this location"),
    split: z.boolean().default(true).describe("allow lines to come from different locations"),
  }),
  output: z.object({
    order_id: z.string(),
    status: z
      .enum(["reserved", "short", "shipped"])
      .describe("shipped: the order already left the warehouse"),
    created: z.boolean().describe("true when this call made the reservation"),
    reservation_id: z.string().nullable(),
    single_location: z.string().nullable().describe("the one location serving the whole order, if so"),
    allocations: z.array(allocation),
    shortages: z.array(
      z.object({
        sku: z.string(),
        requested: z.number().int(),
        available: z.number().int(),
        short_by: z.number().int(),
        best_location_id: z.string().nullable(),
        best_location_available: z.number().int(),
      }),
    ),
    note: z.string().optional(),
  }),
  scope: "warehouse:write",
  budgetTokens: 800,
  // Moves stock, not money.
  moves: { none: true },
  destructive: false,
  idempotent: true,
  examples: [
    { order_id: "SO-9000001", lines: [{ sku: "SKU-00001", quantity: 2 }] },
    { order_id: "SO-9000002", lines: [{ sku: "SKU-00002", quantity: 900_000 }] },
  ],
  async handler({ order_id, lines, location_id, split }, { store, asOf, principal }) {
    const live = await store.first<{ id: string; status: "active" | "shipped" }>(
      "SELECT id, status FROM wh_reservations WHERE order_id = ? AND status IN ('active', 'shipped')",
      [order_id],
    );
    const shipped = await store.first<{ id: string }>(
      "SELECT id FROM wh_shipments WHERE sales_order_id = ? LIMIT 1",
      [order_id],
    );
    if (live || shipped) {
      const held = live
        ? await store.all<{ sku: string; location_id: string; quantity: number }>(
            "SELECT sku, location_id, quantity FROM wh_reservation_lines WHERE reservation_id = ? ORDER BY line_no",
            [live.id],
          )
        : [];
      const places = [...new Set(held.map((h) => h.location_id))];
      return {
        result: {
          order_id,
          status: live?.status === "active" ? ("reserved" as const) : ("shipped" as const),
          created: false,
          reservation_id: live?.id ?? null,
          single_location: places.length === 1 ? places[0]! : null,
          allocations: held,
          shortages: [],
          note:
            live?.status === "active"
              ? "the order already holds this reservation"
              : "the order has already shipped",
        },
        writes: [],
      };
    }
    if (location_id) await requireLocation(store, location_id);
    const stock = await loadStock(
      store,
      lines.map((l) => l.sku),
    );
    checkLines(lines, stock);
    const plan = planAllocation(lines, stock, { only: location_id, split });
    if (!plan.ok) {
      const none = { order_id, created: false, reservation_id: null, single_location: null, allocations: [] };
      if (plan.reason === "no_single_location") {
        return {
          result: {
            ...none,
            status: "short" as const,
            shortages: [],
            note: "every line is in stock, but at different locations; retry with split: true",
          },
          writes: [],
        };
      }
      return {
        result: {
          ...none,
          status: "short" as const,
          shortages: plan.shortages,
          note: "nothing was reserved",
        },
        writes: [],
      };
    }
    const previous = await store.first<{ n: number }>(
      "SELECT COUNT(*) AS n FROM wh_reservations WHERE order_id = ?",
      [order_id],
    );
    const id = `RES-${order_id.slice(3)}-${(previous?.n ?? 0) + 1}`;
    const writes: PlannedWrite[] = [
      {
        sql: "INSERT INTO wh_reservations (id, order_id, status, created_on, created_by) VALUES (?, ?, 'active', ?, ?)",
        params: [id, order_id, asOf, principal ?? null],
        change: `reservation ${id} for ${order_id}`,
      },
      ...plan.allocations.flatMap((a, i) => [
        {
          sql: "INSERT INTO wh_reservation_lines (reservation_id, line_no, sku, location_id, quantity) VALUES (?, ?, ?, ?, ?)",
          params: [id, i + 1, a.sku, a.location_id, a.quantity],
          change: `reserve ${a.quantity} x ${a.sku} at ${a.location_id}`,
        },
        {
          // The CHECK (reserved <= on_hand) fails the whole batch if a concurrent writer took the stock.
          sql: "UPDATE wh_stock SET reserved = reserved + ? WHERE sku = ? AND location_id = ?",
          params: [a.quantity, a.sku, a.location_id],
          change: `stock ${a.sku} at ${a.location_id}: reserved +${a.quantity}`,
        },
      ]),
    ];
    return {
      result: {
        order_id,
        status: "reserved" as const,
        created: true,
        reservation_id: id,
        single_location: plan.single_location,
        allocations: plan.allocations,
        shortages: [],
      },
      writes,
    };
  },
});
