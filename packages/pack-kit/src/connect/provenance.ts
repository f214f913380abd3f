import { PackKitError } from "../errors.js";
import type { Migration } from "../pack/define-pack.js";
import type { ReadStore, Statement } from "../store/types.js";

/** The `source_system` of rows and provenance written by a pack's `seed` (the generated world). */
export const WORLD_SYSTEM = "world";

/** Provenance of one table from one source system, as `_provenance` records it. */
export interface TableProvenance {
  pack: string;
  table: string;
  /** `hubspot`, `stripe`, `world` … */
  sourceSystem: string;
  /** What was read: the export files' names, or the world's seed and scale. */
  sourceId: string;
  /** When the last import or sync from this system finished (ISO 8601 UTC). */
  lastImportAt: string;
  /** The date the data is true as of (`YYYY-MM-DD`): the export's date, or the world's. */
  asOf: string;
  /** Rows of the table that came from this system. */
  rows: number;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A migration that puts tables under provenance: each gets `source_system` and `source_id`
 * columns (NULL on rows written before, and on world rows) with a unique index over the pair, so
 * every imported row names the record it came from and re-imports find it again. The kit then
 * records per table which systems filled it, when and as of which date (`_provenance`), and seeds
 * and imports only the tables listed here. Add it once per pack, after the migrations that create
 * the tables; a table added later needs its own `trackProvenance` migration.
 */
export function trackProvenance(id: string, tables: readonly string[]): Migration {
  for (const table of tables) {
    if (!IDENTIFIER.test(table)) {
      throw new PackKitError(
        "invalid_identifier",
        `trackProvenance: ${JSON.stringify(table)} is not a plain SQL table name.`,
      );
    }
  }
  return {
    id,
    tracks: [...tables],
    statements: tables.flatMap((table) => [
      `ALTER TABLE ${table} ADD COLUMN source_system TEXT`,
      `ALTER TABLE ${table} ADD COLUMN source_id TEXT`,
      `CREATE UNIQUE INDEX ${table}_source ON ${table} (source_system, source_id) WHERE source_id IS NOT NULL`,
    ]),
  };
}

/** The tables a pack's migrations put under provenance, in migration order. */
export function trackedTables(pack: { migrations: readonly Migration[] }): string[] {
  return [...new Set(pack.migrations.flatMap((m) => m.tracks ?? []))];
}

/** Every provenance record of `pack` in the store (empty when none, or before the kit tables exist). */
export async function readProvenance(store: ReadStore, pack: string): Promise<TableProvenance[]> {
  try {
    return await store.all<TableProvenance>(
      `SELECT pack, table_name AS "table", source_system AS "sourceSystem", source_id AS "sourceId",
        last_import_at AS "lastImportAt", as_of AS "asOf", rows FROM _provenance WHERE pack = ?
        ORDER BY table_name, source_system`,
      [pack],
    );
  } catch {
    return [];
  }
}

/** True when any table of `pack` holds rows imported from a system other than the world. */
export async function holdsImportedData(store: ReadStore, pack: string): Promise<boolean> {
  return (await readProvenance(store, pack)).some((p) => p.sourceSystem !== WORLD_SYSTEM);
}

/**
 * The date `pack`'s answers are as of, from provenance: the newest `as_of` of its imported data
 * when it holds any, else of its world seed; undefined when the store records neither.
 */
export async function provenanceAsOf(store: ReadStore, pack: string): Promise<string | undefined> {
  const records = await readProvenance(store, pack);
  const imported = records.filter((p) => p.sourceSystem !== WORLD_SYSTEM);
  const pool = imported.length > 0 ? imported : records;
  return pool
    .map((p) => p.asOf)
    .sort()
    .at(-1);
}

/** The statement that records (insert or replace) one table's provenance. */
export function provenanceStatement(record: TableProvenance): Statement {
  return {
    sql: `INSERT INTO _provenance (pack, table_name, source_system, source_id, last_import_at, as_of, rows)
      VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (table_name, source_system) DO UPDATE SET pack = excluded.pack, source_id = excluded.source_id,
        last_import_at = excluded.last_import_at, as_of = excluded.as_of, rows = excluded.rows`,
    params: [
      record.pack,
      record.table,
      record.sourceSystem,
      record.sourceId,
      record.lastImportAt,
      record.asOf,
      record.rows,
    ],
  };
}
