import { PackKitError } from "../errors.js";

/**
 * The storage kinds a pack column may have, the ones SQLite and Postgres agree on: `integer`
 * (SQLite INTEGER, Postgres BIGINT/INTEGER), `real` (REAL / DOUBLE PRECISION), `text`.
 */
export type ColumnKind = "integer" | "real" | "text";

/** One declared column: its kind and whether it may hold NULL. Build with `text()` etc. */
export interface ColumnType<K extends ColumnKind = ColumnKind, N extends boolean = boolean> {
  readonly kind: K;
  readonly isNullable: N;
  /** Whether the pack's triggers keep this column from other rows (`kept()`). */
  readonly isKept: boolean;
  /** The same column, allowing NULL (a column without NOT NULL in the DDL). */
  nullable(): ColumnType<K, true>;
  /**
   * The same column, kept by the pack's triggers from other rows (a running count, a figure of
   * a window): an import that names it is refused (`kept_column`), since a value written from
   * outside would stand until the triggers next recount that row.
   */
  kept(): ColumnType<K, N>;
}

function column<K extends ColumnKind, N extends boolean>(
  kind: K,
  isNullable: N,
  isKept = false,
): ColumnType<K, N> {
  return {
    kind,
    isNullable,
    isKept,
    nullable: () => column(kind, true, isKept),
    kept: () => column(kind, isNullable, true),
  };
}

/** A NOT NULL TEXT column (ids, names, ISO dates and timestamps). */
export const text = (): ColumnType<"text", false> => column("text", false);
/** A NOT NULL INTEGER column (SQLite INTEGER, Postgres BIGINT): counts and `*_minor` money. */
export const integer = (): ColumnType<"integer", false> => column("integer", false);
/** A NOT NULL REAL column (SQLite REAL, Postgres DOUBLE PRECISION). */
export const real = (): ColumnType<"real", false> => column("real", false);

/** The columns of one table, by name. */
export type TableColumns = Record<string, ColumnType>;

/** What a column holds once read: the store adapters return integers as JS numbers. */
type ValueOf<C> =
  C extends ColumnType<infer K, infer N>
    ? (K extends "text" ? string : number) | (N extends true ? null : never)
    : never;

/** The row type of one declared table: every column, typed by kind and nullability. */
export type RowOf<T extends TableColumns> = { -readonly [C in keyof T]: ValueOf<T[C]> };

/** Declared tables, as `defineTables` returns them. */
export interface TableDeclarations<D extends Record<string, TableColumns> = Record<string, TableColumns>> {
  /** Every declared table's columns, in DDL order. */
  readonly tables: D;
  /**
   * Migrated tables deliberately left undeclared, each with the reason (e.g. a table no query
   * reads). The conformance check accepts these and no others; the kit's own `_` tables are
   * declared by the kit (`KIT_TABLE_COLUMNS`).
   */
  readonly excluded: Readonly<Record<string, string>>;
}

/** The row type of every declared table: `type Rows = RowsOf<typeof tables>; Rows["crm_deals"]`. */
export type RowsOf<T extends TableDeclarations> = { [N in keyof T["tables"]]: RowOf<T["tables"][N]> };

/**
 * The first of `columns` that `tables` declares `kept()` on `table`, or undefined: what an
 * import or a sync must refuse to write.
 */
export function keptColumnOf(
  tables: TableDeclarations | undefined,
  table: string,
  columns: Iterable<string>,
): string | undefined {
  const declared = tables?.tables[table];
  if (!declared) return undefined;
  for (const column of columns) if (declared[column]?.isKept) return column;
  return undefined;
}

const NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * Declares a pack's tables once, so row types come from one place: `RowsOf<typeof tables>`
 * gives each table's row type, and a query's row is `Pick<Rows["t"], "a" | "b">`. The
 * conformance kit migrates the pack on SQLite and Postgres and fails, naming table and column,
 * when the declaration and the migrated store disagree on a table, a column, its kind or its
 * nullability. Throws `PackKitError` `invalid_table_declaration` on a name that is not a plain
 * lower-case identifier (the kit never quotes names; Postgres folds them to lower case).
 */
export function defineTables<const D extends Record<string, TableColumns>>(
  tables: D,
  options: { excluded?: Record<string, string> } = {},
): TableDeclarations<D> {
  const names = [...Object.keys(tables), ...Object.keys(options.excluded ?? {})];
  for (const [table, columns] of Object.entries(tables)) {
    names.push(...Object.keys(columns).map((c) => `${table}.${c}`));
    if (Object.keys(columns).length === 0) {
      throw new PackKitError("invalid_table_declaration", `Table "${table}" declares no columns.`);
    }
  }
  const bad = names.find((n) => !n.split(".").every((part) => NAME.test(part)));
  if (bad !== undefined) {
    throw new PackKitError(
      "invalid_table_declaration",
      `"${bad}" is not a plain lower-case SQL name ([a-z_][a-z0-9_]*).`,
    );
  }
  const both = Object.keys(options.excluded ?? {}).find((t) => t in tables);
  if (both !== undefined) {
    throw new PackKitError("invalid_table_declaration", `Table "${both}" is both declared and excluded.`);
  }
  return { tables, excluded: { ...options.excluded } };
}
