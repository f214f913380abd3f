import {
  type Migration,
  type ReadStore,
  type RollupSpec,
  rollupMigration,
  type SqlValue,
  sqlFor,
} from "@toolpacks/pack-kit";
import type { Currency } from "@toolpacks/world";
import { OPEN_STAGE_SQL } from "./schemas.js";
import type { Rows } from "./tables.js";

/**
 * The stale-deal cells: open deals per currency, close month, last-activity month and
 * stage-change month, how many and their native amount. stale_deals' three flags compare those
 * three dates with cutoffs the caller picks (`close_date < as_of`, activity before `as_of -
 * inactive_days`, stage change before `as_of - stuck_days`); a cell whose three months lie on one
 * side of their cutoffs has its flags from the months alone, so the counts grow with months
 * (about 9,000 cells at 10^7 world rows), not with open deals (about 220,000). Database triggers
 * keep it in the same transaction as every write of `crm_deals`; a cell whose last deal leaves is
 * deleted.
 */
export const STALE_CELLS_TABLE = "crm_stale_cells";

// The day a deal was last active: its latest activity, else its creation (timestamps compare
// with a day by their first ten characters, so the month is the first seven either way).
const ACTIVITY = "COALESCE(last_activity_at, created_on)";
const activityOf = (r: string) => `COALESCE(${r}.last_activity_at, ${r}.created_on)`;

/** The rollup's definition: its `rollupMigration` spec, less the migration's id. */
export const STALE_CELLS_ROLLUP = {
  table: STALE_CELLS_TABLE,
  source: "crm_deals",
  triggers: "crm_stale_cells",
  create: `CREATE TABLE crm_stale_cells (
  currency TEXT NOT NULL, close_month TEXT NOT NULL, activity_month TEXT NOT NULL, stage_month TEXT NOT NULL,
  deals INTEGER NOT NULL, amount_minor INTEGER NOT NULL,
  PRIMARY KEY (currency, close_month, activity_month, stage_month)) WITHOUT ROWID`,
  fill: `INSERT INTO crm_stale_cells (currency, close_month, activity_month, stage_month, deals, amount_minor)
  SELECT currency, substr(close_date, 1, 7), substr(${ACTIVITY}, 1, 7), substr(stage_changed_on, 1, 7),
    COUNT(*), SUM(amount_minor) FROM crm_deals WHERE stage IN (${OPEN_STAGE_SQL})
  GROUP BY currency, substr(close_date, 1, 7), substr(${ACTIVITY}, 1, 7), substr(stage_changed_on, 1, 7)`,
  keys: [
    "currency",
    { column: "close_month", of: (r) => `substr(${r}.close_date, 1, 7)` },
    { column: "activity_month", of: (r) => `substr(${activityOf(r)}, 1, 7)` },
    { column: "stage_month", of: (r) => `substr(${r}.stage_changed_on, 1, 7)` },
  ],
  count: "deals",
  sums: { amount_minor: (r) => `${r}.amount_minor` },
  when: (r) => `${r}.stage IN (${OPEN_STAGE_SQL})`,
  watch: [
    "stage",
    "currency",
    "amount_minor",
    "close_date",
    "last_activity_at",
    "created_on",
    "stage_changed_on",
  ],
  prune: true,
  // The deals of a cutoff's own month are read one by one, each date through its own covering
  // index: every column the query names is in it (the activity index holds its two columns as
  // well as their COALESCE, and `stage` is there for the WHERE), else Postgres and SQLite visit
  // the table for each deal (measured at 10^7: 29,000 deals 53 -> 22 ms on Postgres).
  also: [
    `CREATE INDEX crm_deals_open_by_close ON crm_deals
      (close_date, last_activity_at, created_on, stage_changed_on, currency, amount_minor, stage) WHERE stage IN (${OPEN_STAGE_SQL})`,
    `CREATE INDEX crm_deals_open_by_activity ON crm_deals
      ((${ACTIVITY}), last_activity_at, created_on, close_date, stage_changed_on, currency, amount_minor, stage) WHERE stage IN (${OPEN_STAGE_SQL})`,
    `CREATE INDEX crm_deals_open_by_stage_change ON crm_deals
      (stage_changed_on, close_date, last_activity_at, created_on, currency, amount_minor, stage) WHERE stage IN (${OPEN_STAGE_SQL})`,
  ],
} satisfies Omit<RollupSpec, "id">;

