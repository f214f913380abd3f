import type { Migration } from "@toolpacks/pack-kit";
import { OPEN_STAGE_SQL } from "./schemas.js";

/**
 * A CRM rollup of `crm_deals` as its Postgres statement-level triggers see it: group columns
 * (name and the SQL computing it from a deal row), whether a row belongs, and the summed amount.
 */
interface StatementRollup {
  table: string;
  /** The prefix of its three triggers (the names rollupMigration gave them, so both dialects agree). */
  triggers: string;
  keys: readonly (readonly [column: string, sql: string])[];
  when: string;
}

const ROLLUPS: readonly StatementRollup[] = [
  {
    table: "crm_pipeline_totals",
    triggers: "crm_pipeline_totals",
    keys: [
      ["stage", "stage"],
      ["owner_id", "owner_id"],
      ["currency", "currency"],
    ],
    when: `stage IN (${OPEN_STAGE_SQL})`,
  },
  {
    table: "crm_deal_months",
    triggers: "crm_deal_months",
    keys: [
      ["stage", "stage"],
      ["close_month", "substr(close_date, 1, 7)"],
      ["owner_id", "owner_id"],
      ["currency", "currency"],
    ],
    when: "true",
  },
];

/**
 * Adds each group's net change in `delta` (rows of keys, `deals`, `amount_minor`) to the rollup,
 * in key order (concurrent writers lock groups in one order), skipping groups that net to zero.
 */
function upsert(r: StatementRollup, delta: string): string {
  const keys = r.keys.map(([column]) => column).join(", ");
  return `INSERT INTO ${r.table} (${keys}, deals, amount_minor)
      SELECT ${keys}, SUM(deals), SUM(amount_minor) FROM (${delta}) AS delta
      GROUP BY ${keys} HAVING SUM(deals) <> 0 OR SUM(amount_minor) <> 0 ORDER BY ${keys}
      ON CONFLICT (${keys}) DO UPDATE SET deals = ${r.table}.deals + excluded.deals,
        amount_minor = ${r.table}.amount_minor + excluded.amount_minor`;
}

/** The rows of transition table `rows` that belong, as a delta of `sign`. */
function rowsAs(r: StatementRollup, rows: string, sign: "+" | "-"): string {
  const keys = r.keys.map(([column, sql]) => `${sql} AS ${column}`).join(", ");
  return `SELECT ${keys}, ${sign}1 AS deals, ${sign}amount_minor AS amount_minor FROM ${rows} WHERE ${r.when}`;
}

/** Deletes the groups the removed rows left empty. */
function prune(r: StatementRollup): string {
  const keys = r.keys.map(([column, sql]) => `${sql} AS ${column}`).join(", ");
  const same = r.keys.map(([column]) => `t.${column} = g.${column}`).join(" AND ");
  return `DELETE FROM ${r.table} t USING (SELECT DISTINCT ${keys} FROM old_rows) g WHERE ${same} AND t.deals = 0`;
}

function postgres(r: StatementRollup): string[] {
  const fn = (op: string, body: string) =>
    `CREATE FUNCTION ${r.triggers}_track_${op}() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    ${body};
    RETURN NULL;
  END $$`;
  const trigger = (op: "insert" | "delete" | "update", tables: string) =>
    `CREATE TRIGGER ${r.triggers}_${op} AFTER ${op.toUpperCase()} ON crm_deals ${tables}
    FOR EACH STATEMENT EXECUTE FUNCTION ${r.triggers}_track_${op}()`;
  return [
    `DROP TRIGGER ${r.triggers}_insert ON crm_deals`,
    `DROP TRIGGER ${r.triggers}_delete ON crm_deals`,
    `DROP TRIGGER ${r.triggers}_update ON crm_deals`,
    `DROP FUNCTION ${r.triggers}_track()`,
    fn("insert", upsert(r, rowsAs(r, "new_rows", "+"))),
    fn("delete", `${upsert(r, rowsAs(r, "old_rows", "-"))};\n    ${prune(r)}`),
    fn(
      "update",
      `${upsert(r, `${rowsAs(r, "old_rows", "-")} UNION ALL ${rowsAs(r, "new_rows", "+")}`)};\n    ${prune(r)}`,
    ),
    trigger("insert", "REFERENCING NEW TABLE AS new_rows"),
    trigger("delete", "REFERENCING OLD TABLE AS old_rows"),
    // Postgres allows no column list with transition tables: every update fires it, and an
    // update that moves no deal between groups nets to zero and writes nothing.
    trigger("update", "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"),
  ];
}

/**
 * Postgres only: the two rollups of `crm_deals` (open pipeline, close months) kept by one trigger
 * call per statement instead of one per row. A row trigger upserts a group once per deal, and a
 * group updated thousands of times in one transaction (an import of 10^5 deals in a handful of
 * groups) leaves a chain of row versions that every later upsert walks: the import slowed with
 * the square of its size. Per statement, each group is written once per multi-row INSERT. SQLite
 * keeps its row triggers (a row update there rewrites in place).
 */
export function statementRollupsMigration(id: string): Migration {
  return { id, statements: [], postgres: ROLLUPS.flatMap(postgres) };
}
