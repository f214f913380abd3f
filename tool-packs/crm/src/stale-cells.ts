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

/**
 * What the cells and the day slabs (stale-day-slabs.ts) count of each group: the open deals
 * and their native amount, watching every column of the three dates, the stage, currency and
 * amount; a group whose last deal leaves is deleted.
 */
export const OPEN_DEAL_FIGURES = {
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
} satisfies Pick<RollupSpec, "count" | "sums" | "when" | "watch" | "prune">;

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
  ...OPEN_DEAL_FIGURES,
  // Deals on the minority side of two cutoffs are read one by one, through a date's covering
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

type Dim = { date: string; month: string; index: string; slab: string };
const DIMS: Dim[] = [
  {
    date: "close_date",
    month: "close_month",
    index: "crm_deals_open_by_close",
    slab: "crm_stale_close_days",
  },
  {
    date: ACTIVITY,
    month: "activity_month",
    index: "crm_deals_open_by_activity",
    slab: "crm_stale_activity_days",
  },
  {
    date: "stage_changed_on",
    month: "stage_month",
    index: "crm_deals_open_by_stage_change",
    slab: "crm_stale_stage_days",
  },
];

const nextMonth = (month: string) => {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 7);
};

/**
 * How the cells read one cutoff: months before its month are all flagged, months after it none,
 * and its own month is taken as a whole for one side (`assumed`); the deals of that month on the
 * other side (days `from` <= day < `to`) are the ones the cells get wrong (staleFlagSums). The
 * side with fewer days is corrected (none when the cutoff is the month's first day).
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
type PairRow = Pick<CellRow, "currency" | "n" | "a"> & Record<"k" | "zm" | "zx", number>;

const setOf = (r: Record<"p" | "q" | "s", number>) => r.p | (r.q << 1) | (r.s << 2);

/**
 * Per currency and flag set, the open deals and their native amount, exactly. The cells give
 * every deal the flags of its months (`assumed`). The deals a cutoff's month gets wrong are those
 * on its minority side (`split`); those of one cutoff only have their one flag turned by a day
 * rollup of that date (stale-day-slabs.ts), the few wrong for two or three cutoffs at once are
 * read one by one through a date's covering index and set right from their days.
 */
export async function staleFlagSums(store: ReadStore, cutoffs: Cutoffs): Promise<FlagSums> {
  const sql = sqlFor(store.dialect);
  const splits = [split(cutoffs.close), split(cutoffs.activity), split(cutoffs.stage)];
  const monthParams = splits.flatMap((s) => [s.month, s.assumed ? s.month : ""]);
  const monthFlags = (col: (d: Dim) => string) =>
    DIMS.map((d, i) => `${fromMonth(col(d))} AS ${"pqs"[i]}`).join(", ");
  const sums: FlagSums = new Map();
  const add = (currency: Currency, set: FlagSet, deals: number, amount: number) =>
    addTo(sums, currency, set, deals, amount);
  const cells = await store.all<CellRow>(
    `SELECT currency, p, q, s, SUM(deals) AS n, SUM(amount_minor) AS a
     FROM (SELECT currency, deals, amount_minor, ${monthFlags((d) => d.month)} FROM crm_stale_cells) c
     GROUP BY currency, p, q, s`,
    monthParams,
  );
  for (const c of cells) add(c.currency, setOf(c), c.n, c.a);
  // One cutoff's minority side: its flag turns, the others stay as their months give them.
  const ragged = DIMS.map((_, i) => i).filter((i) => splits[i]!.from !== splits[i]!.to);
  const slabDeals = DIMS.map(() => 0);
  for (const i of ragged) {
    const d = DIMS[i]!;
    const s = splits[i]!;
    const slab = await store.all<CellRow>(
      `SELECT currency, p, q, s, SUM(deals) AS n, SUM(amount_minor) AS a
       FROM (SELECT currency, deals, amount_minor, ${monthFlags((e) => (e === d ? "substr(day, 1, 7)" : e.month))}
         FROM ${d.slab} WHERE day >= ? AND day < ?) c
       GROUP BY currency, p, q, s`,
      [...monthParams, s.from, s.to],
    );
    for (const c of slab) {
      add(c.currency, setOf(c), -c.n, -c.a);
      add(c.currency, setOf(c) ^ (1 << i), c.n, c.a);
      slabDeals[i]! += c.n;
    }
  }
  // Deals on the minority side of two or three cutoffs, each read once (through the index of the
  // date whose side holds fewer deals): their slab turns were each right alone, not together.
  const inRange = (i: number) => `(${DIMS[i]!.date} >= ? AND ${DIMS[i]!.date} < ?)`;
  const rangeParams = (i: number) => [splits[i]!.from, splits[i]!.to];
  // On both minority sides both flags are known (the opposite of their months'); only the third
  // date's flag, from its month (zm) and from its day (zx), is computed per deal.
  const parts: { sql: string; params: SqlValue[]; x: number; y: number; z: number }[] = [];
  ragged.forEach((x, k) => {
    for (const y of ragged.slice(k + 1)) {
      const z = 3 - x - y;
      const [by, other] = slabDeals[x]! <= slabDeals[y]! ? [x, y] : [y, x];
      // Of three pairs, the first reads the deals on all three minority sides, the others leave them out.
      const earlier = ragged.filter((w) => w !== x && w < y);
      const zDim = DIMS[z]!;
      parts.push({
        sql: `SELECT currency, amount_minor, ${parts.length} AS k, ${fromMonth(`substr(${zDim.date}, 1, 7)`)} AS zm,
            ${fromDate(zDim.date)} AS zx
          FROM crm_deals${sql.indexedBy(DIMS[by]!.index)}
          WHERE stage IN (${OPEN_STAGE_SQL}) AND ${inRange(by)} AND ${inRange(other)}${earlier.map((w) => ` AND NOT ${inRange(w)}`).join("")}`,
        params: [
          splits[z]!.month,
          splits[z]!.assumed ? splits[z]!.month : "",
          [cutoffs.close, cutoffs.activity, cutoffs.stage][z]!,
          ...rangeParams(by),
          ...rangeParams(other),
          ...earlier.flatMap(rangeParams),
        ],
        x,
        y,
        z,
      });
    }
  });
  if (parts.length === 0) return sums;
  const fixes = await store.all<PairRow>(
    `SELECT currency, k, zm, zx, COUNT(*) AS n, SUM(amount_minor) AS a
     FROM (${parts.map((p) => p.sql).join("\n UNION ALL ")}) f
     GROUP BY currency, k, zm, zx`,
    parts.flatMap((p) => p.params),
  );
  for (const f of fixes) {
    const { x, y, z } = parts[f.k]!;
    const assumed = (splits[x]!.assumed << x) | (splits[y]!.assumed << y) | (f.zm << z);
    const exact = assumed ^ (1 << x) ^ (1 << y) ^ ((f.zm ^ f.zx) << z);
    add(f.currency, assumed, -f.n, -f.a);
    add(f.currency, exact, f.n, f.a);
    // Undo each slab's lone turn of these deals.
    for (const bit of [1, 2, 4])
      if ((assumed ^ exact) & bit) {
        add(f.currency, assumed ^ bit, -f.n, -f.a);
        add(f.currency, assumed, f.n, f.a);
      }
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
