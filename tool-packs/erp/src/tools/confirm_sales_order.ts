import { defineWriteTool, ToolError } from "@toolpacks/pack-kit";
import { z } from "zod";
import { addDays, requireLocation, requireOrder } from "../lookups.js";
import { isoDateSchema, locationIdSchema, orderIdSchema, orderStatusSchema } from "../schemas.js";

/** Days from confirmation to the planned ship date when the caller gives none. */
const DEFAULT_SHIP_DAYS = 7;

/** Confirms a draft sales order: it is then due to ship on its planned date. */
export const confirmSalesOrder = defineWriteTool({
  name: "confirm_sales_order",
  title: "Confirm sales order",
  description:
    "Confirms a draft sales order (typically after the warehouse reserved its stock): status draft -> " +
    "confirmed, with a planned ship date (default 7 days after the ERP's date) and optionally the warehouse " +
    "location it ships from. Returns the status before and after. Confirming a confirmed order changes nothing (changed: false); a shipped order " +
    "cannot be confirmed. Send an idempotency key; use dry run to check.",
  input: z.object({
    order_id: orderIdSchema,
    planned_ship_date: isoDateSchema.optional().describe("when it should ship; not before the ERP's date"),
    location_id: locationIdSchema
      .optional()
      .describe("warehouse it ships from (e.g. where stock was reserved)"),
  }),
  output: z.object({
    order_id: z.string(),
    from_status: orderStatusSchema,
    status: orderStatusSchema,
    changed: z.boolean(),
    planned_ship_date: z.string().nullable(),
    location_id: z.string().nullable(),
  }),
  scope: "erp:write",
  budgetTokens: 200,
  // A status change: the order's money was counted when it was created.
  moves: { none: true },
  destructive: false,
  idempotent: true,
  // SO-0000011 is the confirmed (not yet shipped) order of the seed-1, scale-2,000 test world.
  examples: [{ order_id: "SO-0000011" }],
  async handler({ order_id, planned_ship_date, location_id }, { store, asOf }) {
    const order = await requireOrder(store, order_id);
    if (order.status === "shipped") {
      throw new ToolError(
        "already_shipped",
        `Sales order ${order_id} shipped on ${order.ship_date}; it cannot be confirmed again.`,
        {
          fix: "nothing to do: shipped orders are past confirmation. order_status shows its state.",
        },
      );
    }
    if (order.status === "confirmed") {
      return {
        result: {
          order_id,
          from_status: order.status,
          status: order.status,
          changed: false,
          planned_ship_date: order.ship_date,
          location_id: order.location_id,
        },
        writes: [],
      };
    }
    if (planned_ship_date && planned_ship_date < asOf) {
      throw new ToolError(
        "invalid_ship_date",
        `Planned ship date ${planned_ship_date} is before the ERP's date ${asOf}.`,
        {
          fix: `use ${asOf} or later, or leave planned_ship_date out for ${addDays(asOf, DEFAULT_SHIP_DAYS)}.`,
        },
      );
    }
    if (location_id) await requireLocation(store, location_id);
    const shipDate = planned_ship_date ?? addDays(asOf, DEFAULT_SHIP_DAYS);
    const location = location_id ?? order.location_id;
    return {
      result: {
        order_id,
        from_status: order.status,
        status: "confirmed" as const,
        changed: true,
        planned_ship_date: shipDate,
        location_id: location,
      },
      writes: [
        {
          // `AND status = 'draft'` so a concurrent change is never overwritten blindly.
          sql: "UPDATE erp_sales_orders SET status = 'confirmed', confirmed_on = ?, ship_date = ?, location_id = ? WHERE id = ? AND status = 'draft'",
          params: [asOf, shipDate, location, order_id],
          change: `sales order ${order_id}: draft -> confirmed, ships ${shipDate}${location ? ` from ${location}` : ""}`,
        },
      ],
    };
  },
});
