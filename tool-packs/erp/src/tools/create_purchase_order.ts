import { defineWriteTool, ToolError } from "@toolpacks/pack-kit";
import { type Currency, convertMinor, toReportingMinor } from "@toolpacks/world";
import { z } from "zod";
import { addDays, requireLocation } from "../lookups.js";
import { locationIdSchema, minor, skuSchema, supplierIdSchema } from "../schemas.js";

/** Orders stock of one SKU from its supplier into a warehouse location. */
export const createPurchaseOrder = defineWriteTool({
  name: "create_purchase_order",
  title: "Create purchase order",
  description:
    "Orders units of one item from its supplier into a warehouse location (e.g. when the warehouse is short " +
    "for an order). Without supplier_id the item's supplier is used; with one, it must be the item's " +
    "supplier (if not, the error names the right one). The unit " +
    "cost is the item's standard cost in the supplier's currency (integer cents); the expected date is the " +
    "ERP's date plus the supplier's lead time. max_value_minor caps the order's value (refused, with the " +
    "value, when it would cost more); a run with a money budget needs it, since the value is only known to the ERP. " +
    "Returns the purchase order id, value and expected date. Not idempotent by itself: send an idempotency key so a retry " +
    "does not order twice.",
  input: z.object({
    supplier_id: supplierIdSchema
      .optional()
      .describe("the item's supplier (default); another one is refused"),
    sku: skuSchema,
    quantity: z.number().int().min(1).max(1_000_000).describe("units to order"),
    location_id: locationIdSchema.describe("warehouse that receives the goods"),
    max_value_minor: z
      .number()
      .int()
      .min(1)
      .max(1e13)
      .optional()
      .describe("the most this order may cost, supplier currency cents; refused when its value is higher"),
  }),
  output: z.object({
    purchase_order_id: z.string(),
    supplier_id: z.string(),
    sku: z.string(),
    location_id: z.string(),
    quantity: z.number().int(),
    unit_cost_minor: minor,
    currency: z.string(),
    value_minor: minor,
    order_date: z.string(),
    expected_date: z.string(),
    lead_time_days: z.number().int(),
  }),
  scope: "erp:write",
  budgetTokens: 250,
  // The value (quantity x the item's cost) lives in the ERP, not in the arguments: a money budget
  // counts the caller's cap, which the handler enforces. Without a cap it cannot be counted, so
  // a run with a money budget refuses the call before it is sent.
  moves: { sum: [{ product: ["max_value_minor"] }] },
  destructive: false,
  idempotent: false,
  // SUP-002 supplies SKU-00001 in the seed-1, scale-2,000 test world.
  examples: [
    { supplier_id: "SUP-002", sku: "SKU-00001", quantity: 50, location_id: "WH-01" },
    { sku: "SKU-00002", quantity: 20, location_id: "WH-02" },
    { sku: "SKU-00002", quantity: 5, location_id: "WH-01", max_value_minor: 10_000_000 },
  ],
  async handler(
    { supplier_id: asked, sku, quantity, location_id, max_value_minor },
    { store, asOf, principal },
  ) {
    const item = await store.first<{ supplier_id: string; unit_cost_minor: number }>(
      "SELECT supplier_id, unit_cost_minor FROM erp_items WHERE sku = ?",
      [sku],
    );
    if (!item) {
      throw new ToolError("unknown_sku", `No ERP item has SKU "${sku}".`, {
        fix: "check the SKU (it looks like SKU-00042); item_margins lists items.",
      });
    }
    const supplier_id = asked ?? item.supplier_id;
    const supplier = await store.first<{ id: string; currency: string; lead_time_days: number }>(
      "SELECT id, currency, lead_time_days FROM erp_suppliers WHERE id = ?",
      [supplier_id],
    );
    if (!supplier) {
      throw new ToolError("not_found", `No supplier has id "${supplier_id}".`, {
        fix: `${sku} is supplied by ${item.supplier_id}; order from it, or leave supplier_id out.`,
      });
    }
    if (item.supplier_id !== supplier_id) {
      throw new ToolError(
        "supplier_does_not_supply",
        `Supplier ${supplier_id} does not supply ${sku}; ${item.supplier_id} does.`,
        {
          fix: `set supplier_id to ${item.supplier_id}, or leave it out (supplier_lead_times with sku shows its lead time).`,
        },
      );
    }
    await requireLocation(store, location_id);
    const next = await store.first<{ n: number }>(
      "SELECT COALESCE(MAX(CAST(substr(id, 4) AS INTEGER)), 0) + 1 AS n FROM erp_purchase_orders",
    );
    const id = `PO-${String(next?.n ?? 1).padStart(6, "0")}`;
    const currency = supplier.currency as Currency;
    const unitCost = convertMinor(item.unit_cost_minor, "USD", currency);
    const value = unitCost * quantity;
    if (max_value_minor !== undefined && value > max_value_minor) {
      throw new ToolError(
        "over_max_value",
        `${quantity} x ${sku} from ${supplier_id} costs ${value} ${currency} cents (${unitCost} each), more than max_value_minor ${max_value_minor}; nothing was written.`,
        {
          fix: `order fewer units, or send max_value_minor of at least ${value} if the run may spend that much.`,
        },
      );
    }
    const expected = addDays(asOf, supplier.lead_time_days);
    return {
      result: {
        purchase_order_id: id,
        supplier_id,
        sku,
        location_id,
        quantity,
        unit_cost_minor: unitCost,
        currency,
        value_minor: value,
        order_date: asOf,
        expected_date: expected,
        lead_time_days: supplier.lead_time_days,
      },
      writes: [
        {
          sql: `INSERT INTO erp_purchase_orders (id, supplier_id, sku, location_id, quantity, unit_cost_minor, currency,
              value_usd_minor, order_date, expected_date, status, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)`,
          params: [
            id,
            supplier_id,
            sku,
            location_id,
            quantity,
            unitCost,
            currency,
            toReportingMinor(value, currency),
            asOf,
            expected,
            principal ?? null,
          ],
          change: `purchase order ${id}: ${quantity} x ${sku} from ${supplier_id} into ${location_id}, expected ${expected}`,
        },
      ],
      moves: value,
    };
  },
});
