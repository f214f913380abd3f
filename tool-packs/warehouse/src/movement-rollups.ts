import { type Migration, type RollupKey, rollupMigration, type TriggerRow } from "@toolpacks/pack-kit";

// What one movement adds to a group: receipts and positive adjustments are units in, issues and
// negative ones units out, both counted as positive numbers, as movement_summary reports them.
const SUMS = {
  units_in: (r: TriggerRow) => `(CASE WHEN ${r}.quantity > 0 THEN ${r}.quantity ELSE 0 END)`,
  units_out: (r: TriggerRow) => `(CASE WHEN ${r}.quantity < 0 THEN -${r}.quantity ELSE 0 END)`,
  net: (r: TriggerRow) => `${r}.quantity`,
};
const FILL_SUMS = `COUNT(*), SUM(CASE WHEN quantity > 0 THEN quantity ELSE 0 END),
    SUM(CASE WHEN quantity < 0 THEN -quantity ELSE 0 END), SUM(quantity)`;
const FIGURES =
  "movements INTEGER NOT NULL, units_in INTEGER NOT NULL, units_out INTEGER NOT NULL, net INTEGER NOT NULL";

// A timestamp's day and month: occurred_at is ISO 8601 (`2026-06-30T21:57:00Z`), so the window
// `occurred_at >= from AND occurred_at < day after to` is exactly `day BETWEEN from AND to`.
const day: RollupKey = { column: "day", of: (r) => `substr(${r}.occurred_at, 1, 10)` };
const month: RollupKey = { column: "month", of: (r) => `substr(${r}.occurred_at, 1, 7)` };

interface MovementRollup {
  id: string;
  table: string;
  /** Group columns in key order: plain movement columns or `day` / `month`. */
  keys: readonly RollupKey[];
  /** Indexes the readers need. */
  also?: readonly string[];
}

function movementRollup(spec: MovementRollup): Migration {
  const columns = spec.keys.map((k) => (typeof k === "string" ? k : k.column));
  const selected = spec.keys.map((k) => (typeof k === "string" ? k : k.of("NEW").replace("NEW.", "")));
  return rollupMigration({
    id: spec.id,
    table: spec.table,
    source: "wh_movements",
    triggers: spec.table,
    create: `CREATE TABLE ${spec.table} (
  ${columns.map((c) => `${c} TEXT NOT NULL`).join(", ")}, ${FIGURES},
  PRIMARY KEY (${columns.join(", ")})) WITHOUT ROWID`,
    fill: `INSERT INTO ${spec.table} (${columns.join(", ")}, movements, units_in, units_out, net)
  SELECT ${selected.join(", ")}, ${FILL_SUMS} FROM wh_movements GROUP BY ${selected.join(", ")}`,
    keys: spec.keys,
    count: "movements",
    sums: SUMS,
    when: () => "1 = 1",
    watch: ["sku", "location_id", "kind", "quantity", "occurred_at"],
    prune: true,
    ...(spec.also ? { also: spec.also } : {}),
  });
}

/**
 * movement_summary's counts per kind and location: per day, kind and location, the movements and
 * their units in, out and net. A window of N days reads at most N x 4 kinds x locations rows.
 */
export const movementDaysMigration = (id: string) =>
  movementRollup({ id, table: "wh_movement_days", keys: [day, "kind", "location_id"] });

/**
 * movement_summary's SKU ranking: per month and SKU (everywhere, and per location), the same
 * figures, with each month's SKUs in order of units out. The ranking reads the top of each month
 * of its window to bound every SKU's total (movement-ranking.ts), then counts exactly only the
 * SKUs that can still make the page.
 */
export const movementMonthsMigration = (id: string) =>
  movementRollup({
    id,
    table: "wh_movement_months",
    keys: [month, "sku"],
    also: ["CREATE INDEX wh_movement_months_out ON wh_movement_months (month, units_out DESC, sku)"],
  });

/** The same per location. */
export const movementLocationMonthsMigration = (id: string) =>
  movementRollup({
    id,
    table: "wh_movement_location_months",
    keys: [month, "location_id", "sku"],
    also: [
      "CREATE INDEX wh_movement_location_months_out ON wh_movement_location_months (month, location_id, units_out DESC, sku)",
    ],
  });
