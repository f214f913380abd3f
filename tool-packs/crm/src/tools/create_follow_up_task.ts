import { defineWriteTool, ToolError } from "@toolpacks/pack-kit";
import { dayOf } from "@toolpacks/world";
import { z } from "zod";
import { requireAccount, requireDeal, requireOwner } from "../lookups.js";
import { accountIdSchema, dealIdSchema, ownerIdSchema } from "../schemas.js";

const MAX_DAYS_AHEAD = 365;

/** Creates an open follow-up task on a deal or an account. */
export const createFollowUpTask = defineWriteTool({
  name: "create_follow_up_task",
  title: "Create follow-up task",
  description:
    "Creates an open follow-up task for a deal (deal_id) or an account (account_id), due on a date from the " +
    "CRM's date up to a year ahead, assigned to owner_id or by default to the deal's (or account's) owner. " +
    "Returns the task id and assignee. " +
    "Each call creates one task: send an idempotency key so a retry does not create a second.",
  input: z.object({
    deal_id: dealIdSchema.optional().describe("the deal to follow up (its account is used)"),
    account_id: accountIdSchema.optional().describe("the account to follow up, when there is no deal"),
    title: z.string().trim().min(1).max(200).describe("what to do, e.g. 'Send revised quote'"),
    due_on: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "use YYYY-MM-DD")
      .describe("due date, YYYY-MM-DD"),
    owner_id: ownerIdSchema.optional().describe("assignee; default the deal's or account's owner"),
  }),
  output: z.object({
    task_id: z.string(),
    deal_id: z.string().nullable(),
    account_id: z.string(),
    owner_id: z.string(),
    title: z.string(),
    due_on: z.string(),
    status: z.literal("open"),
  }),
  scope: "crm:write",
  budgetTokens: 300,
  // A CRM record: moves no money.
  moves: { none: true },
  destructive: false,
  idempotent: false,
  examples: [{ deal_id: "D-0000026", title: "Send revised quote", due_on: "2026-07-07" }],
  async handler({ deal_id, account_id, title, due_on, owner_id }, { store, asOf, principal }) {
    if (deal_id === undefined && account_id === undefined) {
      throw new ToolError("missing_target", "A follow-up task needs a deal_id or an account_id.", {
        fix: "pass the deal_id of the deal to follow up, or the account_id for account-level work.",
      });
    }
    const deal = deal_id === undefined ? undefined : await requireDeal(store, deal_id);
    const account = deal
      ? await requireAccount(store, deal.account_id)
      : await requireAccount(store, account_id!);
    if (deal && account_id !== undefined && account_id !== deal.account_id) {
      throw new ToolError(
        "account_mismatch",
        `Deal ${deal_id} belongs to account ${deal.account_id}, not ${account_id}.`,
        {
          fix: "leave account_id out when you pass a deal_id.",
        },
      );
    }
    const due = dayOf(due_on);
    if (Number.isNaN(due)) {
      throw new ToolError("invalid_date", `due_on "${due_on}" is not a calendar date.`, {
        fix: "use a real date, YYYY-MM-DD.",
      });
    }
    if (due < dayOf(asOf) || due > dayOf(asOf) + MAX_DAYS_AHEAD) {
      throw new ToolError("due_date_out_of_range", `due_on ${due_on} is outside ${asOf} .. one year ahead.`, {
        fix: `pick a due date from ${asOf} up to ${MAX_DAYS_AHEAD} days later.`,
      });
    }
    if (owner_id !== undefined) await requireOwner(store, owner_id);
    const assignee = owner_id ?? deal?.owner_id ?? account.owner_id;
    const id = `TASK-${crypto.randomUUID()}`;
    return {
      result: {
        task_id: id,
        deal_id: deal_id ?? null,
        account_id: account.id,
        owner_id: assignee,
        title,
        due_on,
        status: "open" as const,
      },
      writes: [
        {
          sql: "INSERT INTO crm_tasks (id, deal_id, account_id, owner_id, title, due_on, status, created_on, created_by) VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?)",
          params: [id, deal_id ?? null, account.id, assignee, title, due_on, asOf, principal ?? null],
          change: `task ${id} for ${deal_id ?? account.id} due ${due_on}, assigned to ${assignee}`,
        },
      ],
    };
  },
});
