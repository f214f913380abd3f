import { defineWriteTool, ToolError } from "@toolpacks/pack-kit";
import { z } from "zod";
import { customerIdSchema } from "../schemas.js";

/** Opens a record for a customer; a retry with the same idempotency key opens nothing new. */
export const createStarterRecord = defineWriteTool({
  name: "create_starter_record",
  title: "Create record",
  description:
    "Opens a record for a customer who already has records. amount_minor is integer minor units (cents) " +
    "and currency must be the customer's currency. Returns the new record id. Each call opens one record: " +
    "send an idempotency key so a retry does not open it twice.",
  input: z.object({
    customer_id: customerIdSchema,
    amount_minor: z
      .number()
      .int()
      .min(1)
      .max(1_000_000_000)
      .describe("amount in integer minor units (cents)"),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, "use an ISO 4217 code such as USD")
      .describe("ISO 4217 code; must be the customer's currency"),
    note: z.string().trim().min(1).max(200).optional().describe("one line about the record"),
  }),
  output: z.object({ record_id: z.string(), customer_id: z.string(), opened_on: z.string() }),
  scope: "starter:write",
  budgetTokens: 200,
  // What one call moves, in integer minor units, for money budgets (`{ none: true }` if nothing).
  moves: { sum: [{ product: ["amount_minor"] }], currency: "currency" },
  destructive: false,
  idempotent: false,
  examples: [{ customer_id: "C-000001", amount_minor: 12_500, currency: "USD", note: "First order" }],
  async handler({ customer_id, amount_minor, currency, note }, { store, asOf }) {
    const customer = await store.first<{ currency: string }>(
      "SELECT currency FROM starter_records WHERE customer_id = ? LIMIT 1",
      [customer_id],
    );
    if (!customer) {
      throw new ToolError("not_found", `Customer ${customer_id} has no records to add to.`, {
        fix: "pick a customer from starter_summary's top_customers.",
      });
    }
    if (customer.currency !== currency) {
      throw new ToolError(
        "currency_mismatch",
        `Customer ${customer_id} is billed in ${customer.currency}, not ${currency}.`,
        {
          fix: `send currency "${customer.currency}" with the amount in ${customer.currency} minor units.`,
        },
      );
    }
    const id = `R-${crypto.randomUUID()}`;
    return {
      result: { record_id: id, customer_id, opened_on: asOf },
      writes: [
        {
          sql: "INSERT INTO starter_records (id, customer_id, status, amount_minor, currency, opened_on, note) VALUES (?, ?, 'open', ?, ?, ?, ?)",
          params: [id, customer_id, amount_minor, currency, asOf, note ?? null],
          change: `record ${id} opened for ${customer_id}: ${amount_minor} ${currency} minor units`,
        },
      ],
      // What the handler moves; the conformance kit checks `moves` above against it.
      moves: amount_minor,
    };
  },
});
