import { addDays, daysBetween, defineTool } from "@toolpacks/pack-kit";
import { type Currency, OPEN_STAGES } from "@toolpacks/world";
import { z } from "zod";
import { requireAccount } from "../lookups.js";
import {
  accountIdSchema,
  currencySchema,
  minor,
  OPEN_STAGE_SQL,
  reportingCurrency,
  WEIGHTED_SQL,
} from "../schemas.js";

const FLAGS = [
  "no_activity_30d",
  "no_open_pipeline",
  "slipped_pipeline",
  "no_win_12m",
  "low_win_rate",
] as const;

/** Facts about one account's relationship: pipeline, wins, activity recency, risk flags. */
export const accountHealth = defineTool({
  name: "account_health",
  title: "Account health",
  description:
    "Returns health facts for one account as of the CRM's date: segment, industry, country, owner id, number " +
    "of contacts (no personal data), open pipeline (count, USD amount, weighted), deals won and lost in " +
    "the last 12 months with win rate, last activity and days since, activities in the last 90 days, " +
    "open deals past their close date, open follow-up tasks, risk flags, and the 3 largest open deals. " +
    "Find the account id with search_companies.",
  input: z.object({ account_id: accountIdSchema }),
  output: z.object({
    as_of: z.string(),
    currency: reportingCurrency,
    account: z.object({
      id: z.string(),
      name: z.string(),
      segment: z.string(),
      industry: z.string(),
      country: z.string(),
      currency: currencySchema.describe("the account's billing currency"),
      owner_id: z.string(),
      contacts: z.number().int(),
    }),
    open_pipeline: z.object({
      deals: z.number().int(),
      amount_minor: minor,
      weighted_minor: minor,
      past_close_date: z.number().int(),
    }),
    last_12_months: z.object({
      won_deals: z.number().int(),
      won_minor: minor,
      lost_deals: z.number().int(),
      win_rate_pct: z.number().int().nullable().describe("won / (won + lost); null without closed deals"),
    }),
    activity: z.object({
      last_at: z.string().nullable(),
      days_since: z.number().int().nullable(),
      last_90_days: z.number().int(),
    }),
    open_tasks: z.number().int(),
    flags: z.array(z.enum(FLAGS)),
    top_open_deals: z.array(
      z.object({ id: z.string(), stage: z.enum(OPEN_STAGES), amount_minor: minor, close_date: z.string() }),
    ),
  }),
  scope: "crm:read",
  budgetTokens: 600,
  examples: [{ account_id: "C-000001" }],
  async handler({ account_id }, { store, asOf }) {
    await requireAccount(store, account_id);
    const account = await store.first<{
      id: string;
      name: string;
      segment: string;
      industry: string;
      country: string;
      currency: Currency;
      owner_id: string;
      contacts: number;
    }>(
      "SELECT id, name, segment, industry, country, currency, owner_id, (SELECT COUNT(*) FROM crm_contacts c WHERE c.account_id = a.id) AS contacts FROM crm_accounts a WHERE id = ?",
      [account_id],
    );
    const yearAgo = addDays(asOf, -365);
    const facts = await store.first<Record<string, number | null>>(
      `SELECT
        SUM(stage IN (${OPEN_STAGE_SQL})) AS open_deals,
        SUM(CASE WHEN stage IN (${OPEN_STAGE_SQL}) THEN amount_usd_minor END) AS open_minor,
        SUM(CASE WHEN stage IN (${OPEN_STAGE_SQL}) THEN ${WEIGHTED_SQL} END) AS weighted_minor,
        SUM(stage IN (${OPEN_STAGE_SQL}) AND close_date < ?) AS past_close,
        SUM(stage = 'closed_won' AND close_date > ?) AS won,
        SUM(CASE WHEN stage = 'closed_won' AND close_date > ? THEN amount_usd_minor END) AS won_minor,
        SUM(stage = 'closed_lost' AND close_date > ?) AS lost
       FROM crm_deals WHERE account_id = ?`,
      [asOf, yearAgo, yearAgo, yearAgo, account_id],
    );
    const activity = await store.first<{ last_at: string | null; recent: number }>(
      "SELECT MAX(occurred_at) AS last_at, SUM(occurred_at >= ?) AS recent FROM crm_activities WHERE account_id = ?",
      [addDays(asOf, -90), account_id],
    );
    const tasks = await store.first<{ n: number }>(
      "SELECT COUNT(*) AS n FROM crm_tasks WHERE account_id = ? AND status = 'open'",
      [account_id],
    );
    const top = await store.all<{
      id: string;
      stage: (typeof OPEN_STAGES)[number];
      amount_minor: number;
      close_date: string;
    }>(
      `SELECT id, stage, amount_usd_minor AS amount_minor, close_date FROM crm_deals WHERE account_id = ? AND stage IN (${OPEN_STAGE_SQL}) ORDER BY amount_usd_minor DESC, id LIMIT 3`,
      [account_id],
    );
    const won = facts?.["won"] ?? 0;
    const lost = facts?.["lost"] ?? 0;
    const openDeals = facts?.["open_deals"] ?? 0;
    const lastAt = activity?.last_at ?? null;
    const daysSince = lastAt === null ? null : daysBetween(lastAt, asOf);
    const winRate = won + lost === 0 ? null : Math.round((100 * won) / (won + lost));
    const flags: Array<(typeof FLAGS)[number]> = [];
    if (daysSince === null || daysSince > 30) flags.push("no_activity_30d");
    if (openDeals === 0) flags.push("no_open_pipeline");
    if ((facts?.["past_close"] ?? 0) > 0) flags.push("slipped_pipeline");
    if (won === 0) flags.push("no_win_12m");
    if (winRate !== null && won + lost >= 3 && winRate < 25) flags.push("low_win_rate");
    return {
      as_of: asOf,
      currency: "USD" as const,
      account: account!,
      open_pipeline: {
        deals: openDeals,
        amount_minor: facts?.["open_minor"] ?? 0,
        weighted_minor: facts?.["weighted_minor"] ?? 0,
        past_close_date: facts?.["past_close"] ?? 0,
      },
      last_12_months: {
        won_deals: won,
        won_minor: facts?.["won_minor"] ?? 0,
        lost_deals: lost,
        win_rate_pct: winRate,
      },
      activity: { last_at: lastAt, days_since: daysSince, last_90_days: activity?.recent ?? 0 },
      open_tasks: tasks?.n ?? 0,
      flags,
      top_open_deals: top,
    };
  },
});
