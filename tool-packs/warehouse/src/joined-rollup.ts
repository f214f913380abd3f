/** A trigger event. */
export type TriggerOp = "INSERT" | "UPDATE" | "DELETE";
const OPS = ["INSERT", "UPDATE", "DELETE"] as const;

/** One table a joined rollup is kept from, and what its rows contribute. */
export interface JoinedSource {
  table: string;
  /** Names its triggers (`<prefix>_<name>_insert`…) and Postgres function (`<prefix>_<name>_track`). */
  name: string;
  /** Columns an update must change to fire the update trigger: every column the rollup reads. */
  columns: string;
  /**
   * The rollup's upserts for what the rows of `from` add (`+`) or take away (`-`), where `from`
   * is this table's row (OLD or NEW) joined with the other table (see `sourceRows`).
   */
  contribute: (from: string, sign: "+" | "-") => string[];
  /** A FROM clause of the rows one row of this table (OLD or NEW) stands for, joined. */
  rows: (row: "OLD" | "NEW") => string;
}

/** The statements one event runs: take the OLD rows' part away, add the NEW rows'. */
const track = (source: JoinedSource, op: TriggerOp) => [
  ...(op === "INSERT" ? [] : source.contribute(source.rows("OLD"), "-")),
  ...(op === "DELETE" ? [] : source.contribute(source.rows("NEW"), "+")),
];
const event = (op: TriggerOp, columns: string) => (op === "UPDATE" ? `UPDATE OF ${columns}` : op);

/**
 * The triggers that keep a rollup of two joined tables (a row table and the table each row
 * looks up, such as stock and its item) current on SQLite and Postgres: a write to either table
 * takes away what its old rows contributed and adds what its new rows do, in the writer's own
 * transaction. The kit's `rollupMigration` keeps a rollup of one table; a change of a looked-up
 * row (an item's cost) must also revalue every row joined to it, which this does.
 *
 * `layout` only orders the statements: "by-op" is the order the stock-valuation migration was
 * first applied in (its SQL must stay byte-identical), "by-source" the one later rollups use.
 */
export function joinedRollupTriggers(
  prefix: string,
  sources: readonly JoinedSource[],
  layout: "by-op" | "by-source" = "by-source",
): { sqlite: string[]; postgres: string[] } {
  const sqliteTrigger = (s: JoinedSource, op: TriggerOp) =>
    `CREATE TRIGGER ${prefix}_${s.name}_${op.toLowerCase()} AFTER ${event(op, s.columns)} ON ${s.table}
    BEGIN ${track(s, op).join("; ")}; END`;
  // Postgres: one function per source table for its three triggers (same names as on SQLite). The
  // upserts' row locks serialise concurrent writers of one group, so each adds to the latest
  // committed figure.
  const postgresFunction = (s: JoinedSource) =>
    `CREATE FUNCTION ${prefix}_${s.name}_track() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN ${track(s, "INSERT").join("; ")}; END IF;
    IF TG_OP = 'UPDATE' THEN ${track(s, "UPDATE").join("; ")}; END IF;
    IF TG_OP = 'DELETE' THEN ${track(s, "DELETE").join("; ")}; END IF;
    RETURN NULL;
  END $$`;
  const postgresTrigger = (s: JoinedSource, op: TriggerOp) =>
    `CREATE TRIGGER ${prefix}_${s.name}_${op.toLowerCase()} AFTER ${event(op, s.columns)} ON ${s.table}
      FOR EACH ROW EXECUTE FUNCTION ${prefix}_${s.name}_track()`;
  if (layout === "by-op") {
    return {
      sqlite: OPS.flatMap((op) => sources.map((s) => sqliteTrigger(s, op))),
      postgres: [
        ...sources.map(postgresFunction),
        ...OPS.flatMap((op) => sources.map((s) => postgresTrigger(s, op))),
      ],
    };
  }
  return {
    sqlite: sources.flatMap((s) => OPS.map((op) => sqliteTrigger(s, op))),
    postgres: sources.flatMap((s) => [postgresFunction(s), ...OPS.map((op) => postgresTrigger(s, op))]),
  };
}
