import { daysBetween, defineTool, trailingDays } from "@toolpacks/pack-kit";
import { type Currency, OPEN_STAGES } from "@toolpacks/world";
import { z } from "zod";
import { requireAccount } from "../lookups.js";
import { UsdTotals, WeightedUsdTotals } from "../money.js";
import {
  accountIdSchema,
  currencySchema,
  minor,
  OPEN_STAGE_SQL,
  reportingCurrency,
  usdMinor,
  WEIGHTED_X100_SQL,
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
    "the last 12 months (365 days up to as_of) with win rate, last activity and days since, activities in the last 90 days " +
    "(as_of and the 89 days before it), open deals past their close date, open follow-up tasks, risk flags, and the 3 " +
    "largest open deals. Find the account id with search_companies; an unknown id is a not_found tool error.",
  input: z.object({
    account_id: accountIdSchema.describe(
      "account id, e.g. C-000042; an unknown id is a not_found tool error (find ids with search_companies)",
    ),
  }),
  output: z.object({
    as_of: z.string(),
    reporting_currency: reportingCurrency,
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
      amount_usd_minor: usdMinor,
      weighted_usd_minor: usdMinor,
      past_close_date: z.number().int(),
    }),
    last_12_months: z
      .object({
        won_deals: z.number().int(),
        won_usd_minor: usdMinor,
        lost_deals: z.number().int(),
        win_rate_pct: z.number().int().nullable().describe("won / (won + lost); null without closed deals"),
      })
      .describe("deals closed in the 365 days up to as_of (as_of included)"),
    activity: z.object({
      last_at: z.string().nullable(),
      days_since: z.number().int().nullable(),
      last_90_days: z
        .number()
        .int()
        .describe("activities in the 90 days up to as_of: as_of and the 89 days before"),
    }),
    open_tasks: z.number().int(),
    flags: z.array(z.enum(FLAGS)),
    top_open_deals: z.array(
      z.object({
        id: z.string(),
        stage: z.enum(OPEN_STAGES),
        amount_minor: minor.describe("in the deal's currency"),
        currency: currencySchema,
        amount_usd_minor: usdMinor,
        close_date: z.string(),
      }),
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
    const year = trailingDays(asOf, 365);
    const recent = trailingDays(asOf, 90);
    const facts = await store.all<{ currency: Currency } & Record<string, number | null>>(
      `SELECT currency,
        SUM(CASE WHEN stage IN (${OPEN_STAGE_SQL}) THEN 1 ELSE 0 END) AS open_deals,
        SUM(CASE WHEN stage IN (${OPEN_STAGE_SQL}) THEN amount_minor END) AS open_minor,
        SUM(CASE WHEN stage IN (${OPEN_STAGE_SQL}) THEN ${WEIGHTED_X100_SQL} END) AS weighted_x100,
        SUM(CASE WHEN stage IN (${OPEN_STAGE_SQL}) AND close_date < ? THEN 1 ELSE 0 END) AS past_close,
        SUM(CASE WHEN stage = 'closed_won' AND close_date BETWEEN ? AND ? THEN 1 ELSE 0 END) AS won,
        SUM(CASE WHEN stage = 'closed_won' AND close_date BETWEEN ? AND ? THEN amount_minor END) AS won_minor,
        SUM(CASE WHEN stage = 'closed_lost' AND close_date BETWEEN ? AND ? THEN 1 ELSE 0 END) AS lost
       FROM crm_deals WHERE account_id = ? GROUP BY currency`,
      [asOf, year.from, year.to, year.from, year.to, year.from, year.to, account_id],
    );
    const usd = new UsdTotals<"open" | "won">();
    const weighted = new WeightedUsdTotals<0>();
    for (const f of facts) {
      usd.add("open", f.currency, f["open_minor"] ?? 0);
      weighted.add(0, f.currency, f["weighted_x100"] ?? 0);
      usd.add("won", f.currency, f["won_minor"] ?? 0);
    }
    const count = (k: string) => facts.reduce((n, f) => n + (f[k] ?? 0), 0);
    // Timestamps compare as text: the window's last day ends before the next day's date.
    const activity = await store.first<{ last_at: string | null; recent: number }>(
      "SELECT MAX(occurred_at) AS last_at, SUM(CASE WHEN occurred_at >= ? THEN 1 ELSE 0 END) AS recent FROM crm_activities WHERE account_id = ?",
      [recent.from, account_id],
    );
    const tasks = await store.first<{ n: number }>(
      "SELECT COUNT(*) AS n FROM crm_tasks WHERE account_id = ? AND status = 'open'",
      [account_id],
    );
    const top = await store.all<{
      id: string;
      stage: (typeof OPEN_STAGES)[number];
      amount_minor: number;
      currency: Currency;
      amount_usd_minor: number;
      close_date: string;
    }>(
      `SELECT id, stage, amount_minor, currency, amount_usd_minor, close_date FROM crm_deals WHERE account_id = ? AND stage IN (${OPEN_STAGE_SQL}) ORDER BY amount_usd_minor DESC, id LIMIT 3`,
      [account_id],
    );
    const won = count("won");
    const lost = count("lost");
    const openDeals = count("open_deals");
    const lastAt = activity?.last_at ?? null;
    const daysSince = lastAt === null ? null : daysBetween(lastAt, asOf);
    const winRate = won + lost === 0 ? null : Math.round((100 * won) / (won + lost));
    const flags: Array<(typeof FLAGS)[number]> = [];
    if (daysSince === null || daysSince > 30) flags.push("no_activity_30d");
    if (openDeals === 0) flags.push("no_open_pipeline");
    if (count("past_close") > 0) flags.push("slipped_pipeline");
    if (won === 0) flags.push("no_win_12m");
    if (winRate !== null && won + lost >= 3 && winRate < 25) flags.push("low_win_rate");
    return {
      as_of: asOf,
      reporting_currency: "USD" as const,
      account: account!,
      open_pipeline: {
        deals: openDeals,
        amount_usd_minor: usd.usd("open"),
        weighted_usd_minor: weighted.usd(0),
        past_close_date: count("past_close"),
      },
      last_12_months: {
        won_deals: won,
        won_usd_minor: usd.usd("won"),
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
