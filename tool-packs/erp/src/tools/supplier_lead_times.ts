import { defineTool, nextCursorSchema, pageInputShape, queryPage, ToolError } from "@toolpacks/pack-kit";
import type { Currency } from "@toolpacks/world";
import { z } from "zod";
import { addDays } from "../lookups.js";
import { minor, reportingCurrency, skuSchema, supplierIdSchema, usdOf } from "../schemas.js";
import type { Rows } from "../tables.js";

// A supplier's stored columns, and the purchase-order figures this query computes.
type SupplierRow = Pick<Rows["erp_suppliers"], "id" | "name" | "country" | "currency" | "lead_time_days"> & {
  items: number;
  open_pos: number;
  open_value_minor: number;
  overdue_pos: number;
  next_expected_date: Rows["erp_purchase_orders"]["expected_date"] | null;
};

const SUPPLIER_SQL = `
  SELECT s.id, s.name, s.country, s.currency, s.lead_time_days,
    (SELECT COUNT(*) FROM erp_items i WHERE i.supplier_id = s.id) AS items,
    (SELECT COUNT(*) FROM erp_purchase_orders p WHERE p.supplier_id = s.id AND p.status = 'open') AS open_pos,
    (SELECT COALESCE(SUM(quantity * unit_cost_minor), 0) FROM erp_purchase_orders p WHERE p.supplier_id = s.id AND p.status = 'open') AS open_value_minor,
    (SELECT COUNT(*) FROM erp_purchase_orders p WHERE p.supplier_id = s.id AND p.status = 'open' AND p.expected_date < ?) AS overdue_pos,
    (SELECT MIN(expected_date) FROM erp_purchase_orders p WHERE p.supplier_id = s.id AND p.status = 'open' AND p.expected_date >= ?) AS next_expected_date
  FROM erp_suppliers s`;

/** Suppliers with their lead times and open purchase orders; or the supplier of one SKU. */
export const supplierLeadTimes = defineTool({
  name: "supplier_lead_times",
  title: "Supplier lead times",
  description:
    "Returns suppliers with their lead time in days, as of the ERP's date: items supplied, open purchase orders " +
    "(count, USD value, overdue) and the next expected delivery, longest lead time first; the average and " +
    "longest lead time over all suppliers. With sku: only that item's supplier, and the date an order placed " +
    "today would arrive (to plan a purchase when stock is short). Page with next_cursor.",
  input: z.object({
    supplier_id: supplierIdSchema.optional(),
    sku: skuSchema
      .optional()
      .describe("only the supplier of this item, with its arrival date if ordered today"),
    ...pageInputShape({ defaultLimit: 10, maxLimit: 15 }),
  }),
  output: z.object({
    as_of: z.string(),
    reporting_currency: reportingCurrency,
    totals: z.object({
      suppliers: z.number().int(),
      avg_lead_time_days: z.number(),
      max_lead_time_days: z.number().int(),
    }),
    item: z
      .object({
        sku: z.string(),
        supplier_id: z.string(),
        lead_time_days: z.number().int(),
        arrives_if_ordered_today: z.string(),
      })
      .nullable(),
    suppliers: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        country: z.string(),
        currency: z.string(),
        lead_time_days: z.number().int(),
        items: z.number().int(),
        open_pos: z.number().int(),
        open_value_usd_minor: minor,
        overdue_pos: z.number().int(),
        next_expected_date: z.string().nullable(),
      }),
    ),
    next_cursor: nextCursorSchema,
  }),
  scope: "erp:read",
  budgetTokens: 1500,
  examples: [{}, { sku: "SKU-00001" }, { supplier_id: "SUP-001" }],
  async handler({ supplier_id, sku, limit, cursor }, { store, asOf }) {
    const totals = await store.first<{ suppliers: number; avg: number | null; max: number | null }>(
      "SELECT COUNT(*) AS suppliers, AVG(lead_time_days) AS avg, MAX(lead_time_days) AS max FROM erp_suppliers",
    );
    let item: {
      sku: string;
      supplier_id: string;
      lead_time_days: number;
      arrives_if_ordered_today: string;
    } | null = null;
    let only = supplier_id;
    if (sku) {
      const row = await store.first<{ supplier_id: string; lead_time_days: number }>(
        "SELECT i.supplier_id, s.lead_time_days FROM erp_items i JOIN erp_suppliers s ON s.id = i.supplier_id WHERE i.sku = ?",
        [sku],
      );
      if (!row) {
        throw new ToolError("not_found", `No item has SKU "${sku}".`, {
          fix: "check the SKU (it looks like SKU-00042); item_margins lists items.",
        });
      }
      if (supplier_id && supplier_id !== row.supplier_id) {
        throw new ToolError(
          "supplier_mismatch",
          `${sku} is supplied by ${row.supplier_id}, not ${supplier_id}.`,
          {
            fix: "leave supplier_id out, or pass the item's supplier.",
          },
        );
      }
      item = {
        sku,
        supplier_id: row.supplier_id,
        lead_time_days: row.lead_time_days,
        arrives_if_ordered_today: addDays(asOf, row.lead_time_days),
      };
      only = row.supplier_id;
    }
    const page = await queryPage<SupplierRow>(
      store,
      `${SUPPLIER_SQL}${only ? " WHERE s.id = ?" : ""} ORDER BY s.lead_time_days DESC, s.id`,
      only ? [asOf, asOf, only] : [asOf, asOf],
      { limit, cursor },
      { supplier_id, sku },
    );
    if (supplier_id && page.items.length === 0) {
      throw new ToolError("not_found", `No supplier has id "${supplier_id}".`, {
        fix: "leave supplier_id out to list every supplier (ids look like SUP-004).",
      });
    }
    return {
      as_of: asOf,
      reporting_currency: "USD" as const,
      totals: {
        suppliers: totals?.suppliers ?? 0,
        avg_lead_time_days: Math.round((totals?.avg ?? 0) * 10) / 10,
        max_lead_time_days: totals?.max ?? 0,
      },
      item,
      // A supplier bills in one currency: its USD value converts its own open total once.
      suppliers: page.items.map(({ open_value_minor, ...supplier }) => ({
        ...supplier,
        open_value_usd_minor: usdOf([[supplier.currency as Currency, open_value_minor]]),
      })),
      next_cursor: page.next_cursor,
    };
  },
});
