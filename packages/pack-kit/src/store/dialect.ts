import type { SqlDialect } from "./types.js";

/**
 * The few SQL fragments that differ between SQLite and Postgres. Packs write every query in the
 * portable subset both accept (`?` placeholders, CASE, COALESCE, integer arithmetic, LIMIT/OFFSET,
 * ON CONFLICT … DO UPDATE, text dates compared as text) and take only these from here.
 */
export interface SqlFragments {
  /** The largest of the expressions: SQLite's scalar `MAX(a, b)`, Postgres' `GREATEST(a, b)`. */
  greatest(...expressions: string[]): string;
  /** The smallest of the expressions: scalar `MIN(a, b)` / `LEAST(a, b)`. */
  least(...expressions: string[]): string;
  /**
   * ` INDEXED BY index` after a table name on SQLite (a planner hint where its choice is slow),
   * nothing on Postgres, whose planner has statistics and no such hint.
   */
  indexedBy(index: string): string;
  /**
   * Whole days from `earlier` to `later` (negative when `later` is before it), both ISO
   * `YYYY-MM-DD` text expressions: `julianday` differences on SQLite, date subtraction on Postgres.
   */
  daysBetween(later: string, earlier: string): string;
}

const sqlite: SqlFragments = {
  greatest: (...e) => `MAX(${e.join(", ")})`,
  least: (...e) => `MIN(${e.join(", ")})`,
  indexedBy: (index) => ` INDEXED BY ${index}`,
  daysBetween: (later, earlier) => `CAST(julianday(${later}) - julianday(${earlier}) AS INTEGER)`,
};

const postgres: SqlFragments = {
  greatest: (...e) => `GREATEST(${e.join(", ")})`,
  least: (...e) => `LEAST(${e.join(", ")})`,
  indexedBy: () => "",
  daysBetween: (later, earlier) => `(CAST(${later} AS DATE) - CAST(${earlier} AS DATE))`,
};

/** The fragments of a store's dialect: `sqlFor(store.dialect).greatest("a", "0")`. */
export function sqlFor(dialect: SqlDialect): SqlFragments {
  return dialect === "postgres" ? postgres : sqlite;
}
