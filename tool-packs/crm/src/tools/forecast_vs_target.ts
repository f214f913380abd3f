import {
  decodeCursor,
  defineTool,
  encodeCursor,
  nextCursorSchema,
  pageInputShape,
  resolvePeriod,
} from "@toolpacks/pack-kit";
import type { Currency } from "@toolpacks/world";
import { z } from "zod";
import { closingIn } from "../close-month-rollup.js";
import { UsdTotals, WeightedUsdTotals } from "../money.js";
import { OPEN_STAGE_SQL, reportingCurrency, teamSchema, usdMinor, WEIGHTED_X100_SQL } from "../schemas.js";

const figures = {
  target_usd_minor: usdMinor.describe("quota target of the quarter"),
  won_usd_minor: usdMinor.describe(
    "every closed_won deal with a close_date in the quarter, of this row's owners: the same deals as deals_closed({ period: quarter }) (its totals.amount_usd_minor when no team is given)",
  ),
  weighted_pipeline_usd_minor: usdMinor.describe(
    "open deals expected to close in the quarter x stage probability",
  ),
  commit_usd_minor: usdMinor.describe("open deals in negotiation expected to close in the quarter"),
  forecast_usd_minor: usdMinor.describe("won + weighted pipeline"),
  attainment_pct: z.number().int().nullable().describe("won / target; null without a target"),
  forecast_pct: z.number().int().nullable().describe("forecast / target"),
  gap_usd_minor: usdMinor.describe("target - forecast; positive means short of target"),
};
const row = z.object({ key: z.string().describe("team or owner id"), ...figures });
type Figures = { [K in keyof typeof figures]: z.infer<(typeof figures)[K]> };

function figuresOf(target: number, won: number, weighted: number, commit: number): Figures {
  const forecast = won + weighted;
  const pct = (x: number) => (target > 0 ? Math.round((100 * x) / target) : null);
  return {
    target_usd_minor: target,
    won_usd_minor: won,
    weighted_pipeline_usd_minor: weighted,
    commit_usd_minor: commit,
    forecast_usd_minor: forecast,
    attainment_pct: pct(won),
    forecast_pct: pct(forecast),
    gap_usd_minor: target - forecast,
  };
}

/** Quarter forecast (won + weighted pipeline) against quota, per team or owner. */
export const forecastVsTarget = defineTool({
  name: "forecast_vs_target",
  title: "Forecast against target",
  description:
    "Forecasts a calendar quarter (default: the CRM's current quarter) against quota targets, per " +
    "team (default) or per owner. Returns target, closed-won, probability-weighted open pipeline expected to " +
    "close in the quarter, commit (negotiation stage), forecast = won + weighted, attainment and forecast " +
    "percent of target, and the gap (positive = short). USD cents. Owners are sorted by largest gap first.",
  input: z.object({
    quarter: z
      .string()
      .regex(/^\d{4}-Q[1-4]$/, "use a calendar quarter such as 2026-Q3")
      .optional()
      .describe("calendar quarter, e.g. 2026-Q3"),
    group_by: z.enum(["team", "owner"]).default("team").describe("one row per team (default) or per owner"),
    team: teamSchema.optional().describe("only owners of this team"),
    ...pageInputShape({ defaultLimit: 10, maxLimit: 25 }),
  }),
  output: z.object({
    as_of: z.string(),
    quarter: z.string(),
    reporting_currency: reportingCurrency,
    totals: z.object(figures),
    groups: z.array(row),
    next_cursor: nextCursorSchema,
  }),
  scope: "crm:read",
  budgetTokens: 2400,
  examples: [{}, { group_by: "owner", limit: 5 }, { quarter: "2026-Q3", team: "EMEA" }],
  async handler({ quarter, group_by, team, limit, cursor }, { store, asOf }) {
    const period = resolvePeriod(quarter, asOf, "quarter");
    const filters = { quarter: period.label, group_by, team };
    const offset = decodeCursor(cursor, filters);
    // The quarter's won and open deals from the close-month rollup (three months of a row per
    // stage, owner and currency), whatever the number of deals.
    const closing = closingIn(period, `'closed_won', ${OPEN_STAGE_SQL}`);
    const sums = await store.all<{
      owner_id: string;
      currency: Currency;
      won: number | null;
      weighted_x100: number | null;
      commit_minor: number | null;
    }>(
      `SELECT owner_id, currency,
        SUM(CASE WHEN stage = 'closed_won' THEN amount_minor END) AS won,
        SUM(CASE WHEN stage <> 'closed_won' THEN ${WEIGHTED_X100_SQL} END) AS weighted_x100,
        SUM(CASE WHEN stage = 'negotiation' THEN amount_minor END) AS commit_minor
       FROM (${closing.sql}) d GROUP BY owner_id, currency`,
      closing.params,
    );
    const owners = await store.all<{ owner_id: string; team: string; target: number | null }>(
      `SELECT o.id AS owner_id, o.team, t.target_minor AS target FROM crm_owners o
       LEFT JOIN crm_targets t ON t.owner_id = o.id AND t.period = ? ${team ? "WHERE o.team = ?" : ""} ORDER BY o.id`,
      [period.label, ...(team ? [team] : [])],
    );
    const groupOf = new Map(owners.map((o) => [o.owner_id, group_by === "team" ? o.team : o.owner_id]));
    // Each group's figures convert its own per-currency totals; the totals convert the grand ones.
    const won = new UsdTotals<string>();
    const weighted = new WeightedUsdTotals<string>();
    const commit = new UsdTotals<string>();
    for (const s of sums) {
      const key = groupOf.get(s.owner_id);
      if (key === undefined) continue;
      won.add(key, s.currency, s.won ?? 0);
      weighted.add(key, s.currency, s.weighted_x100 ?? 0);
      commit.add(key, s.currency, s.commit_minor ?? 0);
    }
    const targets = new Map<string, number>();
    for (const o of owners) {
      const key = groupOf.get(o.owner_id) as string;
      targets.set(key, (targets.get(key) ?? 0) + (o.target ?? 0));
    }
    const all = [...targets].map(([key, target]) => ({
      key,
      ...figuresOf(target, won.usd(key), weighted.usd(key), commit.usd(key)),
    }));
    all.sort((a, b) => b.gap_usd_minor - a.gap_usd_minor || a.key.localeCompare(b.key));
    return {
      as_of: asOf,
      quarter: period.label,
      reporting_currency: "USD" as const,
      totals: figuresOf(
        [...targets.values()].reduce((n, t) => n + t, 0),
        won.usdAll(),
        weighted.usdAll(),
        commit.usdAll(),
      ),
      groups: all.slice(offset, offset + limit),
      next_cursor: offset + limit < all.length ? encodeCursor(offset + limit, filters) : null,
    };
  },
});
