import {
  decodeCursor,
  defineTool,
  encodeCursor,
  nextCursorSchema,
  pageInputShape,
  periodOutput,
  periodSchema,
  resolvePeriod,
  sqlFor,
} from "@toolpacks/pack-kit";
import { type Currency, OPEN_STAGES } from "@toolpacks/world";
import { z } from "zod";
import { CLOSE_MONTH_ROLLUP_TABLE, closingIn } from "../close-month-rollup.js";
import { dealFilterSql } from "../deal-filters.js";
import { UsdTotals, WeightedUsdTotals } from "../money.js";
import { PIPELINE_ROLLUP_TABLE } from "../pipeline-rollup.js";
import {
  currencySchema,
  minor,
  OPEN_STAGE_SQL,
  ownerIdSchema,
  reportingCurrency,
  stageSchema,
  teamSchema,
  usdMinor,
  WEIGHTED_X100_SQL,
} from "../schemas.js";

const GROUP_KEY = {
  stage: "stage",
  owner: "owner_id",
  team: "o.team",
  close_month: "close_month",
} as const;

const STAGE_ORDER = `CASE stage ${OPEN_STAGES.map((s, i) => `WHEN '${s}' THEN ${i}`).join(" ")} END`;

const group = z.object({
  key: z.string().describe("stage, owner id, team or close month (YYYY-MM)"),
  deals: z.number().int(),
  amount_usd_minor: usdMinor,
  weighted_usd_minor: usdMinor.describe("amount x stage win probability"),
});

/** Open pipeline grouped by stage, owner, team or close month, with the largest open deals. */
export const pipelineSummary = defineTool({
  name: "pipeline_summary",
  title: "Open pipeline summary",
  description:
    "Summarises the open sales pipeline (deals not yet won or lost) as of the CRM's date. Returns count, amount and " +
    "probability-weighted amount per stage (default), owner, team or expected close month, plus totals " +
    "and the 3 largest open deals with ids. Aggregates are integer USD cents (*_usd_minor); each top deal " +
    "also has its amount in its own currency. Filter by expected close period, owner or team. Deals whose close date already " +
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
    reporting_currency: reportingCurrency,
    period: periodOutput.nullable(),
    group_by: z.string(),
    totals: z.object({ deals: z.number().int(), amount_usd_minor: usdMinor, weighted_usd_minor: usdMinor }),
    groups: z.array(group).describe("one row per group; stages in pipeline order, other groups by amount"),
    next_cursor: nextCursorSchema,
    top_deals: z.array(
      z.object({
        id: z.string(),
        account_id: z.string(),
        owner_id: z.string(),
        stage: stageSchema,
        amount_minor: minor.describe("in the deal's currency"),
        currency: currencySchema,
        amount_usd_minor: usdMinor,
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
    const filters = { group_by, period, owner_id, team };
    const offset = decodeCursor(cursor, filters);
    const filter = dealFilterSql({ ownerId: owner_id, team, period: resolved });
    const where = `WHERE stage IN (${OPEN_STAGE_SQL})${filter.sql}`;
    // One read for all groups; totals and pages come from it, from a rollup whatever the number
    // of deals: without a close period, stage, owner and team groups add up the open-pipeline
    // rollup (a row per stage, owner and currency); close months and periods add up the
    // close-month rollup (whole months; a period's ragged first and last days from the deals).
    const owners = dealFilterSql({ ownerId: owner_id, team });
    const source =
      resolved !== undefined
        ? closingIn(resolved, OPEN_STAGE_SQL)
        : group_by === "close_month"
          ? { sql: `SELECT * FROM ${CLOSE_MONTH_ROLLUP_TABLE}`, params: [] }
          : { sql: `SELECT * FROM ${PIPELINE_ROLLUP_TABLE}`, params: [] };
    const join = group_by === "team" ? " JOIN crm_owners o ON o.id = d.owner_id" : "";
    const rows = await store.all<{
      key: string;
      rank: number;
      currency: Currency;
      deals: number;
      amount: number;
      weighted_x100: number;
    }>(
      `SELECT ${GROUP_KEY[group_by]} AS key, MIN(${STAGE_ORDER}) AS rank, currency, SUM(deals) AS deals,
        SUM(amount_minor) AS amount, SUM(${WEIGHTED_X100_SQL}) AS weighted_x100
       FROM (${source.sql}) d${join} WHERE stage IN (${OPEN_STAGE_SQL})${owners.sql} GROUP BY 1, currency`,
      [...source.params, ...owners.params],
    );
    // Each group's figures convert its own per-currency totals; the totals convert the grand ones.
    const amounts = new UsdTotals<string>();
    const weighted = new WeightedUsdTotals<string>();
    const byKey = new Map<string, { key: string; rank: number; deals: number }>();
    for (const r of rows) {
      const key = String(r.key);
      const g = byKey.get(key) ?? { key, rank: r.rank, deals: 0 };
      g.rank = Math.min(g.rank, r.rank);
      g.deals += r.deals;
      byKey.set(key, g);
      amounts.add(key, r.currency, r.amount);
      weighted.add(key, r.currency, r.weighted_x100 ?? 0);
    }
    const groups = [...byKey.values()].map((g) => ({
      ...g,
      amount_usd_minor: amounts.usd(g.key),
      weighted_usd_minor: weighted.usd(g.key),
    }));
    groups.sort((a, b) =>
      group_by === "stage"
        ? a.rank - b.rank
        : b.amount_usd_minor - a.amount_usd_minor || a.key.localeCompare(b.key),
    );
    // The partial index of open deals by amount answers this after three rows (see stale_deals).
    const top = await store.all<{
      id: string;
      account_id: string;
      owner_id: string;
      stage: (typeof OPEN_STAGES)[number];
      amount_minor: number;
      currency: Currency;
      amount_usd_minor: number;
      close_date: string;
    }>(
      `SELECT id, account_id, owner_id, stage, amount_minor, currency, amount_usd_minor, close_date FROM crm_deals${sqlFor(store.dialect).indexedBy("crm_deals_open_by_amount")} ${where} ORDER BY amount_usd_minor DESC, id LIMIT 3`,
      filter.params,
    );
    return {
      as_of: asOf,
      reporting_currency: "USD" as const,
      period: resolved ?? null,
      group_by,
      totals: {
        deals: groups.reduce((n, g) => n + g.deals, 0),
        amount_usd_minor: amounts.usdAll(),
        weighted_usd_minor: weighted.usdAll(),
      },
      groups: groups
        .slice(offset, offset + limit)
        .map(({ key, deals, amount_usd_minor, weighted_usd_minor }) => ({
          key,
          deals,
          amount_usd_minor,
          weighted_usd_minor,
        })),
      next_cursor: offset + limit < groups.length ? encodeCursor(offset + limit, filters) : null,
      top_deals: top,
    };
  },
});
