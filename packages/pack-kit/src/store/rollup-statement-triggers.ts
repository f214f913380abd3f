import type { Migration } from "../pack/define-pack.js";
import type { RollupKey, RollupSpec, TriggerRow } from "./rollup-migration.js";

/** What a statement-level rollup needs of its `rollupMigration` spec. */
export type StatementRollupSpec = Pick<
  RollupSpec,
  "table" | "source" | "triggers" | "keys" | "count" | "sums" | "when" | "prune"
>;

const keyColumn = (key: RollupKey) => (typeof key === "string" ? key : key.column);
const keyValue = (key: RollupKey, row: TriggerRow) =>
  typeof key === "string" ? `${row}.${key}` : key.of(row);

// The transition tables are aliased NEW and OLD, so the spec's row expressions (`NEW.amount`)
// read them as they read the row of a row trigger; `#variable_conflict use_column` makes
// PL/pgSQL take those names for the aliases rather than its own NEW and OLD variables.
const TRANSITION: Record<TriggerRow, string> = { NEW: "new_rows", OLD: "old_rows" };

/** The rows of one transition table that belong to the rollup, as a delta of `sign`. */
function delta(spec: StatementRollupSpec, row: TriggerRow, sign: "+" | "-"): string {
  const keys = spec.keys.map((key) => `${keyValue(key, row)} AS ${keyColumn(key)}`);
  const sums = Object.entries(spec.sums).map(([column, sum]) => `${sign}(${sum(row)}) AS ${column}`);
  return `SELECT ${[...keys, `${sign}1 AS ${spec.count}`, ...sums].join(", ")}
        FROM ${TRANSITION[row]} AS ${row} WHERE ${spec.when(row)}`;
}

/**
 * Adds each group's net change to the rollup once, in key order (concurrent writers lock groups
 * in one order, so they cannot deadlock), skipping groups whose change nets to zero.
 */
function upsert(spec: StatementRollupSpec, deltas: string[]): string {
  const keys = spec.keys.map(keyColumn).join(", ");
  const figures = [spec.count, ...Object.keys(spec.sums)];
  return `INSERT INTO ${spec.table} (${keys}, ${figures.join(", ")})
      SELECT ${keys}, ${figures.map((f) => `SUM(${f})`).join(", ")}
      FROM (${deltas.join("\n        UNION ALL ")}) AS delta
      GROUP BY ${keys} HAVING ${figures.map((f) => `SUM(${f}) <> 0`).join(" OR ")} ORDER BY ${keys}
      ON CONFLICT (${keys}) DO UPDATE SET ${figures.map((f) => `${f} = ${spec.table}.${f} + excluded.${f}`).join(", ")}`;
}

/** Deletes the groups the old rows left empty. */
function prune(spec: StatementRollupSpec): string {
  const groups = spec.keys.map((key) => `${keyValue(key, "OLD")} AS ${keyColumn(key)}`).join(", ");
  const same = spec.keys.map((key) => `t.${keyColumn(key)} = g.${keyColumn(key)}`).join(" AND ");
  return `DELETE FROM ${spec.table} t USING (SELECT DISTINCT ${groups} FROM old_rows AS OLD) g
      WHERE ${same} AND t.${spec.count} = 0`;
}

function statementTriggers(spec: StatementRollupSpec): string[] {
  const fn = (op: string, body: string[]) =>
    `CREATE FUNCTION ${spec.triggers}_track_${op}() RETURNS trigger LANGUAGE plpgsql AS $$
  #variable_conflict use_column
  BEGIN
    ${body.join(";\n    ")};
    RETURN NULL;
  END $$`;
  const pruned = spec.prune ? [prune(spec)] : [];
  const trigger = (op: "insert" | "delete" | "update", tables: string) =>
    `CREATE TRIGGER ${spec.triggers}_${op} AFTER ${op.toUpperCase()} ON ${spec.source} ${tables}
    FOR EACH STATEMENT EXECUTE FUNCTION ${spec.triggers}_track_${op}()`;
  return [
    `DROP TRIGGER ${spec.triggers}_insert ON ${spec.source}`,
    `DROP TRIGGER ${spec.triggers}_delete ON ${spec.source}`,
    `DROP TRIGGER ${spec.triggers}_update ON ${spec.source}`,
    `DROP FUNCTION ${spec.triggers}_track()`,
    fn("insert", [upsert(spec, [delta(spec, "NEW", "+")])]),
    fn("delete", [upsert(spec, [delta(spec, "OLD", "-")]), ...pruned]),
    fn("update", [upsert(spec, [delta(spec, "OLD", "-"), delta(spec, "NEW", "+")]), ...pruned]),
    trigger("insert", "REFERENCING NEW TABLE AS new_rows"),
    trigger("delete", "REFERENCING OLD TABLE AS old_rows"),
    // Postgres allows no column list with transition tables: every update fires it, and an
    // update that moves nothing between groups nets to zero and writes nothing.
    trigger("update", "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"),
  ];
}

/**
 * Postgres only: replaces the row triggers `rollupMigration` gave these rollups by one trigger
 * call per statement, generated from the same specs. Use it for a rollup with few groups that
 * bulk writes hit many times in one transaction (an import of 10^5 rows into a handful of
 * status x currency groups): a row trigger upserts a group once per row, each upsert leaves a
 * row version the next one walks, and the transaction slows with the square of its size. Per
 * statement, each group is written once per multi-row INSERT, UPDATE or DELETE. SQLite keeps its
 * row triggers (an update there rewrites the row in place). The rollup's property test
 * (`checkRollupMatchesRecomputation`) should then include multi-row writes.
 */
export function statementRollupTriggersMigration(
  id: string,
  rollups: readonly StatementRollupSpec[],
): Migration {
  return { id, statements: [], postgres: rollups.flatMap(statementTriggers) };
}
