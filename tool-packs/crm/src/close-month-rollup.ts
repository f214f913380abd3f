import {
  type Migration,
  type Period,
  type RollupSpec,
  rollupMigration,
  type SqlValue,
} from "@toolpacks/pack-kit";

/**
 * The close-month rollup: per stage (open, won and lost), close month, owner and currency, how
 * many deals and their native amount. Reads that ask about a close period (pipeline_summary with
 * a period or by close month, forecast_vs_target, owner_leaderboard) add up its months instead
 * of visiting every deal in the period: a month holds at most a row per stage, owner and
 * currency, whatever the number of deals. Database triggers keep it current in the same
 * transaction as every write of `crm_deals`, whoever writes (move_deal_stage, seeding, imports,
 * sync, removals). A group whose last deal leaves is deleted.
 */
export const CLOSE_MONTH_ROLLUP_TABLE = "crm_deal_months";

/** The rollup's definition: its `rollupMigration` spec, less the migration's id. */
export const CLOSE_MONTH_ROLLUP = {
  table: CLOSE_MONTH_ROLLUP_TABLE,
  source: "crm_deals",
  triggers: "crm_deal_months",
  create: `CREATE TABLE crm_deal_months (
  stage TEXT NOT NULL, close_month TEXT NOT NULL, owner_id TEXT NOT NULL, currency TEXT NOT NULL,
  deals INTEGER NOT NULL, amount_minor INTEGER NOT NULL,
  PRIMARY KEY (stage, close_month, owner_id, currency)) WITHOUT ROWID`,
  fill: `INSERT INTO crm_deal_months (stage, close_month, owner_id, currency, deals, amount_minor)
  SELECT stage, substr(close_date, 1, 7), owner_id, currency, COUNT(*), SUM(amount_minor) FROM crm_deals
  GROUP BY stage, substr(close_date, 1, 7), owner_id, currency`,
  keys: [
    "stage",
    { column: "close_month", of: (r) => `substr(${r}.close_date, 1, 7)` },
    "owner_id",
    "currency",
  ],
  count: "deals",
  sums: { amount_minor: (r) => `${r}.amount_minor` },
  when: () => "true",
  watch: ["stage", "close_date", "owner_id", "currency", "amount_minor"],
  prune: true,
} satisfies Omit<RollupSpec, "id">;

/** The migration that creates, fills and starts maintaining the rollup, on both dialects. */
export function closeMonthRollupMigration(id: string): Migration {
  return rollupMigration({ id, ...CLOSE_MONTH_ROLLUP });
}

const DAY = 86_400_000;
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** The first day of the month of `ms`, moved by `months`. */
const monthStart = (ms: number, months = 0) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1);
};

/**
 * The deals of `stages` closing in `period`, as rows of (stage, owner_id, currency, close_month,
 * deals, amount_minor) to group further: whole months come from the rollup, the days before the
 * first and after the last whole month (a range that starts or ends mid-month) from the deals
 * themselves (an index range on stage and close date). `stages` is SQL (quoted stage names).
 */
export function closingIn(period: Period, stages: string): { sql: string; params: SqlValue[] } {
  const from = day(period.from);
  const to = day(period.to);
  // The first whole month starts on or after `from`; the last whole month ends on or before `to`.
  const firstWhole = monthStart(from) === from ? from : monthStart(from, 1);
  const afterLastWhole = monthStart(to, 1) - DAY === to ? monthStart(to, 1) : monthStart(to);
  const deals = (a: number, b: number) => ({
    sql: `SELECT stage, owner_id, currency, substr(close_date, 1, 7) AS close_month, 1 AS deals, amount_minor
      FROM crm_deals WHERE stage IN (${stages}) AND close_date BETWEEN ? AND ?`,
    params: [iso(a), iso(b)],
  });
  if (firstWhole >= afterLastWhole) return deals(from, to);
  const parts = [
    {
      sql: `SELECT stage, owner_id, currency, close_month, deals, amount_minor
        FROM crm_deal_months WHERE stage IN (${stages}) AND close_month BETWEEN ? AND ?`,
      params: [iso(firstWhole).slice(0, 7), iso(afterLastWhole - DAY).slice(0, 7)] as SqlValue[],
    },
  ];
  if (from < firstWhole) parts.push(deals(from, firstWhole - DAY));
  if (to >= afterLastWhole) parts.push(deals(afterLastWhole, to));
  return { sql: parts.map((p) => p.sql).join("\n      UNION ALL "), params: parts.flatMap((p) => p.params) };
}
