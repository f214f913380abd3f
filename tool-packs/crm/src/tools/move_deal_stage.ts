import { defineWriteTool, ToolError } from "@toolpacks/pack-kit";
import { STAGE_PROBABILITY } from "@toolpacks/world";
import { z } from "zod";
import { requireDeal } from "../lookups.js";
import { dealIdSchema, stageSchema } from "../schemas.js";
import { checkTransition } from "../stages.js";

const LOST_REASONS = ["price", "competitor", "no_decision", "timing", "budget", "other"] as const;

/** Moves an open deal to another stage, or closes it won or lost; records the change. */
export const moveDealStage = defineWriteTool({
  name: "move_deal_stage",
  title: "Move deal stage",
  description:
    "Moves an open deal to another open stage, or closes it as closed_won or closed_lost (lost needs a " +
    "lost_reason). Closing sets the close date to the CRM's date. Closed deals are final. Moving a deal to " +
    "the stage it is already in changes nothing (changed: false). Returns the old and new stage and close date. Send an idempotency key to make retries " +
    "safe; use dry run to check a move. get_deal lists the allowed next stages.",
  input: z.object({
    deal_id: dealIdSchema,
    to_stage: stageSchema.describe("target stage"),
    lost_reason: z.enum(LOST_REASONS).optional().describe("required when to_stage is closed_lost"),
    note: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .describe("why the stage changed (stored with the change)"),
  }),
  output: z.object({
    deal_id: z.string(),
    from_stage: stageSchema,
    to_stage: stageSchema,
    changed: z.boolean(),
    probability_pct: z.number().int(),
    close_date: z.string(),
    stage_changed_on: z.string(),
  }),
  scope: "crm:write",
  budgetTokens: 300,
  // A stage change: a deal's amount is a forecast, not money moved.
  moves: { none: true },
  destructive: true,
  idempotent: true,
  // D-0000026 is an open proposal in every seed-1 world (the conformance kit runs examples on seed 1).
  examples: [{ deal_id: "D-0000026", to_stage: "negotiation" }],
  async handler({ deal_id, to_stage, lost_reason, note }, { store, asOf, principal }) {
    const deal = await requireDeal(store, deal_id);
    const from = deal.stage as z.infer<typeof stageSchema>;
    checkTransition(deal_id, from, to_stage);
    if (to_stage === "closed_lost" && lost_reason === undefined) {
      throw new ToolError("missing_lost_reason", `Closing deal ${deal_id} as lost needs a lost_reason.`, {
        fix: `add lost_reason: one of ${LOST_REASONS.join(", ")}.`,
      });
    }
    if (to_stage !== "closed_lost" && lost_reason !== undefined) {
      throw new ToolError(
        "unexpected_lost_reason",
        `lost_reason only applies when closing a deal as lost, not ${to_stage}.`,
        {
          fix: "leave lost_reason out, or set to_stage to closed_lost.",
        },
      );
    }
    const closing = to_stage === "closed_won" || to_stage === "closed_lost";
    const closeDate = closing ? asOf : deal.close_date;
    const result = {
      deal_id,
      from_stage: from,
      to_stage,
      changed: from !== to_stage,
      probability_pct: STAGE_PROBABILITY[to_stage],
      close_date: closeDate,
      stage_changed_on: from === to_stage ? deal.stage_changed_on : asOf,
    };
    if (from === to_stage) return { result, writes: [] };
    return {
      result,
      writes: [
        {
          // `AND stage = ?` makes a concurrent move lose cleanly instead of overwriting blindly.
          sql: "UPDATE crm_deals SET stage = ?, stage_changed_on = ?, close_date = ?, lost_reason = ? WHERE id = ? AND stage = ?",
          params: [to_stage, asOf, closeDate, lost_reason ?? null, deal_id, from],
          change: `deal ${deal_id}: stage ${from} -> ${to_stage}${closing ? `, closed on ${asOf}` : ""}`,
        },
        {
          sql: "INSERT INTO crm_stage_changes (id, deal_id, from_stage, to_stage, changed_on, reason, changed_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
          params: [
            `SC-${crypto.randomUUID()}`,
            deal_id,
            from,
            to_stage,
            asOf,
            note ?? lost_reason ?? null,
            principal ?? null,
          ],
          change: `stage change of ${deal_id} recorded`,
        },
      ],
    };
  },
});
