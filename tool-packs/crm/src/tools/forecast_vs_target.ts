import {
  decodeCursor,
  defineTool,
  encodeCursor,
  nextCursorSchema,
  pageInputShape,
  resolvePeriod,
} from "@toolpacks/pack-kit";
import { z } from "zod";
import { minor, OPEN_STAGE_SQL, reportingCurrency, teamSchema, WEIGHTED_SQL } from "../schemas.js";

const figures = {
  target_minor: minor,
  won_minor: minor.describe("closed-won in the quarter"),
  weighted_pipeline_minor: minor.describe("open deals expected to close in the quarter x stage probability"),
  commit_minor: minor.describe("open deals in negotiation expected to close in the quarter"),
  forecast_minor: minor.describe("won + weighted pipeline"),
  attainment_pct: z.number().int().nullable().describe("won / target; null without a target"),
  forecast_pct: z.number().int().nullable().describe("forecast / target"),
  gap_minor: minor.describe("target - forecast; positive means short of target"),
};
const row = z.object({ key: z.string().describe("team or owner id"), ...figures });
type Figures = { [K in keyof typeof figures]: z.infer<(typeof figures)[K]> };

interface OwnerRow {
  owner_id: string;
  team: string;
  target: number | null;
  won: number | null;
  weighted: number | null;
  commit_minor: number | null;
}

function figuresOf(target: number, won: number, weighted: number, commit: number): Figures {
  const forecast = won + weighted;
  const pct = (x: number) => (target > 0 ? Math.round((100 * x) / target) : null);
  return {
    target_minor: target,
    won_minor: won,
    weighted_pipeline_minor: weighted,
    commit_minor: commit,
    forecast_minor: forecast,
    attainment_pct: pct(won),
    forecast_pct: pct(forecast),
    gap_minor: target - forecast,
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
    currency: reportingCurrency,
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
    // One pass over the quarter's won and open deals (covering index on stage, close_date, owner, amount).
    const sums = await store.all<{
      owner_id: string;
      won: number | null;
      weighted: number | null;
      commit_minor: number | null;
    }>(
      `SELECT owner_id,
        SUM(CASE WHEN stage = 'closed_won' THEN amount_usd_minor END) AS won,
        SUM(CASE WHEN stage <> 'closed_won' THEN ${WEIGHTED_SQL} END) AS weighted,
        SUM(CASE WHEN stage = 'negotiation' THEN amount_usd_minor END) AS commit_minor
       FROM crm_deals WHERE stage IN ('closed_won', ${OPEN_STAGE_SQL}) AND close_date BETWEEN ? AND ? GROUP BY owner_id`,
      [period.from, period.to],
    );
    const owners = await store.all<{ owner_id: string; team: string; target: number | null }>(
      `SELECT o.id AS owner_id, o.team, t.target_minor AS target FROM crm_owners o
       LEFT JOIN crm_targets t ON t.owner_id = o.id AND t.period = ? ${team ? "WHERE o.team = ?" : ""} ORDER BY o.id`,
      [period.label, ...(team ? [team] : [])],
    );
    const byOwner = new Map(sums.map((s) => [s.owner_id, s]));
    const rows: OwnerRow[] = owners.map((o) => ({
      ...o,
      won: null,
      weighted: null,
      commit_minor: null,
      ...byOwner.get(o.owner_id),
    }));
    const groups = new Map<string, { target: number; won: number; weighted: number; commit: number }>();
    for (const r of rows) {
      const key = group_by === "team" ? r.team : r.owner_id;
      const g = groups.get(key) ?? { target: 0, won: 0, weighted: 0, commit: 0 };
      g.target += r.target ?? 0;
      g.won += r.won ?? 0;
      g.weighted += r.weighted ?? 0;
      g.commit += r.commit_minor ?? 0;
      groups.set(key, g);
    }
    const all = [...groups].map(([key, g]) => ({ key, ...figuresOf(g.target, g.won, g.weighted, g.commit) }));
    all.sort((a, b) => b.gap_minor - a.gap_minor || a.key.localeCompare(b.key));
    const sum = (f: (x: { target: number; won: number; weighted: number; commit: number }) => number) =>
      [...groups.values()].reduce((s, g) => s + f(g), 0);
    return {
      as_of: asOf,
      quarter: period.label,
      currency: "USD" as const,
      totals: figuresOf(
        sum((g) => g.target),
        sum((g) => g.won),
        sum((g) => g.weighted),
        sum((g) => g.commit),
      ),
      groups: all.slice(offset, offset + limit),
      next_cursor: offset + limit < all.length ? encodeCursor(offset + limit, filters) : null,
    };
  },
});
