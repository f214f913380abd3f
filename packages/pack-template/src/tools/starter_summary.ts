import { defineTool, nextCursorSchema, pageInputShape, queryPage } from "@toolpacks/pack-kit";
import { z } from "zod";
import { statusSchema } from "../schemas.js";
import type { Rows } from "../tables.js";

// Columns come from the declared table; the aggregates are this query's own.
type Totals = { records: number; amount_minor: number };
type StatusTotal = Pick<Rows["starter_records"], "status" | "currency"> & Totals;
type CustomerTotal = Pick<Rows["starter_records"], "customer_id" | "currency"> & Totals;

/** Counts and amounts by status, plus the customers with the most open amount. */
export const starterSummary = defineTool({
  name: "starter_summary",
  title: "Record summary",
  description:
    "Answers 'how many records are in each status and for how much?'. Returns one row per status and " +
    "currency with count and amount (integer minor units), then the customers with the largest amount in the " +
    "chosen status (default open), paged with next_cursor. Use it instead of listing records.",
  input: z.object({
    status: statusSchema.default("open").describe("whose customers to rank: open, in_progress or closed"),
    ...pageInputShape({ defaultLimit: 5, maxLimit: 20 }),
  }),
  output: z.object({
    as_of: z.string().describe("the date the answer is true on (YYYY-MM-DD)"),
    by_status: z.array(
      z.object({
        status: z.string(),
        currency: z.string(),
        records: z.number().int(),
        amount_minor: z.number().int(),
      }),
    ),
    top_customers: z.array(
      z.object({
        customer_id: z.string(),
        currency: z.string(),
        records: z.number().int(),
        amount_minor: z.number().int(),
      }),
    ),
    next_cursor: nextCursorSchema,
  }),
  scope: "starter:read",
  budgetTokens: 900,
  examples: [{}, { status: "closed", limit: 3 }],
  async handler({ status, limit, cursor }, { store, asOf }) {
    const byStatus = await store.all<StatusTotal>(
      `SELECT status, currency, COUNT(*) AS records, SUM(amount_minor) AS amount_minor
       FROM starter_records GROUP BY status, currency ORDER BY status, currency`,
    );
    const page = await queryPage<CustomerTotal>(
      store,
      `SELECT customer_id, currency, COUNT(*) AS records, SUM(amount_minor) AS amount_minor
       FROM starter_records WHERE status = ? GROUP BY customer_id, currency
       ORDER BY amount_minor DESC, customer_id`,
      [status],
      { limit, cursor },
      { status },
    );
    return { as_of: asOf, by_status: byStatus, top_customers: page.items, next_cursor: page.next_cursor };
  },
});
