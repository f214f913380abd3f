import { AS_OF_KEY, type Migration, type ReadStore, WORLD_SYSTEM } from "@toolpacks/pack-kit";
import { USAGE_DAYS } from "./reorder-suggestion.js";

/**
 * Each stock row's units issued since the start of the usage window (`wh_stock.issued_window`),
 * kept by triggers so low_stock's suggested-quantity total can be a rollup instead of one lookup
 * of the movements per alert.
 *
 * The window starts USAGE_DAYS - 1 days before the pack's as-of date, and that date changes
 * without any stock or movement write (an import's as-of, the world's date in `_meta`). So the
 * start in force is stored (`wh_usage_window.since`) and every write of `_meta` or `_provenance`
 * moves it to the as-of date those tables now give, adding or taking away only the issues
 * between the old and new start. Movement writes add or take away their own issues; a stock row
 * inserted, or moved to another SKU or location, is counted from the movements.
 *
 * Readers use the kept figures only when the stored start equals the one they compute from the
 * as-of date they answer for (`usageWindowSince`); otherwise (a store that records no as-of date
 * and answers as of today, a date SQL could not read) they count the movements themselves. Either
 * way the answer is the same.
 */
export const USAGE_WINDOW_TABLE = "wh_usage_window";

const PACK = "warehouse";

/** The as-of date getAsOf gives, in SQL: newest imported provenance, else the world's, else `_meta`. */
const asOfSql = (text: (column: string) => string) => `COALESCE(
    (SELECT MAX(${text("as_of")}) FROM _provenance WHERE pack = '${PACK}' AND source_system <> '${WORLD_SYSTEM}'),
    (SELECT MAX(${text("as_of")}) FROM _provenance WHERE pack = '${PACK}'),
    (SELECT value FROM _meta WHERE key = '${AS_OF_KEY}'))`;
// Postgres compares text in the database's collation; the JS reader's max is by code unit.
const SQLITE_AS_OF = asOfSql((c) => c);
const POSTGRES_AS_OF = asOfSql((c) => `${c} COLLATE "C"`);

/** The issues of a stock row's key (`row`: NEW or OLD) since `since`, as a BIGINT count of units. */
const issuedSinceSql = (row: string, since: string) =>
  `COALESCE((SELECT -SUM(m.quantity) FROM wh_movements m
      WHERE m.sku = ${row}.sku AND m.location_id = ${row}.location_id AND m.kind = 'issue' AND m.occurred_at >= ${since}), 0)`;

const STORED_SINCE = `(SELECT since FROM ${USAGE_WINDOW_TABLE} WHERE id = 1)`;

/**
 * Moves every stock row's figure from the window starting at `w.since` to the one starting at
 * `nextStart` (either may be NULL: no window, nothing counted), reading only the issues between the
 * two starts. `distinct` is the dialect's null-safe inequality.
 */
const shiftSql = (
  nextStart: string,
  distinct: string,
  larger: string,
) => `UPDATE wh_stock SET issued_window = wh_stock.issued_window + d.delta
    FROM (SELECT m.sku, m.location_id,
        SUM(-m.quantity * ((CASE WHEN m.occurred_at >= ${nextStart} THEN 1 ELSE 0 END)
          - (CASE WHEN m.occurred_at >= w.since THEN 1 ELSE 0 END))) AS delta
      FROM ${USAGE_WINDOW_TABLE} w JOIN wh_movements m ON m.kind = 'issue'
        AND m.occurred_at >= (CASE WHEN w.since IS NULL THEN ${nextStart}
          WHEN ${nextStart} IS NULL OR w.since < ${nextStart} THEN w.since ELSE ${nextStart} END)
        AND (w.since IS NULL OR ${nextStart} IS NULL OR m.occurred_at < ${larger})
      WHERE w.id = 1 AND w.since ${distinct} ${nextStart}
      GROUP BY m.sku, m.location_id) d
    WHERE wh_stock.sku = d.sku AND wh_stock.location_id = d.location_id AND d.delta <> 0`;

// ---- SQLite: row triggers; the next start is staged in the table so each statement can read it.
const SQLITE_SHIFT = [
  `UPDATE ${USAGE_WINDOW_TABLE} SET next_since = date(substr(${SQLITE_AS_OF}, 1, 10), '-${USAGE_DAYS - 1} days') WHERE id = 1`,
  shiftSql("w.next_since", "IS NOT", "MAX(w.since, w.next_since)"),
  `UPDATE ${USAGE_WINDOW_TABLE} SET since = next_since WHERE id = 1 AND since IS NOT next_since`,
];
const sqliteShiftTrigger = (name: string, event: string, when = "") =>
  `CREATE TRIGGER wh_usage_window_${name} AFTER ${event}${when ? ` WHEN ${when}` : ""}
  BEGIN ${SQLITE_SHIFT.join(";\n  ")}; END`;