/** The migration that creates, fills and starts maintaining the cells, on both dialects. */
export function staleCellsMigration(id: string): Migration {
  return rollupMigration({ id, ...STALE_CELLS_ROLLUP });
}

/** The three stale flags of a deal, as bits: close date passed (1), no recent activity (2), stuck (4). */
export type FlagSet = number;
/** Per currency, per flag set (0-7): how many open deals and their native amount. */
export type FlagSums = Map<Currency, { deals: number; amount: number }[]>;

/** The three cutoffs: a flag is set when its date is before its cutoff (a `YYYY-MM-DD` day). */
export interface Cutoffs {
  close: string;
  activity: string;
  stage: string;
}

type Dim = { date: string; month: string; index: string };
const DIMS: Dim[] = [
  { date: "close_date", month: "close_month", index: "crm_deals_open_by_close" },
  { date: ACTIVITY, month: "activity_month", index: "crm_deals_open_by_activity" },
  { date: "stage_changed_on", month: "stage_month", index: "crm_deals_open_by_stage_change" },
];

const nextMonth = (month: string) => {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 7);
};

/**
 * How the cells read one cutoff: months before its month are all flagged, months after it none,
 * and its own month is taken as a whole for one side (`assumed`); the deals of that month on the
 * other side (days `from` <= day < `to`) are the ones the cells get wrong, read one by one. The
 * side with fewer days is read (none when the cutoff is the month's first day).
 */
function split(cutoff: string) {
  const month = cutoff.slice(0, 7);
  const start = `${month}-01`;
  const end = `${nextMonth(month)}-01`;
  const before = Math.round((Date.parse(cutoff) - Date.parse(start)) / 86_400_000);
  const after = Math.round((Date.parse(end) - Date.parse(cutoff)) / 86_400_000);
  if (before === 0) return { month, assumed: 0, from: start, to: start };
  return before <= after
    ? { month, assumed: 0, from: start, to: cutoff }
    : { month, assumed: 1, from: cutoff, to: end };
}

// A flag from a month: before the cutoff's month, or in it when that month is taken as flagged.
const fromMonth = (column: string) => `CASE WHEN ${column} < ? OR ${column} = ? THEN 1 ELSE 0 END`;
const fromDate = (column: string) => `CASE WHEN ${column} < ? THEN 1 ELSE 0 END`;

type CellRow = Pick<Rows["crm_stale_cells"], "currency"> & { currency: Currency } & Record<
    "p" | "q" | "s" | "n" | "a",
    number
  >;
type FixRow = CellRow & Record<"xp" | "xq" | "xs", number>;

/**
 * Per currency and flag set, the open deals and their native amount, exactly: the cells give
 * every deal the flags of its months, then the deals of each cutoff's month on its minority side
 * (read through that date's index, each deal once) move from the set their months gave them to
 * the set their days give them.
 */
