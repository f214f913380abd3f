import type { Migration, SqlDialect, SqlValue } from "@toolpacks/pack-kit";

/**
 * A trigram index of account names, so search_companies' "name contains" finds its matches
 * without reading every account. SQLite: an FTS5 table with the trigram tokenizer over
 * `crm_accounts` (external content: the names are not stored twice), fed by triggers in the
 * writer's own transaction (tools, seeding, imports, sync, removals). Postgres: a pg_trgm GIN
 * index on `lower(name)`, which the planner uses for the same `LIKE '%…%'` the tool always ran.
 * The name is the same on both dialects (the conformance kit compares them).
 */
export const NAME_TRIGRAMS = "crm_accounts_name_trigrams";

// external content keyed on crm_accounts' rowid: SQLite keeps a rowid table's rowids through
// VACUUM and VACUUM INTO (the dry-run copy) when the table has an index, as every keyed one has.
const SQLITE = [
  `CREATE VIRTUAL TABLE ${NAME_TRIGRAMS} USING fts5(name, content='crm_accounts', content_rowid='rowid', tokenize='trigram')`,
  `INSERT INTO ${NAME_TRIGRAMS} (${NAME_TRIGRAMS}) VALUES ('rebuild')`,
  `CREATE TRIGGER ${NAME_TRIGRAMS}_insert AFTER INSERT ON crm_accounts BEGIN
    INSERT INTO ${NAME_TRIGRAMS} (rowid, name) VALUES (NEW.rowid, NEW.name); END`,
  `CREATE TRIGGER ${NAME_TRIGRAMS}_delete AFTER DELETE ON crm_accounts BEGIN
    INSERT INTO ${NAME_TRIGRAMS} (${NAME_TRIGRAMS}, rowid, name) VALUES ('delete', OLD.rowid, OLD.name); END`,
  `CREATE TRIGGER ${NAME_TRIGRAMS}_update AFTER UPDATE OF name ON crm_accounts BEGIN
    INSERT INTO ${NAME_TRIGRAMS} (${NAME_TRIGRAMS}, rowid, name) VALUES ('delete', OLD.rowid, OLD.name);
    INSERT INTO ${NAME_TRIGRAMS} (rowid, name) VALUES (NEW.rowid, NEW.name); END`,
];

// pg_trgm ships with Postgres (contrib) and is a trusted extension (a database owner may create
// it), but a server without contrib or a role without CREATE cannot: the index is then left out
// with a notice and the tool's query, unchanged, reads the table as before (slower, same answer).
const POSTGRES = [
  `DO $$ BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    EXECUTE 'CREATE INDEX ${NAME_TRIGRAMS} ON crm_accounts USING gin (lower(name) gin_trgm_ops)';
  EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'search_companies: no trigram index (%); name search reads every account', SQLERRM;
  END $$`,
];

/** The migration that builds the name index and keeps it current, on both dialects. */
export function nameTrigramsMigration(id: string): Migration {
  return { id, statements: SQLITE, postgres: POSTGRES };
}

/** Escapes LIKE wildcards so a user's `%` or `_` matches literally. */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The WHERE condition of accounts whose name contains `query` (case-insensitive for ASCII, as
 * SQLite's and Postgres' lower() fold it) or whose id equals it, with its parameters. On SQLite
 * a query of 3 characters or more first narrows to the trigram index's candidates, then checks
 * the same condition (the index folds non-ASCII letters too, so it may offer more, never fewer);
 * shorter queries have no trigram and read every name (as does one holding U+0000). Postgres' planner takes its index itself.
 */
export function nameMatch(dialect: SqlDialect, query: string): { sql: string; params: SqlValue[] } {
  const contains = "(lower(name) LIKE lower(?) ESCAPE '\\' OR id = ?)";
  const params: SqlValue[] = [`%${likeEscape(query)}%`, query];
  // FTS5 reads its query as a C string: a U+0000 would cut it short, so such a query reads every name.
  if (dialect !== "sqlite" || [...query].length < 3 || query.includes("\u0000"))
    return { sql: contains, params };
  // A quoted FTS5 phrase: the whole query as one string of trigrams, quotes doubled.
  const phrase = `"${query.replaceAll('"', '""')}"`;
  return {
    sql: `rowid IN (SELECT rowid FROM ${NAME_TRIGRAMS} WHERE ${NAME_TRIGRAMS} MATCH ?
      UNION ALL SELECT rowid FROM crm_accounts WHERE id = ?) AND ${contains}`,
    params: [phrase, query, ...params],
  };
}

/** The ORDER BY key that puts names starting with `query` first, with its parameter. */
export function prefixFirst(query: string): { sql: string; params: SqlValue[] } {
  return {
    sql: "CASE WHEN lower(name) LIKE lower(?) ESCAPE '\\' THEN 0 ELSE 1 END",
    params: [`${likeEscape(query)}%`],
  };
}
