import {
  addDays,
  daysBetween,
  decodeCursor,
  defineTool,
  encodeCursor,
  nextCursorSchema,
  pageInputShape,
  sqlFor,
} from "@toolpacks/pack-kit";
import { type Currency, OPEN_STAGES } from "@toolpacks/world";
import { z } from "zod";
import { UsdTotals } from "../money.js";

import { OPEN_STAGE_SQL, ownerIdSchema, reportingCurrency, usdMinor } from "../schemas.js";
import { type FlagSums, ownerFlagSums, staleFlagSums } from "../stale-cells.js";
import type { Rows } from "../tables.js";

const REASONS = ["close_date_passed", "no_recent_activity", "stuck_in_stage"] as const;
type Reason = (typeof REASONS)[number];

// A deal's stored columns (its stage narrowed to the open ones the query selects), and the three
// reason flags this query computes.
type StaleRow = Pick<
  Rows["crm_deals"],
  "id" | "account_id" | "owner_id" | "amount_usd_minor" | "close_date" | "last_activity_at" | "created_on"
> & {
  stage: Rows["crm_deals"]["stage"] & (typeof OPEN_STAGES)[number];
  passed: number;
  quiet: number;
  stuck: number;
};

// Open deals of one currency meeting the asked condition: how many and their native amount
// (deals, a), and of those, how many and how much also meet each reason (p/pa, q/qa, s/sa).
type SumsRow = Pick<Rows["crm_deals"], "currency"> & { currency: Currency } & Record<
    "deals" | "a" | "p" | "pa" | "q" | "qa" | "s" | "sa",
    number
  >;

// The flag bit of each reason (stale-cells.ts: close date passed 1, no activity 2, stuck 4).
const BIT: Record<Reason, number> = { close_date_passed: 1, no_recent_activity: 2, stuck_in_stage: 4 };

/** Per currency, the asked deals (any reason, or the one asked) and how many of them meet each reason. */
function sumsOf(flagSums: FlagSums, reason: Reason | undefined): SumsRow[] {
  const asked = (set: number) => (reason ? (set & BIT[reason]) !== 0 : set !== 0);
  return [...flagSums]
    .sort(([x], [y]) => (x < y ? -1 : 1))
    .map(([currency, sets]) => {
      const row: SumsRow = { currency, deals: 0, a: 0, p: 0, pa: 0, q: 0, qa: 0, s: 0, sa: 0 };
      sets.forEach(({ deals, amount }, set) => {
        if (!asked(set)) return;
        row.deals += deals;
        row.a += amount;
        for (const [bit, n, a] of [
          [1, "p", "pa"],
          [2, "q", "qa"],
          [4, "s", "sa"],
        ] as const) {
          if ((set & bit) === 0) continue;
          row[n] += deals;
          row[a] += amount;
        }
      });
      return row;
    });
}

