import type { Migration } from "../pack/define-pack.js";

/** The row a trigger sees: `NEW` (inserted, or after an update) or `OLD` (deleted, or before). */
export type TriggerRow = "NEW" | "OLD";

/**
 * A group column of the rollup: a source column of the same name, or a rollup column computed
 * from the source row (`{ column: "close_month", of: (r) => \`substr(${r}.close_date, 1, 7)\` }`).
 */
export type RollupKey = string | { column: string; of: (row: TriggerRow) => string };

const keyColumn = (key: RollupKey) => (typeof key === "string" ? key : key.column);
const keyValue = (key: RollupKey, row: TriggerRow) =>
  typeof key === "string" ? `${row}.${key}` : key.of(row);

/**
 * A rollup table kept equal to a GROUP BY over a source table by triggers: per group (`keys`),
 * how many rows belong to it (`count`) and what they add up to (`sums`).
 */
export interface RollupSpec {
  /** The migration's id (unique and ordered within the pack). */
  id: string;
  /** The rollup table. */
  table: string;
  /** The table whose rows it sums. */
  source: string;
  /**
   * Name prefix of the three triggers (`<prefix>_insert`, `_delete`, `_update`, the same on both
   * dialects) and of the Postgres trigger function (`<prefix>_track`).
   */
  triggers: string;
  /**
   * `CREATE TABLE` of the rollup for SQLite: keys then `count` then `sums`, the keys as its primary
   * key, 64-bit `INTEGER` figures, optionally `WITHOUT ROWID` at the end. Postgres gets the same
   * text with `BIGINT` for `INTEGER` and without `WITHOUT ROWID`.
   */
  create: string;
  /** `INSERT … SELECT` that fills the rollup from the rows already there (a store seeded before). */
  fill: string;
  /** Group columns: the rollup's primary key. */
  keys: readonly RollupKey[];
  /** The rollup column that counts a group's rows. */
  count: string;
  /** Rollup column -> what one source row (`NEW` or `OLD`) adds to it, e.g. `(r) => \`${r}.amount_minor\``. */
  sums: Readonly<Record<string, (row: TriggerRow) => string>>;
  /** Whether a source row (`NEW` or `OLD`) belongs to the rollup at all (e.g. is open). */
  when: (row: TriggerRow) => string;
  /**
   * Source columns an update must change for the update trigger to fire: every column that
   * `keys`, `sums` and `when` read. A column left out lets an update drift the rollup.
   */
  watch: readonly string[];
  /**
   * Delete a group once its last row leaves it (readers then see only live groups). Without it a
   * left group stays as a row of zeros, which readers must skip (`count <> 0`).
   */
  prune: boolean;
  /** Statements run after the fill and before the triggers, the same on both dialects (indexes readers need). */
  also?: readonly string[];
  /**
   * The upsert and prune text of a rollup written before this helper: stores that applied its
   * migration hold that exact SQL, so it is given here instead of generated. New rollups leave it out.
   */
  legacy?: {
    upsert?: (row: TriggerRow, sign: "+" | "-") => string;
    prune?: (row: TriggerRow) => string;
  };
}

/**
 * Adds the source row `row` to its group with `sign` when it belongs to the rollup. The conflict
 * target's existing values are qualified with the table: Postgres refuses a bare column there.
 */
export function rollupUpsertSql(spec: RollupSpec, row: TriggerRow, sign: "+" | "-"): string {
  if (spec.legacy?.upsert) return spec.legacy.upsert(row, sign);
  const keys = spec.keys.map(keyColumn);
  const figures = [spec.count, ...Object.keys(spec.sums)];
  const values = [
    ...spec.keys.map((key) => keyValue(key, row)),
    `${sign}1`,
    ...Object.values(spec.sums).map((sum) => `${sign}${sum(row)}`),
  ];
  const add = figures.map((f) => `${f} = ${spec.table}.${f} + excluded.${f}`).join(",\n      ");
  return `INSERT INTO ${spec.table} (${[...keys, ...figures].join(", ")})
    SELECT ${values.join(", ")} WHERE ${spec.when(row)}
    ON CONFLICT (${keys.join(", ")}) DO UPDATE SET ${add}`;
}

/** Deletes the group of `row` (the `OLD` one) once no row is left in it. */
export function rollupPruneSql(spec: RollupSpec, row: TriggerRow): string {
  if (spec.legacy?.prune) return spec.legacy.prune(row);
  const group = spec.keys.map((key) => `${keyColumn(key)} = ${keyValue(key, row)}`).join(" AND ");
  return `DELETE FROM ${spec.table} WHERE ${group} AND ${spec.count} = 0`;
}

function sqliteTriggers(spec: RollupSpec): string[] {
  const add = (row: TriggerRow, sign: "+" | "-") => `${rollupUpsertSql(spec, row, sign)}; `;
  const prune = spec.prune ? `${rollupPruneSql(spec, "OLD")}; ` : "";
  const on = (event: string) => `CREATE TRIGGER ${spec.triggers}_${event.toLowerCase()} AFTER ${event}`;
  return [
    `${on("INSERT")} ON ${spec.source} BEGIN ${add("NEW", "+")}END`,
    `${on("DELETE")} ON ${spec.source}${spec.prune ? "\n    " : " "}BEGIN ${add("OLD", "-")}${prune}END`,
    `${on("UPDATE")} OF ${spec.watch.join(", ")} ON ${spec.source}
    BEGIN ${add("OLD", "-")}${add("NEW", "+")}${prune}END`,
  ];
}

// Postgres: one function for the three triggers. The upsert's row lock serialises concurrent
// writers of one group, so each adds to the latest committed figure.
function postgresTriggers(spec: RollupSpec): string[] {
  const track = `${spec.triggers}_track`;
  const prune = spec.prune
    ? `\n    IF TG_OP IN ('UPDATE', 'DELETE') THEN ${rollupPruneSql(spec, "OLD")}; END IF;`
    : "";
  const trigger = (event: string) =>
    `CREATE TRIGGER ${spec.triggers}_${event.toLowerCase()} AFTER ${event} ON ${spec.source} FOR EACH ROW EXECUTE FUNCTION ${track}()`;
  return [
    `CREATE FUNCTION ${track}() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN ${rollupUpsertSql(spec, "OLD", "-")}; END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN ${rollupUpsertSql(spec, "NEW", "+")}; END IF;${prune}
    RETURN NULL;
  END $$`,
    trigger("INSERT"),
    trigger("DELETE"),
    `CREATE TRIGGER ${spec.triggers}_update AFTER UPDATE OF ${spec.watch.join(", ")} ON ${spec.source}
    FOR EACH ROW EXECUTE FUNCTION ${track}()`,
  ];
}

/**
 * The migration that creates a rollup table, fills it from the rows already there and keeps it
 * current with triggers, on SQLite and Postgres. Triggers run in the writer's own transaction, so
 * every write path (tools, seeding, imports, sync, removals) keeps the rollup equal to the rows,
 * and a rolled-back batch rolls the rollup back with it. Prove it per rollup with
 * `checkRollupMatchesRecomputation` from `@toolpacks/pack-kit/testing`.
 */
export function rollupMigration(spec: RollupSpec): Migration {
  const also = spec.also ?? [];
  return {
    id: spec.id,
    statements: [spec.create, spec.fill, ...also, ...sqliteTriggers(spec)],
    postgres: [
      spec.create.replace(/\bINTEGER\b/g, "BIGINT").replace(/\s+WITHOUT ROWID$/, ""),
      spec.fill,
      ...also,
      ...postgresTriggers(spec),
    ],
  };
}
