import type { Migration } from "@toolpacks/pack-kit";

/**
 * An ERP rollup whose groups are few (a status and a currency) as its Postgres statement-level
 * triggers see it: group columns, the count column, each summed column with the SQL of what a
 * source row adds to it, whether a row belongs, and whether emptied groups are deleted.
 */
interface StatementRollup {
  table: string;
  source: string;
  /** The prefix of its three triggers (the names rollupMigration gave them, so both dialects agree). */
  triggers: string;
  keys: readonly string[];
  count: string;
  sums: Readonly<Record<string, string>>;
  when: string;
  prune: boolean;
}

const ROLLUPS: readonly StatementRollup[] = [
  {
    table: "erp_open_order_totals",
    source: "erp_sales_orders",
    triggers: "erp_open_totals",
    keys: ["status", "currency"],
    count: "orders",
    sums: { amount_minor: "total_minor" },
    when: "status IN ('draft', 'confirmed')",
    prune: false,
  },
  {
    table: "erp_po_totals",
    source: "erp_purchase_orders",
    triggers: "erp_po_totals",
    keys: ["status", "currency"],
    count: "orders",
    sums: { units: "quantity", value_minor: "quantity * unit_cost_minor" },
    when: "true",
    prune: true,
  },
];

const figures = (r: StatementRollup) => [r.count, ...Object.keys(r.sums)];

/**
 * Adds each group's net change in `delta` (rows of keys and figures) to the rollup, in key order
 * (concurrent writers lock groups in one order), skipping groups whose change nets to zero.
 */
function upsert(r: StatementRollup, delta: string): string {
  const keys = r.keys.join(", ");
  const all = figures(r);
  return `INSERT INTO ${r.table} (${keys}, ${all.join(", ")})
      SELECT ${keys}, ${all.map((f) => `SUM(${f})`).join(", ")} FROM (${delta}) AS delta
      GROUP BY ${keys} HAVING ${all.map((f) => `SUM(${f}) <> 0`).join(" OR ")} ORDER BY ${keys}
      ON CONFLICT (${keys}) DO UPDATE SET ${all.map((f) => `${f} = ${r.table}.${f} + excluded.${f}`).join(", ")}`;
}

/** The rows of transition table `rows` that belong, as a delta of `sign`. */
function rowsAs(r: StatementRollup, rows: string, sign: "+" | "-"): string {
  const sums = Object.entries(r.sums).map(([column, sql]) => `${sign}(${sql}) AS ${column}`);
  return `SELECT ${r.keys.join(", ")}, ${sign}1 AS ${r.count}, ${sums.join(", ")} FROM ${rows} WHERE ${r.when}`;
}

/** Deletes the groups the removed rows left empty. */
function prune(r: StatementRollup): string {
  const same = r.keys.map((k) => `t.${k} = g.${k}`).join(" AND ");
  return `;\n    DELETE FROM ${r.table} t USING (SELECT DISTINCT ${r.keys.join(", ")} FROM old_rows) g WHERE ${same} AND t.${r.count} = 0`;
}

function postgres(r: StatementRollup): string[] {
  const fn = (op: string, body: string) =>
    `CREATE FUNCTION ${r.triggers}_track_${op}() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    ${body};
    RETURN NULL;
  END $$`;
  const trigger = (op: "insert" | "delete" | "update", tables: string) =>
    `CREATE TRIGGER ${r.triggers}_${op} AFTER ${op.toUpperCase()} ON ${r.source} ${tables}
    FOR EACH STATEMENT EXECUTE FUNCTION ${r.triggers}_track_${op}()`;
  const pruned = r.prune ? prune(r) : "";
  return [
    `DROP TRIGGER ${r.triggers}_insert ON ${r.source}`,
    `DROP TRIGGER ${r.triggers}_delete ON ${r.source}`,
    `DROP TRIGGER ${r.triggers}_update ON ${r.source}`,
    `DROP FUNCTION ${r.triggers}_track()`,
    fn("insert", upsert(r, rowsAs(r, "new_rows", "+"))),
    fn("delete", `${upsert(r, rowsAs(r, "old_rows", "-"))}${pruned}`),
    fn(
      "update",
      `${upsert(r, `${rowsAs(r, "old_rows", "-")} UNION ALL ${rowsAs(r, "new_rows", "+")}`)}${pruned}`,
    ),
    trigger("insert", "REFERENCING NEW TABLE AS new_rows"),
    trigger("delete", "REFERENCING OLD TABLE AS old_rows"),
    // Postgres allows no column list with transition tables: every update fires it, and an
    // update that moves nothing between groups nets to zero and writes nothing.
    trigger("update", "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"),
  ];
}

/**
 * Postgres only: the two rollups with a handful of groups (open orders and purchase orders per
 * status and currency) kept by one trigger call per statement instead of one per row. A row
 * trigger upserts a group once per row, and a group updated thousands of times in one
 * transaction (an import or seeding of 10^5 purchase orders into 9 groups) leaves a chain of row
 * versions that every later upsert walks: 20,000 purchase orders took 3.1 s against 0.46 s for
 * 5,000. Per statement, each group is written once per multi-row INSERT. SQLite keeps its row
 * triggers (a row update there rewrites in place). The CRM pack does the same for its deals.
 */
export function statementRollupsMigration(id: string): Migration {
  return { id, statements: [], postgres: ROLLUPS.flatMap(postgres) };
}
