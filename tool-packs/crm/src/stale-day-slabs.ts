import { type Migration, type RollupSpec, rollupMigration } from "@toolpacks/pack-kit";
import { OPEN_STAGE_SQL } from "./schemas.js";
import { OPEN_DEAL_FIGURES } from "./stale-cells.js";

/**
 * stale_deals' day slabs: for each of its three dates, open deals per currency, that date's day
 * and the other two dates' months. When a cutoff falls inside a month, the stale cells
 * (stale-cells.ts) count that month's deals on one side; the slab of its date gives, day by day,
 * the deals on the other side with their other two flags from their months, so their flag turns
 * without reading them (at 10^7 world rows the last two weeks of June are 4,400 slab rows
 * against 85,000 deals). Kept by triggers like the cells; a group whose last deal leaves is deleted.
 */
const ACTIVITY = (r: string) => `COALESCE(${r}.last_activity_at, ${r}.created_on)`;
const DATES = {
  close: { day: (r: string) => `${r}.close_date`, month: "close_month" },
  activity: { day: (r: string) => `substr(${ACTIVITY(r)}, 1, 10)`, month: "activity_month" },
  stage: { day: (r: string) => `${r}.stage_changed_on`, month: "stage_month" },
} as const;
type DateName = keyof typeof DATES;

/** The slab of `name`: its `rollupMigration` spec, less the migration's id. */
export function daySlabRollup(name: DateName): Omit<RollupSpec, "id"> {
  const table = `crm_stale_${name}_days`;
  const others = (Object.keys(DATES) as DateName[]).filter((n) => n !== name);
  const months = others.map((n) => DATES[n].month);
  const monthOf = (n: DateName, r: string) => `substr(${DATES[n].day(r)}, 1, 7)`;
  // The fill reads crm_deals unaliased: `crm_deals.close_date` names the column as `close_date` does.
  const fillKeys = [DATES[name].day("crm_deals"), ...others.map((n) => monthOf(n, "crm_deals"))];
  return {
    table,
    source: "crm_deals",
    triggers: table,
    create: `CREATE TABLE ${table} (
  day TEXT NOT NULL, currency TEXT NOT NULL, ${months.map((m) => `${m} TEXT NOT NULL`).join(", ")},
  deals INTEGER NOT NULL, amount_minor INTEGER NOT NULL,
  PRIMARY KEY (day, currency, ${months.join(", ")})) WITHOUT ROWID`,
    fill: `INSERT INTO ${table} (day, currency, ${months.join(", ")}, deals, amount_minor)
  SELECT ${fillKeys[0]}, currency, ${fillKeys.slice(1).join(", ")}, COUNT(*), SUM(amount_minor) FROM crm_deals
  WHERE stage IN (${OPEN_STAGE_SQL}) GROUP BY ${fillKeys[0]}, currency, ${fillKeys.slice(1).join(", ")}`,
    // Day first: stale_deals reads a range of days.
    keys: [
      { column: "day", of: (r) => DATES[name].day(r) },
      "currency",
      ...others.map((n) => ({ column: DATES[n].month, of: (r: string) => monthOf(n, r) })),
    ],
    ...OPEN_DEAL_FIGURES,
  };
}

/** The migration that creates, fills and starts maintaining the slab of `name`, on both dialects. */
export function daySlabMigration(id: string, name: DateName): Migration {
  return rollupMigration({ id, ...daySlabRollup(name) });
}
