import { defineWriteTool, ToolError } from "@toolpacks/pack-kit";
import { dayOf } from "@toolpacks/world";
import { z } from "zod";
import { requireDeal } from "../lookups.js";
import { dealIdSchema } from "../schemas.js";

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?Z$/;

/** Logs a call, email, meeting or note on a deal. */
export const logActivity = defineWriteTool({
  name: "log_activity",
  title: "Log activity",
  description:
    "Logs a sales activity (call, email, meeting or note) on a deal, for the deal's account and owner, and " +
    "updates the deal's last activity time (which stale_deals reads). occurred_at defaults to noon UTC on " +
    "the CRM's date and cannot be later than that day. Returns the new activity id. Each call adds one activity: send an idempotency " +
    "key so a retry does not log it twice.",
  input: z.object({
    deal_id: dealIdSchema,
    kind: z.enum(["call", "email", "meeting", "note"]).describe("what kind of touchpoint"),
    subject: z.string().trim().min(1).max(200).describe("one line, e.g. 'Pricing call with procurement'"),
    occurred_at: z
      .string()
      .regex(TIMESTAMP, "use an ISO 8601 UTC timestamp such as 2026-06-30T14:00:00Z")
      .optional()
      .describe("when it happened, ISO 8601 UTC (e.g. 2026-06-30T14:00:00Z)"),
  }),
  output: z.object({
    activity_id: z.string(),
    deal_id: z.string(),
    account_id: z.string(),
    owner_id: z.string(),
    kind: z.string(),
    occurred_at: z.string(),
  }),
  scope: "crm:write",
  budgetTokens: 300,
  // A CRM record: moves no money.
  moves: { none: true },
  destructive: false,
  idempotent: false,
  examples: [{ deal_id: "D-0000026", kind: "call", subject: "Checked delivery dates" }],
  async handler({ deal_id, kind, subject, occurred_at }, { store, asOf }) {
    const deal = await requireDeal(store, deal_id);
    const at =
      occurred_at === undefined
        ? `${asOf}T12:00:00Z`
        : occurred_at.length === 17
          ? `${occurred_at.slice(0, 16)}:00Z`
          : occurred_at;
    const [hours = 99, minutes = 99, seconds = 99] = at.slice(11, 19).split(":").map(Number);
    if (Number.isNaN(dayOf(at.slice(0, 10))) || hours > 23 || minutes > 59 || seconds > 59) {
      throw new ToolError("invalid_timestamp", `occurred_at "${occurred_at}" is not a real date and time.`, {
        fix: "use an ISO 8601 UTC timestamp such as 2026-06-30T14:00:00Z.",
      });
    }
    if (at.slice(0, 10) > asOf) {
      throw new ToolError("future_activity", `occurred_at ${at} is after the CRM's date ${asOf}.`, {
        fix: `log activities that happened on or before ${asOf}; plan future work with create_follow_up_task.`,
      });
    }
    const id = `ACT-${crypto.randomUUID()}`;
    return {
      result: {
        activity_id: id,
        deal_id,
        account_id: deal.account_id,
        owner_id: deal.owner_id,
        kind,
        occurred_at: at,
      },
      writes: [
        {
          sql: "INSERT INTO crm_activities (id, deal_id, account_id, owner_id, kind, subject, occurred_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
          params: [id, deal_id, deal.account_id, deal.owner_id, kind, subject, at],
          change: `activity ${id} (${kind}) logged on deal ${deal_id} at ${at}`,
        },
        {
          sql: "UPDATE crm_deals SET last_activity_at = ? WHERE id = ? AND (last_activity_at IS NULL OR last_activity_at < ?)",
          params: [at, deal_id, at],
          change: `deal ${deal_id}: last activity at least ${at}`,
        },
        {
          sql: "INSERT INTO crm_activity_daily (day, owner_id, activities) VALUES (?, ?, 1) ON CONFLICT (day, owner_id) DO UPDATE SET activities = crm_activity_daily.activities + 1",
          params: [at.slice(0, 10), deal.owner_id],
          change: `owner ${deal.owner_id}: one more activity on ${at.slice(0, 10)}`,
        },
      ],
    };
  },
});