/** Adds (`-`: issues carry negative quantities) or takes away (`+`) one movement row's issue. */
const sqliteIssue = (row: "NEW" | "OLD", sign: "+" | "-") =>
  `UPDATE wh_stock SET issued_window = issued_window ${sign} ${row}.quantity
    WHERE sku = ${row}.sku AND location_id = ${row}.location_id
      AND ${row}.kind = 'issue' AND ${row}.occurred_at >= ${STORED_SINCE}`;

/** A stock row counted from the movements of its (new) key; no write when the figure is right. */
const SQLITE_RECOUNT = `UPDATE wh_stock SET issued_window = ${issuedSinceSql("NEW", STORED_SINCE)}
    WHERE sku = NEW.sku AND location_id = NEW.location_id AND issued_window IS NOT ${issuedSinceSql("NEW", STORED_SINCE)}`;

const SQLITE: string[] = [
  "ALTER TABLE wh_stock ADD COLUMN issued_window INTEGER NOT NULL DEFAULT 0",
  `CREATE TABLE ${USAGE_WINDOW_TABLE} (id INTEGER PRIMARY KEY CHECK (id = 1), since TEXT, next_since TEXT)`,
  `INSERT INTO ${USAGE_WINDOW_TABLE} (id, since, next_since) VALUES (1, NULL, NULL)`,
  `CREATE TRIGGER wh_usage_window_issue_insert AFTER INSERT ON wh_movements BEGIN ${sqliteIssue("NEW", "-")}; END`,
  `CREATE TRIGGER wh_usage_window_issue_delete AFTER DELETE ON wh_movements BEGIN ${sqliteIssue("OLD", "+")}; END`,
  `CREATE TRIGGER wh_usage_window_issue_update AFTER UPDATE OF sku, location_id, kind, quantity, occurred_at ON wh_movements
  BEGIN ${sqliteIssue("OLD", "+")}; ${sqliteIssue("NEW", "-")}; END`,
  `CREATE TRIGGER wh_usage_window_stock_insert AFTER INSERT ON wh_stock BEGIN ${SQLITE_RECOUNT}; END`,
  `CREATE TRIGGER wh_usage_window_stock_key AFTER UPDATE OF sku, location_id ON wh_stock BEGIN ${SQLITE_RECOUNT}; END`,
  sqliteShiftTrigger("meta_insert", "INSERT ON _meta", `NEW.key = '${AS_OF_KEY}'`),
  sqliteShiftTrigger(
    "meta_update",
    "UPDATE ON _meta",
    `NEW.key = '${AS_OF_KEY}' OR OLD.key = '${AS_OF_KEY}'`,
  ),
  sqliteShiftTrigger("meta_delete", "DELETE ON _meta", `OLD.key = '${AS_OF_KEY}'`),
  sqliteShiftTrigger("provenance_insert", "INSERT ON _provenance"),
  sqliteShiftTrigger("provenance_update", "UPDATE ON _provenance"),
  sqliteShiftTrigger("provenance_delete", "DELETE ON _provenance"),
  // The store's current window, counted once from the movements already there.
  ...SQLITE_SHIFT,
];

// ---- Postgres: the shift is a function (run by statement triggers on the kit tables and once
// here); movement writes are counted once per statement from the transition tables, so a bulk
// insert of movements updates each stock row once; a stock row's own count is set before it is
// written, so the rollups' triggers see it.
const POSTGRES_NEXT = `to_char(substr(${POSTGRES_AS_OF}, 1, 10)::date - ${USAGE_DAYS - 1}, 'YYYY-MM-DD')`;

/**
 * Postgres runs writers side by side. A writer counting movements against the window's start
 * holds the window row shared until it commits, and a move of the start holds it exclusively:
 * otherwise a movement committed after a move it could not see would be counted against the old
 * start (SQLite writes one transaction at a time). The move takes its lock only when the start
 * changes, so the kit tables' other writes never wait. A movement writer that already holds a
 * stock row the move must update can deadlock with it; Postgres then aborts one of them, and
 * nothing of that one is written (a write tool answers `write_rejected`: try again).
 */
const LOCK_WINDOW = `PERFORM 1 FROM ${USAGE_WINDOW_TABLE} WHERE id = 1`;

/** One statement's movement rows (`rows`: a transition table) added with `sign`, per stock row. */
const postgresIssues = (rows: string, sign: "+" | "-") =>
  `SELECT r.sku, r.location_id, ${sign === "+" ? "" : "-"}SUM(r.quantity) AS delta
        FROM ${rows} r JOIN ${USAGE_WINDOW_TABLE} w ON w.id = 1
        WHERE r.kind = 'issue' AND r.occurred_at >= w.since GROUP BY r.sku, r.location_id`;
