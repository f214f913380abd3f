import { openSqliteStore } from "../node/sqlite-store.js";
import type { PackDefinition } from "../pack/define-pack.js";
import { migratePack } from "../store/migrate.js";
import type { ReadStore, Store } from "../store/types.js";

/** A column as both dialects can describe it. */
export interface ColumnShape {
  name: string;
  /** Storage family: SQLite affinity, or the Postgres type mapped onto it. */
  family: "integer" | "text" | "real" | "blob" | "numeric";
  notNull: boolean;
  primaryKey: boolean;
}

/** What a migrated store holds, comparable across dialects. */
export interface SchemaShape {
  tables: Record<string, ColumnShape[]>;
  /** Indexes created by name (not the ones backing a key), sorted. */
  indexes: string[];
  /** Trigger names, sorted. */
  triggers: string[];
}

function sqliteFamily(type: string): ColumnShape["family"] {
  const t = type.toUpperCase();
  if (t.includes("INT")) return "integer";
  if (/CHAR|CLOB|TEXT/.test(t)) return "text";
  if (t === "" || t.includes("BLOB")) return "blob";
  if (/REAL|FLOA|DOUB/.test(t)) return "real";
  return "numeric";
}

function postgresFamily(type: string): ColumnShape["family"] {
  if (["smallint", "integer", "bigint"].includes(type)) return "integer";
  if (["text", "character varying", "character"].includes(type)) return "text";
  if (["real", "double precision"].includes(type)) return "real";
  if (type === "bytea") return "blob";
  return "numeric";
}

/** Describes the tables, columns, indexes and triggers of a SQLite or Postgres store. */
export async function schemaShape(store: ReadStore): Promise<SchemaShape> {
  const tables: Record<string, ColumnShape[]> = {};
  if (store.dialect === "postgres") {
    const columns = await store.all<{ t: string; c: string; type: string; nullable: string; pk: number }>(
      `SELECT c.table_name AS t, c.column_name AS c, c.data_type AS type, c.is_nullable AS nullable,
         CASE WHEN EXISTS (SELECT 1 FROM information_schema.table_constraints k
           JOIN information_schema.key_column_usage u ON u.constraint_name = k.constraint_name AND u.table_schema = k.table_schema
           WHERE k.constraint_type = 'PRIMARY KEY' AND k.table_schema = c.table_schema AND k.table_name = c.table_name
             AND u.column_name = c.column_name) THEN 1 ELSE 0 END AS pk
       FROM information_schema.columns c WHERE c.table_schema = current_schema() ORDER BY c.table_name, c.ordinal_position`,
    );
    for (const c of columns) {
      tables[c.t] ??= [];
      tables[c.t]!.push({
        name: c.c,
        family: postgresFamily(c.type),
        // Postgres makes key columns NOT NULL; SQLite may not: compare non-key columns only.
        notNull: c.pk === 1 ? true : c.nullable === "NO",
        primaryKey: c.pk === 1,
      });
    }
    const indexes = await store.all<{ name: string }>(
      `SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema()
         AND indexname NOT IN (SELECT conname FROM pg_constraint) ORDER BY indexname`,
    );
    const triggers = await store.all<{ name: string }>(
      "SELECT DISTINCT trigger_name AS name FROM information_schema.triggers WHERE trigger_schema = current_schema() ORDER BY trigger_name",
    );
    return { tables, indexes: indexes.map((i) => i.name), triggers: triggers.map((t) => t.name) };
  }
  const all = await store.all<{ name: string; type: string; sql: string | null }>(
    "SELECT name, type, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND (type IN ('table', 'trigger') OR (type = 'index' AND sql IS NOT NULL)) ORDER BY name",
  );
  // An FTS5 table is SQLite's text index (Postgres builds a GIN index of the same name): it is
  // described as the index it is, and its shadow tables and the triggers that feed it (named
  // `<index>_…`) as part of it.
  const textIndexes = all
    .filter((n) => n.type === "table" && /^CREATE VIRTUAL TABLE\b[\s\S]*\bUSING\s+fts5\b/i.test(n.sql ?? ""))
    .map((n) => n.name);
  const partOfTextIndex = (name: string) => textIndexes.some((index) => name.startsWith(`${index}_`));
  const names = [
    ...all.filter((n) => !textIndexes.includes(n.name) && !partOfTextIndex(n.name)),
    ...textIndexes.map((name) => ({ name, type: "index" })),
  ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const { name } of names.filter((n) => n.type === "table")) {
    const info = await store.all<{ name: string; type: string; notnull: number; pk: number }>(
      `PRAGMA table_info(${name})`,
    );
    tables[name] = info.map((c) => ({
      name: c.name,
      family: sqliteFamily(c.type),
      notNull: c.pk > 0 ? true : c.notnull === 1,
      primaryKey: c.pk > 0,
    }));
  }
  const of = (type: string) => names.filter((n) => n.type === type).map((n) => n.name);
  return { tables, indexes: of("index"), triggers: of("trigger") };
}

/**
 * Migrates `pack` into a fresh SQLite store and into `postgres` (an empty database) and returns
 * both schema shapes, for `expect(sqlite).toEqual(postgres)`: a pack's per-dialect migrations
 * must build the same tables, columns (type family, NOT NULL, primary key), named indexes and
 * triggers.
 */
export async function migratedShapes(
  pack: Pick<PackDefinition, "name" | "migrations" | "dialects">,
  postgres: Store,
): Promise<{ sqlite: SchemaShape; postgres: SchemaShape }> {
  const sqlite = openSqliteStore();
  try {
    await migratePack(sqlite, pack);
    await migratePack(postgres, pack);
    return { sqlite: await schemaShape(sqlite), postgres: await schemaShape(postgres) };
  } finally {
    await sqlite.close();
  }
}
