import type { Migration, SqlDialect, SqlValue } from "@toolpacks/pack-kit";

/**
 * A trigram index of account names, so search_companies' "name contains" finds its matches
 * without reading every account. SQLite: an FTS5 table with the trigram tokenizer over a table
 * of its own (the search's columns of each account under a stable integer key), both kept by
 * triggers in the writer's own transaction (tools, seeding, imports, sync, removals). Postgres:
 * a pg_trgm GIN index on `lower(name)`, which the planner uses for the same `LIKE '%…%'` the
 * tool always ran.
 * The name is the same on both dialects (the conformance kit compares them).
 */
export const NAME_TRIGRAMS = "crm_accounts_name_trigrams";
/**
 * SQLite: the accounts as search_companies reads them (id, the searched name, the filtered and
 * shown columns) under an INTEGER PRIMARY KEY the trigram index is keyed on.
 */
export const NAME_ACCOUNTS = `${NAME_TRIGRAMS}_accounts`;
const COLUMNS = ["id", "name", "segment", "industry", "country", "owner_id"] as const;
const values = (row: "NEW" | "OLD") => COLUMNS.map((c) => `${row}.${c}`).join(", ");

// Why keys of its own and not crm_accounts' rowid (as 0009 had it): crm_accounts has a TEXT
// primary key, so its rowids are not part of the data. VACUUM may renumber them, and a
// .dump/restore, .recover or any copy by INSERT … SELECT does, while the index keeps the old
// numbers and then silently misses matches. An INTEGER PRIMARY KEY is the rowid itself: every
// copy keeps it, and this table and its index travel together. Looking each candidate up in
// crm_accounts by its text id instead cost half as much again (north at 10^7: 7 -> 11 ms); this
// table holds what the search reads, so it reads nothing else (7 ms; 11 MB at 10^7, 3 more for
// its id index).
const SQLITE_KEYED = [
  `CREATE TABLE ${NAME_ACCOUNTS} (key INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
    segment TEXT NOT NULL, industry TEXT NOT NULL, country TEXT NOT NULL, owner_id TEXT NOT NULL)`,
  `INSERT INTO ${NAME_ACCOUNTS} (${COLUMNS.join(", ")}) SELECT ${COLUMNS.join(", ")} FROM crm_accounts`,
  `CREATE VIRTUAL TABLE ${NAME_TRIGRAMS} USING fts5(name, content='${NAME_ACCOUNTS}', content_rowid='key', tokenize='trigram')`,
  `INSERT INTO ${NAME_TRIGRAMS} (${NAME_TRIGRAMS}) VALUES ('rebuild')`,
  `CREATE TRIGGER ${NAME_TRIGRAMS}_insert AFTER INSERT ON crm_accounts BEGIN
    INSERT INTO ${NAME_ACCOUNTS} (${COLUMNS.join(", ")}) VALUES (${values("NEW")});
    INSERT INTO ${NAME_TRIGRAMS} (rowid, name) SELECT key, name FROM ${NAME_ACCOUNTS} WHERE id = NEW.id; END`,
  `CREATE TRIGGER ${NAME_TRIGRAMS}_delete AFTER DELETE ON crm_accounts BEGIN
    INSERT INTO ${NAME_TRIGRAMS} (${NAME_TRIGRAMS}, rowid, name)
      SELECT 'delete', key, name FROM ${NAME_ACCOUNTS} WHERE id = OLD.id;
    DELETE FROM ${NAME_ACCOUNTS} WHERE id = OLD.id; END`,
  // The row keeps its key whatever changes (its id too); its name is indexed again under it.
  `CREATE TRIGGER ${NAME_TRIGRAMS}_update AFTER UPDATE OF ${COLUMNS.join(", ")} ON crm_accounts BEGIN
    INSERT INTO ${NAME_TRIGRAMS} (${NAME_TRIGRAMS}, rowid, name)
      SELECT 'delete', key, name FROM ${NAME_ACCOUNTS} WHERE id = OLD.id;
    UPDATE ${NAME_ACCOUNTS} SET (${COLUMNS.join(", ")}) = (${values("NEW")}) WHERE id = OLD.id;
    INSERT INTO ${NAME_TRIGRAMS} (rowid, name) SELECT key, name FROM ${NAME_ACCOUNTS} WHERE id = NEW.id; END`,
];

// 0009's index, keyed on crm_accounts' rowid. Kept byte for byte: stores applied it.
const SQLITE_ROWID_KEYED = [
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

/** The migration that builds the name index and keeps it current, on both dialects (0009). */
export function nameTrigramsMigration(id: string): Migration {
  return { id, statements: SQLITE_ROWID_KEYED, postgres: POSTGRES };
}

/**
 * The migration that moves SQLite's name index off crm_accounts' rowids onto its own keys,
 * rebuilt from the current names (on a grown store: one pass over the accounts). Postgres'
 * index is on the row's own name and stays as it is.
 */
export function nameKeysMigration(id: string): Migration {
  const drop = [
    ...["insert", "delete", "update"].map((t) => `DROP TRIGGER ${NAME_TRIGRAMS}_${t}`),
    `DROP TABLE ${NAME_TRIGRAMS}`,
  ];
  return { id, statements: [...drop, ...SQLITE_KEYED], postgres: [] };
}

/** Escapes LIKE wildcards so a user's `%` or `_` matches literally. */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Where search_companies reads accounts whose name contains `query` (case-insensitive for ASCII,
 * as SQLite's and Postgres' lower() fold it) or whose id equals it: the table (`from`, with the
 * columns id, name, segment, industry, country, owner_id) and the WHERE condition with its
 * parameters. On SQLite a query of 3 characters or more first narrows to the trigram index's
 * candidates, then checks the same condition (the index folds non-ASCII letters too, so it may
 * offer more, never fewer); shorter queries have no trigram and read every name (as does one
 * holding U+0000). Postgres reads crm_accounts, and its planner takes its index itself.
 */
export function nameMatch(
  dialect: SqlDialect,
  query: string,
): { from: string; sql: string; params: SqlValue[] } {
  const contains = "(lower(name) LIKE lower(?) ESCAPE '\\' OR id = ?)";
  const params: SqlValue[] = [`%${likeEscape(query)}%`, query];
  if (dialect !== "sqlite") return { from: "crm_accounts", sql: contains, params };
  // FTS5 reads its query as a C string: a U+0000 would cut it short, so such a query reads every name.
  if ([...query].length < 3 || query.includes("\u0000"))
    return { from: NAME_ACCOUNTS, sql: contains, params };
  // A quoted FTS5 phrase: the whole query as one string of trigrams, quotes doubled.
  const phrase = `"${query.replaceAll('"', '""')}"`;
  return {
    from: NAME_ACCOUNTS,
    sql: `key IN (SELECT rowid FROM ${NAME_TRIGRAMS} WHERE ${NAME_TRIGRAMS} MATCH ?
      UNION ALL SELECT key FROM ${NAME_ACCOUNTS} WHERE id = ?) AND ${contains}`,
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
