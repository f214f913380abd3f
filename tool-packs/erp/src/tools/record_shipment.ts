import { defineWriteTool, ToolError } from "@toolpacks/pack-kit";
import { z } from "zod";
import { requireOrder } from "../lookups.js";
import { isoDateSchema, orderIdSchema, orderStatusSchema } from "../schemas.js";

/**
 * Tells the ERP that the warehouse shipped an order: confirmed -> shipped. The warehouse is a
 * separate system with its own store, so its `create_shipment` cannot change the ERP; whoever
 * ships (the order-to-cash program) records the shipment here, and only then does `order_status`
 * read shipped and `open_orders` drop the order.
 */
export const recordShipment = defineWriteTool({
  name: "record_shipment",
  title: "Record a warehouse shipment",
  description:
    "Records that the warehouse shipped a confirmed sales order (call it after warehouse.create_shipment, with " +
    "the shipment's shipped_on): status confirmed -> shipped and ship_date = shipped_on (default the ERP's " +
    "date), so order_status reads shipped and open_orders no longer lists it. Returns the status before and " +
    "after and the ship date. Recording a shipped order again " +
    "changes nothing (changed: false). A draft order is refused (not_confirmed: confirm_sales_order first); " +
    "shipped_on may not be after the ERP's date or before the order date. Send an idempotency key; dry run to check.",
  input: z.object({
    order_id: orderIdSchema,
    shipped_on: isoDateSchema.optional().describe("the day it left the warehouse (shipments[].shipped_on)"),
  }),
  output: z.object({
    order_id: z.string(),
    from_status: orderStatusSchema,
    status: orderStatusSchema,
    changed: z.boolean().describe("false when the order was already shipped (nothing written)"),
    ship_date: z.string().nullable().describe("the day it shipped"),
  }),
  scope: "erp:write",
  budgetTokens: 200,
  // A status change: the order's money was counted when it was created.
  moves: { none: true },
  destructive: false,
  idempotent: true,
  // SO-0000011 is the confirmed (not yet shipped) order of the seed-1, scale-2,000 test world.
  examples: [{ order_id: "SO-0000011" }],
  async handler({ order_id, shipped_on }, { store, asOf }) {
    const order = await requireOrder(store, order_id);
    if (order.status === "shipped") {
      return {
        result: {
          order_id,
          from_status: order.status,
          status: order.status,
          changed: false,
          ship_date: order.ship_date,
        },
        writes: [],
      };
    }
    if (order.status === "draft") {
      throw new ToolError(
        "not_confirmed",
        `Sales order ${order_id} is still a draft: the ERP records shipments of confirmed orders only.`,
        {
          fix: "confirm it with confirm_sales_order (after the warehouse reserved its stock), then record the shipment.",
        },
      );
    }
    const day = shipped_on ?? asOf;
    if (day > asOf || day < order.order_date) {
      throw new ToolError(
        "invalid_ship_date",
        `Shipped on ${day} is outside ${order.order_date} (the order date) .. ${asOf} (the ERP's date).`,
        { fix: `send the shipment's shipped_on, or leave it out for ${asOf}.` },
      );
    }
    return {
      result: {
        order_id,
        from_status: order.status,
        status: "shipped" as const,
        changed: true,
        ship_date: day,
      },
      writes: [
        {
          // `AND status = 'confirmed'` so a concurrent change is never overwritten blindly.
          sql: "UPDATE erp_sales_orders SET status = 'shipped', ship_date = ? WHERE id = ? AND status = 'confirmed'",
          params: [day, order_id],
          change: `sales order ${order_id}: confirmed -> shipped on ${day}`,
        },
      ],
    };
  },
});
