import {
  decodeCursor,
  defineTool,
  encodeCursor,
  nextCursorSchema,
  pageInputShape,
  periodOutput,
  periodSchema,
  resolvePeriod,
} from "@toolpacks/pack-kit";
import type { Currency } from "@toolpacks/world";
import { z } from "zod";
import { closingIn } from "../close-month-rollup.js";
import { UsdTotals } from "../money.js";
import { reportingCurrency, teamSchema, usdMinor } from "../schemas.js";
import type { Rows } from "../tables.js";

const RANK_BY = ["won_amount", "won_deals", "win_rate", "activities"] as const;

// An owner's stored columns, and the counts this query computes.
type OwnerRow = Pick<Rows["crm_owners"], "name" | "team"> & {
  owner_id: Rows["crm_owners"]["id"];
  won_deals: number;
  lost_deals: number;
  activities: number;
};

/** Salespeople ranked by won amount, won deals, win rate or activity in a period. */
export const ownerLeaderboard = defineTool({
  name: "owner_leaderboard",
  title: "Owner leaderboard",
  description:
    "Ranks salespeople (owners) for a period (default: the CRM's current quarter) by won amount (default), " +
    "won deals, win rate or logged activities. Returns per owner: rank, id, name, team, deals won and lost, won " +
    "amount in USD cents, win rate, average won deal, activities. Totals over all owners; next_cursor for more.",
  input: z.object({
    period: periodSchema.optional(),
    rank_by: z.enum(RANK_BY).default("won_amount").describe("ranking metric"),
    team: teamSchema.optional(),
    ...pageInputShape({ defaultLimit: 5, maxLimit: 25 }),
  }),
  output: z.object({
    as_of: z.string(),
    period: periodOutput,
    reporting_currency: reportingCurrency,
    rank_by: z.enum(RANK_BY),
    totals: z.object({
      owners: z.number().int(),
      won_deals: z.number().int(),
      won_usd_minor: usdMinor,
      lost_deals: z.number().int(),
      activities: z.number().int(),
    }),
    owners: z.array(
      z.object({
        rank: z.number().int(),
        owner_id: z.string(),
        name: z.string(),
        team: z.string(),
        won_deals: z.number().int(),
        won_usd_minor: usdMinor,
        lost_deals: z.number().int(),
        win_rate_pct: z.number().int().nullable(),
        avg_won_usd_minor: usdMinor
          .nullable()
          .describe("won_usd_minor / won_deals, rounded to the cent; null without won deals"),
        activities: z.number().int(),
      }),
    ),
    next_cursor: nextCursorSchema,
  }),
  scope: "crm:read",
  budgetTokens: 2400,
  examples: [
    {},
    { rank_by: "win_rate", period: "2026-Q1" },
    { team: "EMEA", rank_by: "activities", limit: 3 },
  ],
  async handler({ period, rank_by, team, limit, cursor }, { store, asOf }) {
    const resolved = resolvePeriod(period, asOf, "quarter");
    const filters = { period: resolved.label, rank_by, team };
    const offset = decodeCursor(cursor, filters);
    const { from, to } = resolved;
    // Won and lost deals from the close-month rollup (a row per stage, month, owner and currency),
    // whatever the number of deals; the period's ragged first and last days from the deals.
    const closing = closingIn(resolved, "'closed_won', 'closed_lost'");
    const rows = await store.all<OwnerRow>(
      `SELECT o.id AS owner_id, o.name, o.team,
        COALESCE(d.won_deals, 0) AS won_deals, COALESCE(d.lost_deals, 0) AS lost_deals,
        COALESCE(a.n, 0) AS activities
       FROM crm_owners o
       LEFT JOIN (SELECT owner_id, SUM(CASE WHEN stage = 'closed_won' THEN deals ELSE 0 END) AS won_deals,
         SUM(CASE WHEN stage = 'closed_lost' THEN deals ELSE 0 END) AS lost_deals
         FROM (${closing.sql}) c GROUP BY owner_id) d
         ON d.owner_id = o.id
       LEFT JOIN (SELECT owner_id, SUM(activities) AS n FROM crm_activity_daily
         WHERE day BETWEEN ? AND ? GROUP BY owner_id) a ON a.owner_id = o.id
       ${team ? "WHERE o.team = ?" : ""}`,
      [...closing.params, from, to, ...(team ? [team] : [])],
    );
    const won = await store.all<{ owner_id: string; currency: Currency; amount: number }>(
      `SELECT owner_id, currency, SUM(amount_minor) AS amount FROM (${closing.sql}) c
       WHERE stage = 'closed_won' GROUP BY owner_id, currency`,
      closing.params,
    );
    // Each owner's won amount converts its own per-currency totals; the total converts the grand ones.
    const listed = new Set(rows.map((r) => r.owner_id));
    const usd = new UsdTotals<string>();
    for (const w of won) if (listed.has(w.owner_id)) usd.add(w.owner_id, w.currency, w.amount);
    const ranked = rows.map((r) => {
      const closed = r.won_deals + r.lost_deals;
      const wonUsd = usd.usd(r.owner_id);
      return {
        owner_id: r.owner_id,
        name: r.name,
        team: r.team,
        won_deals: r.won_deals,
        won_usd_minor: wonUsd,
        lost_deals: r.lost_deals,
        win_rate_pct: closed === 0 ? null : Math.round((100 * r.won_deals) / closed),
        avg_won_usd_minor: r.won_deals === 0 ? null : Math.round(wonUsd / r.won_deals),
        activities: r.activities,
      };
    });
    const metric = (r: (typeof ranked)[number]) =>
      rank_by === "won_amount"
        ? r.won_usd_minor
        : rank_by === "won_deals"
          ? r.won_deals
          : rank_by === "activities"
            ? r.activities
            : (r.win_rate_pct ?? -1);
    ranked.sort(
      (a, b) =>
        metric(b) - metric(a) || b.won_usd_minor - a.won_usd_minor || a.owner_id.localeCompare(b.owner_id),
    );
    const sum = (f: (r: OwnerRow) => number) => rows.reduce((s, r) => s + f(r), 0);
    return {
      as_of: asOf,
      period: resolved,
      reporting_currency: "USD" as const,
      rank_by,
      totals: {
        owners: rows.length,
        won_deals: sum((r) => r.won_deals),
        won_usd_minor: usd.usdAll(),
        lost_deals: sum((r) => r.lost_deals),
        activities: sum((r) => r.activities),
      },
      owners: ranked.slice(offset, offset + limit).map((r, i) => ({ rank: offset + i + 1, ...r })),
      next_cursor: offset + limit < ranked.length ? encodeCursor(offset + limit, filters) : null,
    };
  },
});
