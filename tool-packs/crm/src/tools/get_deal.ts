import { defineTool } from "@toolpacks/pack-kit";
import { type Currency, STAGE_PROBABILITY } from "@toolpacks/world";
import { z } from "zod";
import { requireDeal } from "../lookups.js";
import { currencySchema, dealIdSchema, minor, netUnitPrice, stageSchema } from "../schemas.js";
import { allowedNextStages } from "../stages.js";
import type { Rows } from "../tables.js";

/** One deal with its lines, latest activities and the stages it may move to. */
export const getDeal = defineTool({
  name: "get_deal",
  title: "Get deal",
  description:
    "Looks up one deal by id (an unknown id is a not_found tool error). Returns account and owner ids, stage and win probability, amount and currency, created, " +
    "expected or actual close date, last stage change, lost reason, its line items (sku, quantity, discount and " +
    "net unit price, the discount already applied), the 5 latest activities (kind, subject, time), open follow-up tasks, and the " +
    "stages move_deal_stage accepts for it.",
  input: z.object({
    deal_id: dealIdSchema.describe("deal id, e.g. D-0000042; an unknown id is a not_found tool error"),
  }),
  output: z.object({
    as_of: z.string(),
    deal: z.object({
      id: z.string(),
      name: z.string(),
      account_id: z.string(),
      owner_id: z.string(),
      stage: stageSchema,
      probability_pct: z.number().int(),
      amount_minor: minor.describe("in the deal's currency: the sum of quantity x net_unit_price_minor"),
      currency: currencySchema,
      created_on: z.string(),
      close_date: z.string(),
      stage_changed_on: z.string(),
      lost_reason: z.string().nullable(),
      last_activity_at: z.string().nullable(),
    }),
    lines: z.array(
      z.object({
        sku: z.string(),
        quantity: z.number().int(),
        discount_pct: z
          .number()
          .int()
          .describe("discount off the list price, percent; already applied in net_unit_price_minor"),
        net_unit_price_minor: netUnitPrice,
      }),
    ),
    activities: z.object({
      total: z.number().int(),
      latest: z.array(
        z.object({ id: z.string(), kind: z.string(), subject: z.string(), occurred_at: z.string() }),
      ),
    }),
    open_tasks: z.number().int(),
    allowed_next_stages: z.array(stageSchema),
  }),
  scope: "crm:read",
  budgetTokens: 800,
  examples: [{ deal_id: "D-0000001" }],
  async handler({ deal_id }, { store, asOf }) {
    await requireDeal(store, deal_id);
    const deal = (await store.first<
      Pick<
        Rows["crm_deals"],
        | "id"
        | "name"
        | "account_id"
        | "owner_id"
        | "amount_minor"
        | "created_on"
        | "close_date"
        | "stage_changed_on"
        | "lost_reason"
        | "last_activity_at"
      > & {
        stage: Rows["crm_deals"]["stage"] & keyof typeof STAGE_PROBABILITY;
        currency: Rows["crm_deals"]["currency"] & Currency;
      }
    >(
      "SELECT id, name, account_id, owner_id, stage, amount_minor, currency, created_on, close_date, stage_changed_on, lost_reason, last_activity_at FROM crm_deals WHERE id = ?",
      [deal_id],
    ))!;
    const lines = await store.all<
      Pick<Rows["crm_deal_lines"], "sku" | "quantity" | "discount_pct"> & {
        net_unit_price_minor: Rows["crm_deal_lines"]["unit_price_minor"];
      }
    >(
      "SELECT sku, quantity, unit_price_minor AS net_unit_price_minor, discount_pct FROM crm_deal_lines WHERE deal_id = ? ORDER BY line_no",
      [deal_id],
    );
    const latest = await store.all<Pick<Rows["crm_activities"], "id" | "kind" | "subject" | "occurred_at">>(
      "SELECT id, kind, subject, occurred_at FROM crm_activities WHERE deal_id = ? ORDER BY occurred_at DESC, id LIMIT 5",
      [deal_id],
    );
    const counts = await store.first<{ activities: number; tasks: number }>(
      "SELECT (SELECT COUNT(*) FROM crm_activities WHERE deal_id = ?) AS activities, (SELECT COUNT(*) FROM crm_tasks WHERE deal_id = ? AND status = 'open') AS tasks",
      [deal_id, deal_id],
    );
    return {
      as_of: asOf,
      deal: { ...deal, probability_pct: STAGE_PROBABILITY[deal.stage] },
      lines,
      activities: { total: counts?.activities ?? 0, latest },
      open_tasks: counts?.tasks ?? 0,
      allowed_next_stages: allowedNextStages(deal.stage),
    };
  },
});