export async function staleFlagSums(store: ReadStore, cutoffs: Cutoffs): Promise<FlagSums> {
  const sql = sqlFor(store.dialect);
  const splits = [split(cutoffs.close), split(cutoffs.activity), split(cutoffs.stage)];
  const monthParams = splits.flatMap((s) => [s.month, s.assumed ? s.month : ""]);
  const monthFlags = (col: (d: Dim) => string) =>
    DIMS.map((d, i) => `${fromMonth(col(d))} AS ${"pqs"[i]}`).join(", ");
  const cells = await store.all<CellRow>(
    `SELECT currency, p, q, s, SUM(deals) AS n, SUM(amount_minor) AS a
     FROM (SELECT currency, deals, amount_minor, ${monthFlags((d) => d.month)} FROM crm_stale_cells) c
     GROUP BY currency, p, q, s`,
    monthParams,
  );
  // Deals on the minority side of each cutoff's month; a deal in several is read in the first.
  const inRange = (d: Dim) => `(${d.date} >= ? AND ${d.date} < ?)`;
  const parts: { sql: string; params: SqlValue[] }[] = [];
  DIMS.forEach((d, i) => {
    const s = splits[i]!;
    if (s.from === s.to) return;
    const earlier = DIMS.slice(0, i).filter((_, j) => splits[j]!.from !== splits[j]!.to);
    parts.push({
      sql: `SELECT currency, amount_minor, ${monthFlags((e) => `substr(${e.date}, 1, 7)`)},
          ${DIMS.map((e, j) => `${fromDate(e.date)} AS x${"pqs"[j]}`).join(", ")}
        FROM crm_deals${sql.indexedBy(d.index)}
        WHERE stage IN (${OPEN_STAGE_SQL}) AND ${inRange(d)}${earlier.map((e) => ` AND NOT ${inRange(e)}`).join("")}`,
      params: [
        ...monthParams,
        cutoffs.close,
        cutoffs.activity,
        cutoffs.stage,
        s.from,
        s.to,
        ...earlier.flatMap((e) => {
          const t = splits[DIMS.indexOf(e)]!;
          return [t.from, t.to];
        }),
      ],
    });
  });
  const fixes =
    parts.length === 0
      ? []
      : await store.all<FixRow>(
          `SELECT currency, p, q, s, xp, xq, xs, COUNT(*) AS n, SUM(amount_minor) AS a
           FROM (${parts.map((p) => p.sql).join("\n UNION ALL ")}) f
           GROUP BY currency, p, q, s, xp, xq, xs`,
          parts.flatMap((p) => p.params),
        );
  const sums: FlagSums = new Map();
  const add = (currency: Currency, set: FlagSet, deals: number, amount: number) =>
    addTo(sums, currency, set, deals, amount);
  for (const c of cells) add(c.currency, c.p | (c.q << 1) | (c.s << 2), c.n, c.a);
  for (const f of fixes) {
    add(f.currency, f.p | (f.q << 1) | (f.s << 2), -f.n, -f.a);
    add(f.currency, f.xp | (f.xq << 1) | (f.xs << 2), f.n, f.a);
  }
  return sums;
}

/**
 * The same sums for one owner's open deals, read directly (an owner holds a few thousand open
 * deals, through the owner index), their flags from their days.
 */
export async function ownerFlagSums(store: ReadStore, cutoffs: Cutoffs, ownerId: string): Promise<FlagSums> {
  const rows = await store.all<CellRow>(
    `SELECT currency, p, q, s, COUNT(*) AS n, SUM(amount_minor) AS a
     FROM (SELECT currency, amount_minor, ${DIMS.map((d, i) => `${fromDate(d.date)} AS ${"pqs"[i]}`).join(", ")}
       FROM crm_deals${sqlFor(store.dialect).indexedBy("crm_deals_owner_stage_close")}
       WHERE owner_id = ? AND stage IN (${OPEN_STAGE_SQL})) d
     GROUP BY currency, p, q, s`,
    [cutoffs.close, cutoffs.activity, cutoffs.stage, ownerId],
  );
  const sums: FlagSums = new Map();
  for (const r of rows) addTo(sums, r.currency, r.p | (r.q << 1) | (r.s << 2), r.n, r.a);
  return sums;
}

function addTo(sums: FlagSums, currency: Currency, set: FlagSet, deals: number, amount: number) {
  const sets = sums.get(currency) ?? Array.from({ length: 8 }, () => ({ deals: 0, amount: 0 }));
  sums.set(currency, sets);
  sets[set]!.deals += deals;
  sets[set]!.amount += amount;
}