const postgresApply = (deltas: string[]) => `UPDATE wh_stock s SET issued_window = s.issued_window + d.delta
      FROM (SELECT sku, location_id, SUM(delta) AS delta FROM (${deltas.join(" UNION ALL ")}) u
        GROUP BY sku, location_id) d
      WHERE s.sku = d.sku AND s.location_id = d.location_id AND d.delta <> 0`;
const postgresIssueFunction = (op: string, deltas: string[]) =>
  `CREATE FUNCTION wh_usage_window_issue_${op}() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    ${LOCK_WINDOW} FOR SHARE;
    ${postgresApply(deltas)};
    RETURN NULL;
  END $$`;
const postgresIssueTrigger = (op: string, tables: string) =>
  `CREATE TRIGGER wh_usage_window_issue_${op} AFTER ${op.toUpperCase()} ON wh_movements ${tables}
    FOR EACH STATEMENT EXECUTE FUNCTION wh_usage_window_issue_${op}()`;

const POSTGRES: string[] = [
  "ALTER TABLE wh_stock ADD COLUMN issued_window BIGINT NOT NULL DEFAULT 0",
  `CREATE TABLE ${USAGE_WINDOW_TABLE} (id BIGINT PRIMARY KEY CHECK (id = 1), since TEXT, next_since TEXT)`,
  `INSERT INTO ${USAGE_WINDOW_TABLE} (id, since, next_since) VALUES (1, NULL, NULL)`,
  // A date the server cannot read gives no window (readers then count themselves), not a failed write.
  `CREATE FUNCTION wh_usage_window_refresh() RETURNS void LANGUAGE plpgsql AS $$
  DECLARE next_start TEXT;
  BEGIN
    BEGIN
      next_start := ${POSTGRES_NEXT};
    EXCEPTION WHEN OTHERS THEN
      next_start := NULL;
    END;
    IF next_start IS NOT DISTINCT FROM ${STORED_SINCE} THEN
      RETURN;
    END IF;
    ${LOCK_WINDOW} FOR UPDATE;
    ${shiftSql("next_start", "IS DISTINCT FROM", "GREATEST(w.since, next_start)")};
    UPDATE ${USAGE_WINDOW_TABLE} SET since = next_start WHERE id = 1 AND since IS DISTINCT FROM next_start;
  END $$`,
  `CREATE FUNCTION wh_usage_window_shift() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM wh_usage_window_refresh();
    RETURN NULL;
  END $$`,
  // The same trigger names as on SQLite, one per event.
  ...["meta", "provenance"].flatMap((kit) =>
    ["insert", "update", "delete"].map(
      (op) => `CREATE TRIGGER wh_usage_window_${kit}_${op} AFTER ${op.toUpperCase()} ON _${kit}
    FOR EACH STATEMENT EXECUTE FUNCTION wh_usage_window_shift()`,
    ),
  ),
  postgresIssueFunction("insert", [postgresIssues("new_rows", "-")]),
  postgresIssueFunction("delete", [postgresIssues("old_rows", "+")]),
  postgresIssueFunction("update", [postgresIssues("old_rows", "+"), postgresIssues("new_rows", "-")]),
  postgresIssueTrigger("insert", "REFERENCING NEW TABLE AS new_rows"),
  postgresIssueTrigger("delete", "REFERENCING OLD TABLE AS old_rows"),
  postgresIssueTrigger("update", "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"),
  `CREATE FUNCTION wh_usage_window_recount() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    ${LOCK_WINDOW} FOR SHARE;
    NEW.issued_window := ${issuedSinceSql("NEW", STORED_SINCE)};
    RETURN NEW;
  END $$`,
  `CREATE TRIGGER wh_usage_window_stock_insert BEFORE INSERT ON wh_stock
    FOR EACH ROW EXECUTE FUNCTION wh_usage_window_recount()`,
  `CREATE TRIGGER wh_usage_window_stock_key BEFORE UPDATE OF sku, location_id ON wh_stock
    FOR EACH ROW EXECUTE FUNCTION wh_usage_window_recount()`,
  "SELECT wh_usage_window_refresh()",
];

/** The migration that adds the kept figure, its window and their triggers, and counts the window once. */
export function usageWindowMigration(id: string): Migration {
  return { id, statements: SQLITE, postgres: POSTGRES };
}

/** The start of the window the store's kept figures count from, or undefined when none is kept. */
export async function usageWindowSince(store: ReadStore): Promise<string | undefined> {
  const row = await store.first<{ since: string | null }>(
    `SELECT since FROM ${USAGE_WINDOW_TABLE} WHERE id = 1`,
  );
  return row?.since ?? undefined;
}
