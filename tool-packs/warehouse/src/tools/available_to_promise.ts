import { defineTool } from "@toolpacks/pack-kit";
import { z } from "zod";
import { locationsServingAll } from "../allocate.js";
import { lineInputSchema, locationIdSchema } from "../schemas.js";
import { checkLines, loadStock, requireLocation } from "../stock.js";

const locationStock = z.object({
  location_id: z.string(),
  on_hand: z.number().int(),
  reserved: z.number().int(),
  available: z.number().int(),
});

/** Whether a set of SKUs and quantities can be promised, and from where. */
export const availableToPromise = defineTool({
  name: "available_to_promise",
  title: "Available to promise",
  description:
    "For up to 25 order lines (sku, quantity), returns, as of the warehouse's date, what can be promised: per " +
    "line the total available (on hand minus reserved) and per location on hand, reserved and available " +
    "(locations holding none are left out), whether the line can be served and how many units are short; " +
    "then which locations can serve the whole order on their own (best first) and whether it can be served " +
    "at all if split across locations. Check before reserve_stock; nothing is reserved here.",
  input: z.object({
    lines: z
      .array(lineInputSchema)
      .min(1)
      .max(25)
      .describe("order lines to check: sku and quantity (other fields are ignored)"),
    location_id: locationIdSchema.optional().describe("only consider this location"),
  }),
  output: z.object({
    as_of: z.string(),
    whole_order_from: z.array(z.string()).describe("locations that can serve every line alone, best first"),
    whole_order_if_split: z
      .boolean()
      .describe("every line can be served when lines may come from several locations"),
    short_lines: z.number().int(),
    lines: z.array(
      z.object({
        sku: z.string(),
        requested: z.number().int(),
        available: z.number().int(),
        can_serve: z.boolean(),
        short_by: z.number().int(),
        locations: z.array(locationStock),
      }),
    ),
  }),
  scope: "warehouse:read",
  budgetTokens: 4300,
  examples: [
    { lines: [{ sku: "SKU-00001", quantity: 5 }] },
    {
      lines: [
        { sku: "SKU-00001", quantity: 5 },
        { sku: "SKU-00002", quantity: 500_000 },
      ],
    },
    { lines: [{ sku: "SKU-00003", quantity: 1 }], location_id: "WH-01" },
  ],
  async handler({ lines, location_id }, { store, asOf }) {
    if (location_id) await requireLocation(store, location_id);
    const all = await loadStock(
      store,
      lines.map((l) => l.sku),
    );
    checkLines(lines, all);
    const stock = location_id ? all.filter((s) => s.location_id === location_id) : all;
    const answered = lines.map((l) => {
      const rows = stock.filter((s) => s.sku === l.sku);
      const available = rows.reduce((sum, r) => sum + r.available, 0);
      return {
        sku: l.sku,
        requested: l.quantity,
        available,
        can_serve: available >= l.quantity,
        short_by: Math.max(0, l.quantity - available),
        locations: rows
          .filter((r) => r.on_hand > 0)
          .sort((a, b) => b.available - a.available || a.location_id.localeCompare(b.location_id))
          .map(({ location_id, on_hand, reserved, available }) => ({
            location_id,
            on_hand,
            reserved,
            available,
          })),
      };
    });
    return {
      as_of: asOf,
      whole_order_from: locationsServingAll(lines, stock),
      whole_order_if_split: answered.every((l) => l.can_serve),
      short_lines: answered.filter((l) => !l.can_serve).length,
      lines: answered,
    };
  },
});