/** Open deals at risk, each with the reasons it is stale. */
export const staleDeals = defineTool({
  name: "stale_deals",
  title: "Stale deals",
  description:
    "Open deals that need attention as of the CRM's date, each with its reasons: close_date_passed " +
    "(expected close date is before today), no_recent_activity (no activity for `inactive_days`, default " +
    "30) and stuck_in_stage (same stage for `stuck_days`, default 60). Returns counts and USD amounts per " +
    "reason, totals, and the largest stale deals first with ids, USD amount, days since last activity and a cursor.",
  input: z.object({
    inactive_days: z
      .number()
      .int()
      .min(1)
      .max(365)
      .default(30)
      .describe("days without activity that count as stale"),
    stuck_days: z
      .number()
      .int()
      .min(1)
      .max(730)
      .default(60)
      .describe("days in one stage that count as stuck"),
    reason: z.enum(REASONS).optional().describe("only deals stale for this reason"),
    owner_id: ownerIdSchema.optional(),
    ...pageInputShape({ defaultLimit: 5, maxLimit: 25 }),
  }),
  output: z.object({
    as_of: z.string(),
    reporting_currency: reportingCurrency,
    totals: z.object({ deals: z.number().int(), amount_usd_minor: usdMinor }),
    by_reason: z.array(
      z.object({ reason: z.enum(REASONS), deals: z.number().int(), amount_usd_minor: usdMinor }),
    ),
    deals: z.array(
      z.object({
        id: z.string(),
        account_id: z.string(),
        owner_id: z.string(),
        stage: z.enum(OPEN_STAGES),
        amount_usd_minor: usdMinor,
        close_date: z.string(),
        days_since_activity: z.number().int().nullable().describe("null when the deal never had an activity"),
        reasons: z.array(z.enum(REASONS)),
      }),
    ),
    next_cursor: nextCursorSchema,
  }),
  scope: "crm:read",
  budgetTokens: 2400,
  examples: [{}, { reason: "close_date_passed", limit: 3 }, { inactive_days: 14, stuck_days: 30 }],
  async handler({ inactive_days, stuck_days, reason, owner_id, limit, cursor }, { store, asOf }) {
    const filters = { inactive_days, stuck_days, reason, owner_id };
    const offset = decodeCursor(cursor, filters);
    const quietBefore = addDays(asOf, -inactive_days);
    const stuckBefore = addDays(asOf, -stuck_days);
    const passed = "close_date < ?";
    const quiet = "COALESCE(last_activity_at, created_on) < ?";
    const stuck = "stage_changed_on < ?";
    const flagParams = [asOf, quietBefore, stuckBefore];
    const condition = {
      any: [`(${passed} OR ${quiet} OR ${stuck})`, flagParams],
      close_date_passed: [passed, [asOf]],
      no_recent_activity: [quiet, [quietBefore]],
      stuck_in_stage: [stuck, [stuckBefore]],
    } as const satisfies Record<string, readonly [string, readonly string[]]>;
    const [reasonSql, reasonParams] = condition[reason ?? "any"];
    // The figures come from the stale cells plus the deals of each cutoff's own month
    // (stale-cells.ts), or from one owner's open deals; the page reads the partial covering index
    // of open deals by amount and stops after limit + offset rows. SQLite's planner prefers the
    // stage index without ANALYZE statistics, hence INDEXED BY; it is valid because `stage IN (open
    // stages)` matches the index's WHERE. Postgres' planner has statistics and no such hint.
    const sql = sqlFor(store.dialect);
    const openByAmount = sql.indexedBy("crm_deals_open_by_amount");
    const where = `WHERE stage IN (${OPEN_STAGE_SQL}) AND ${reasonSql}${owner_id ? " AND owner_id = ?" : ""}`;
    const whereParams = [...reasonParams, ...(owner_id ? [owner_id] : [])];
    const cutoffs = { close: asOf, activity: quietBefore, stage: stuckBefore };
    const flagSums = owner_id
      ? await ownerFlagSums(store, cutoffs, owner_id)
      : await staleFlagSums(store, cutoffs);
    const sums = sumsOf(flagSums, reason);
    // Each figure converts its own per-currency total once (the rule reporting_currency states).
    const usd = new UsdTotals<"a" | "pa" | "qa" | "sa">();
    for (const row of sums)
      for (const k of ["a", "pa", "qa", "sa"] as const) usd.add(k, row.currency, row[k]);
    const count = (k: "deals" | "p" | "q" | "s") => sums.reduce((n, row) => n + row[k], 0);
    const rows = await store.all<StaleRow>(
      `SELECT id, account_id, owner_id, stage, amount_usd_minor, close_date, last_activity_at, created_on,
        ${passed} AS passed, ${quiet} AS quiet, ${stuck} AS stuck
       FROM crm_deals${openByAmount} ${where} ORDER BY amount_usd_minor DESC, id LIMIT ? OFFSET ?`,
      [...flagParams, ...whereParams, limit + 1, offset],
    );
    const more = rows.length > limit;
    return {
      as_of: asOf,
      reporting_currency: "USD" as const,
      totals: { deals: count("deals"), amount_usd_minor: usd.usd("a") },
      by_reason: [
        { reason: "close_date_passed" as const, deals: count("p"), amount_usd_minor: usd.usd("pa") },
        { reason: "no_recent_activity" as const, deals: count("q"), amount_usd_minor: usd.usd("qa") },
        { reason: "stuck_in_stage" as const, deals: count("s"), amount_usd_minor: usd.usd("sa") },
      ],
      deals: rows.slice(0, limit).map((r) => ({
        id: r.id,
        account_id: r.account_id,
        owner_id: r.owner_id,
        stage: r.stage,
        amount_usd_minor: r.amount_usd_minor,
        close_date: r.close_date,
        days_since_activity: r.last_activity_at === null ? null : daysBetween(r.last_activity_at, asOf),
        reasons: REASONS.filter((_, i) => [r.passed, r.quiet, r.stuck][i] === 1) as Reason[],
      })),
      next_cursor: more ? encodeCursor(offset + limit, filters) : null,
    };
  },
});
