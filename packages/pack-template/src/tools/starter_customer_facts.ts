import { defineTool, ToolError } from "@toolpacks/pack-kit";
import { z } from "zod";
import { customerIdSchema } from "../schemas.js";

/** A handful of facts about one customer's records, never the records themselves. */
export const starterCustomerFacts = defineTool({
  name: "starter_customer_facts",
  title: "Customer record facts",
  description:
    "Answers 'where does this customer stand?'. Returns open, in-progress and closed record counts, the open amount " +
    "(integer minor units in the customer's currency) and the oldest open record's date and age in days.",
  input: z.object({ customer_id: customerIdSchema }),
  output: z.object({
    as_of: z.string(),
    customer_id: z.string(),
    currency: z.string().nullable(),
    open: z.number(),
    in_progress: z.number(),
    closed: z.number(),
    open_amount_minor: z.number(),
    oldest_open_on: z.string().nullable(),
    oldest_open_age_days: z.number().nullable(),
  }),
  scope: "starter:read",
  budgetTokens: 200,
  examples: [{ customer_id: "C-000001" }],
  async handler({ customer_id }, { store, asOf }) {
    const row = await store.first<{
      total: number;
      currency: string | null;
      open: number;
      in_progress: number;
      closed: number;
      open_amount_minor: number;
      oldest_open_on: string | null;
    }>(
      `SELECT COUNT(*) AS total, MAX(currency) AS currency,
         COALESCE(SUM(status = 'open'), 0) AS open,
         COALESCE(SUM(status = 'in_progress'), 0) AS in_progress,
         COALESCE(SUM(status = 'closed'), 0) AS closed,
         COALESCE(SUM(CASE WHEN status = 'open' THEN amount_minor END), 0) AS open_amount_minor,
         MIN(CASE WHEN status = 'open' THEN opened_on END) AS oldest_open_on
       FROM starter_records WHERE customer_id = ?`,
      [customer_id],
    );
    if (!row || row.total === 0) {
      throw new ToolError("not_found", `No records for customer ${customer_id}.`, {
        fix: "check the id (e.g. from starter_summary's top_customers); customers without records have no facts.",
      });
    }
    const age =
      row.oldest_open_on === null
        ? null
        : Math.round(
            (Date.parse(`${asOf}T00:00:00Z`) - Date.parse(`${row.oldest_open_on}T00:00:00Z`)) / 86_400_000,
          );
    return {
      as_of: asOf,
      customer_id,
      currency: row.currency,
      open: row.open,
      in_progress: row.in_progress,
      closed: row.closed,
      open_amount_minor: row.open_amount_minor,
      oldest_open_on: row.oldest_open_on,
      oldest_open_age_days: age,
    };
  },
});
