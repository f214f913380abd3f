import { defineTool, nextCursorSchema, pageInputShape, queryPage } from "@toolpacks/pack-kit";
import { OPEN_STAGES } from "@toolpacks/world";
import { z } from "zod";
import { periodOutput, periodSchema, resolvePeriod } from "../periods.js";
import {
  minor,
  OPEN_STAGE_SQL,
  ownerIdSchema,
  reportingCurrency,
  stageSchema,
  teamSchema,
  WEIGHTED_SQL,
} from "../schemas.js";
import { dealFilterSql } from "./pipeline-filters.js";

const GROUP_KEY = {
  stage: "stage",
  owner: "owner_id",
  team: "(SELECT team FROM crm_owners o WHERE o.id = crm_deals.owner_id)",
  close_month: "substr(close_date, 1, 7)",
} as const;

const STAGE_ORDER = `CASE stage ${OPEN_STAGES.map((s, i) => `WHEN '${s}' THEN ${i}`).join(" ")} END`;

const group = z.object({
  key: z.string().describe("stage, owner id, team or close month (YYYY-MM)"),
  deals: z.number().int(),
  amount_minor: minor,
  weighted_minor: minor.describe("amount x stage win probability"),
});

/** Open pipeline grouped by stage, owner, team or close month, with the largest open deals. */
export const pipelineSummary = defineTool({
  name: "pipeline_summary",
  title: "Open pipeline summary",
  description:
    "Summarises the open sales pipeline (deals not yet won or lost) as of the CRM's date. Returns count, amount and " +
    "probability-weighted amount per stage (default), owner, team or expected close month, plus totals " +
    "and the 3 largest open deals with ids. Amounts are integer cents in USD (other currencies converted " +
    "at fixed rates). Filter by expected close period, owner or team. Deals whose close date already " +
    "passed are included (see stale_deals for them).",
  input: z.object({
    group_by: z.enum(["stage", "owner", "team", "close_month"]).default("stage").describe("how to group"),
    period: periodSchema
      .optional()
      .describe("only deals expected to close in this period (2026-Q3, 2026-07 or a date range)"),
    owner_id: ownerIdSchema.optional(),
    team: teamSchema.optional(),
    ...pageInputShape({ defaultLimit: 10, maxLimit: 50 }),
  }),
  output: z.object({
    as_of: z.string(),
    currency: reportingCurrency,
    period: periodOutput.nullable(),
    group_by: z.string(),
    totals: z.object({ deals: z.number().int(), amount_minor: minor, weighted_minor: minor }),
    groups: z.array(group).describe("one row per group; stages in pipeline order, other groups by amount"),
    next_cursor: nextCursorSchema,
    top_deals: z.array(
      z.object({
        id: z.string(),
        account_id: z.string(),
        owner_id: z.string(),
        stage: stageSchema,
        amount_minor: minor,
        close_date: z.string(),
      }),
    ),
  }),
  scope: "crm:read",
  budgetTokens: 1800,
  examples: [
    {},
    { group_by: "owner", limit: 5 },
    { group_by: "close_month", period: "2026-07-01..2026-12-31" },
  ],
  async handler({ group_by, period, owner_id, team, limit, cursor }, { store, asOf }) {
    const resolved = period === undefined ? undefined : resolvePeriod(period, asOf, "quarter");
    const filter = dealFilterSql({ ownerId: owner_id, team, period: resolved });
    const where = `FROM crm_deals WHERE stage IN (${OPEN_STAGE_SQL})${filter.sql}`;
    const totals = await store.first<{
      deals: number;
      amount_minor: number | null;
      weighted_minor: number | null;
    }>(
      `SELECT COUNT(*) AS deals, SUM(amount_usd_minor) AS amount_minor, SUM(${WEIGHTED_SQL}) AS weighted_minor ${where}`,
      filter.params,
    );
    const key = GROUP_KEY[group_by];
    const order = group_by === "stage" ? `MIN(${STAGE_ORDER})` : "amount_minor DESC, key";
    const page = await queryPage<z.infer<typeof group>>(
      store,
      `SELECT ${key} AS key, COUNT(*) AS deals, SUM(amount_usd_minor) AS amount_minor, SUM(${WEIGHTED_SQL}) AS weighted_minor ${where} GROUP BY 1 ORDER BY ${order}`,
      filter.params,
      { limit, cursor },
      { group_by, period, owner_id, team },
    );
    const top = await store.all<{
      id: string;
      account_id: string;
      owner_id: string;
      stage: (typeof OPEN_STAGES)[number];
      amount_minor: number;
      close_date: string;
    }>(
      `SELECT id, account_id, owner_id, stage, amount_usd_minor AS amount_minor, close_date ${where} ORDER BY amount_usd_minor DESC, id LIMIT 3`,
      filter.params,
    );
    return {
      as_of: asOf,
      currency: "USD" as const,
      period: resolved ?? null,
      group_by,
      totals: {
        deals: totals?.deals ?? 0,
        amount_minor: totals?.amount_minor ?? 0,
        weighted_minor: Math.round(totals?.weighted_minor ?? 0),
      },
      groups: page.items.map((g) => ({
        ...g,
        key: String(g.key),
        weighted_minor: Math.round(g.weighted_minor),
      })),
      next_cursor: page.next_cursor,
      top_deals: top,
    };
  },
});
