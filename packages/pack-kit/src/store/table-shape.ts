import type { ReadStore } from "./types.js";

/** One column of a table, as both dialects describe it. */
export interface TableColumn {
  name: string;
  /** Declared NOT NULL (Postgres also says so of every primary-key column). */
  notNull: boolean;
  /** The column has a DEFAULT, so an INSERT may leave it out. */
  hasDefault: boolean;
  /** 1-based position in the primary key; 0 when the column is not part of it. */
  keyPosition: number;
}

/** One column of a foreign key: `from` in this table refers to `to` in `table`. */
export interface TableForeignKey {
  from: string;
  table: string;
  /** The referenced column; null when SQLite's `REFERENCES t` names none (then t's primary key). */
  to: string | null;
}

/** What the kit's importers need to know of a table, whichever SQL the store speaks. */
export interface TableShape {
  table: string;
  /** Columns in declaration order. */
  columns: TableColumn[];
  /** Primary-key columns in key order (empty when the table has no primary key). */
  key: string[];
  /** Every foreign-key column, in declaration order. */
  foreignKeys: TableForeignKey[];
}

// Postgres folds unquoted identifiers to lower case; the kit and packs never quote table names.
const pgName = (table: string) => table.toLowerCase();

/**
 * Describes `table` from the store's own catalogue: SQLite's `PRAGMA table_info` and
 * `foreign_key_list`, Postgres' `information_schema` (the current schema only). Returns
 * `undefined` when the table does not exist. The one reader file import, API sync and the
 * removal of rows a newer export lacks share, so they see a table the same way on both stores.
 */
export async function readTableShape(store: ReadStore, table: string): Promise<TableShape | undefined> {
  const shape =
    store.dialect === "postgres" ? await postgresShape(store, table) : await sqliteShape(store, table);
  if (shape.columns.length === 0) return undefined;
  return shape;
}

/** The names of the store's tables (its current schema on Postgres), sorted. */
export async function listTables(store: ReadStore): Promise<string[]> {
  const rows =
    store.dialect === "postgres"
      ? await store.all<{ name: string }>(
          `SELECT table_name AS name FROM information_schema.tables
           WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
        )
      : await store.all<{ name: string }>(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        );
  return rows.map((r) => r.name);
}

async function sqliteShape(store: ReadStore, table: string): Promise<TableShape> {
  // PRAGMA takes no parameters: the name goes in as a quoted identifier.
  const quoted = `"${table.replaceAll('"', '""')}"`;
  const info = await store.all<{ name: string; notnull: number; dflt_value: unknown; pk: number }>(
    `PRAGMA table_info(${quoted})`,
  );
  const listed = await store.all<TableForeignKey & { id: number; seq: number }>(
    `PRAGMA foreign_key_list(${quoted})`,
  );
  const foreignKeys = listed
    .sort((x, y) => x.id - y.id || x.seq - y.seq)
    .map(({ from, table: parent, to }) => ({ from, table: parent, to }));
  const columns = info.map((c) => ({
    name: c.name,
    notNull: c.notnull === 1,
    hasDefault: c.dflt_value !== null,
    keyPosition: c.pk,
  }));
  return { table, columns, key: keyOf(columns), foreignKeys };
}

async function postgresShape(store: ReadStore, table: string): Promise<TableShape> {
  const name = pgName(table);
  const columns = await store.all<{ name: string; nullable: string; dflt: string | null; pk: number }>(
    `SELECT c.column_name AS name, c.is_nullable AS nullable, c.column_default AS dflt,
       COALESCE((SELECT u.ordinal_position FROM information_schema.table_constraints k
         JOIN information_schema.key_column_usage u
           ON u.constraint_schema = k.constraint_schema AND u.constraint_name = k.constraint_name
           AND u.table_name = k.table_name
         WHERE k.constraint_type = 'PRIMARY KEY' AND k.table_schema = c.table_schema
           AND k.table_name = c.table_name AND u.column_name = c.column_name), 0) AS pk
     FROM information_schema.columns c
     WHERE c.table_schema = current_schema() AND c.table_name = ? ORDER BY c.ordinal_position`,
    [name],
  );
  // A foreign key's columns pair with the referenced key's by position_in_unique_constraint.
  const foreignKeys = await store.all<TableForeignKey>(
    `SELECT f.column_name AS "from", r.table_name AS "table", r.column_name AS "to"
     FROM information_schema.referential_constraints rc
     JOIN information_schema.key_column_usage f
       ON f.constraint_schema = rc.constraint_schema AND f.constraint_name = rc.constraint_name
     JOIN information_schema.key_column_usage r
       ON r.constraint_schema = rc.unique_constraint_schema AND r.constraint_name = rc.unique_constraint_name
       AND r.ordinal_position = f.position_in_unique_constraint
     WHERE f.table_schema = current_schema() AND f.table_name = ?
     ORDER BY rc.constraint_name, f.ordinal_position`,
    [name],
  );
  const shaped = columns.map((c) => ({
    name: c.name,
    notNull: c.nullable === "NO",
    hasDefault: c.dflt !== null,
    keyPosition: c.pk,
  }));
  return { table, columns: shaped, key: keyOf(shaped), foreignKeys };
}

function keyOf(columns: readonly TableColumn[]): string[] {
  return columns
    .filter((c) => c.keyPosition > 0)
    .sort((a, b) => a.keyPosition - b.keyPosition)
    .map((c) => c.name);
}
