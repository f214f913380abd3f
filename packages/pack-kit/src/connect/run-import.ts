import { appendAll } from "../collections/append-all.js";
import type { PackDefinition } from "../pack/define-pack.js";
import { maxParamsFor, multiRowInserts } from "../store/insert-rows.js";
import { getMeta } from "../store/meta.js";
import { migratePack } from "../store/migrate.js";
import { readTableShape, type TableColumn, type TableForeignKey } from "../store/table-shape.js";
import { keptColumnOf } from "../store/tables.js";
import type { SqlValue, Statement, Store } from "../store/types.js";
import { completeRows } from "./complete-rows.js";
import { ImportError } from "./errors.js";
import { provenanceStatement, readProvenance, trackedTables } from "./provenance.js";
import { type KeptRow, planRemovals } from "./removals.js";
import type { Connector, DomainRow, PullRequest, RejectedRow, SourceFile } from "./types.js";

/** Options of `runImport`. */
export interface RunImportOptions {
  /** Report what would load and change nothing. */
  dryRun?: boolean;
  /**
   * The date the data is true as of (`YYYY-MM-DD`). Default: the newest `modifiedAt` of the files
   * (an export file is written when it is exported), else today (UTC).
   */
  asOf?: string;
  /** The clock, for `last_import_at`. Default: now. */
  now?: () => Date;
  /** Most changed rows listed per table in the report. Default 20 (the counts are always whole). */
  listChanges?: number;
  /**
   * Remove rows imported earlier from this system that the export no longer holds (it is a full
   * snapshot). Default: the connector's `snapshot`, else true when files are read. Pass false
   * for an export of a filtered view (`--keep-missing`): missing rows are then only reported.
   */
  removeMissing?: boolean;
}

/** One row that an import inserted or changed, for the report. */
export interface RowChange {
  id: string;
  /** Columns whose value changed (empty for an insert). */
  columns: string[];
}

/** What an import did (or, on a dry run, would do) to one table. */
export interface TableImportReport {
  table: string;
  inserted: number;
  updated: number;
  unchanged: number;
  /**
   * Rows imported earlier from this system that this export lacks, removed from the table (or,
   * with `removeMissing: false`, only counted here and left in place).
   */
  removed: number;
  /** The first `listChanges` updated rows with the columns that changed. */
  changes: RowChange[];
  /** The first `listChanges` removed (or, when not removing, missing) row ids. */
  removedIds: string[];
}

/** What an import did, or would do on a dry run. */
export interface ImportReport {
  pack: string;
  format: string;
  system: string;
  dryRun: boolean;
  asOf: string;
  files: string[];
  tables: TableImportReport[];
  inserted: number;
  updated: number;
  unchanged: number;
  /** Rows the export lacks that were removed (see `TableImportReport.removed`). */
  removed: number;
  /** False when missing rows were only reported (`removeMissing: false`). */
  removedMissing: boolean;
  /** Rows the export lacks that stay because a row that stays still refers to them. */
  kept: KeptRow[];
  rejected: number;
  /** Every rejected source record, in file and line order. */
  rejections: RejectedRow[];
}

interface TableShape {
  table: string;
  columns: Map<string, TableColumn>;
  key: string[];
  foreignKeys: TableForeignKey[];
  provenance: boolean;
}

/** Keys looked up per `IN (...)` read: under D1's 100 parameters on SQLite, far more on Postgres. */
const keysPerRead = (store: Store) => Math.max(1, maxParamsFor(store.dialect) - 9);

/**
 * Imports what `connector` pulls into `pack`'s tables, in ONE atomic batch: every accepted row
 * and the provenance records land together or not at all. Rows are matched on the table's primary
 * key (connectors derive it from the source id), so importing the same export again changes
 * nothing and a newer export updates exactly the rows that differ (listed with their columns).
 * A row is rejected (with file, line, column and reason) when the connector could not read it, a
 * required column is blank, it refers to a row that is neither stored nor imported, or its id
 * repeats; rejections never stop the other rows.
 * Throws `ImportError` `store_holds_world` when the store holds the generated world (imports go
 * into their own store), and `not_tracked` when a connector writes a table without provenance.
 */
export async function runImport(
  store: Store,
  pack: PackDefinition,
  connector: Connector,
  files: readonly SourceFile[],
  mapping: PullRequest["mapping"],
  options: RunImportOptions = {},
): Promise<ImportReport> {
  await migratePack(store, pack);
  const seeded = await getMeta(store, `seeded.${pack.name}`);
  if (seeded !== undefined) {
    throw new ImportError(
      "store_holds_world",
      `This store holds the generated ${pack.name} world (${seeded}); imported data is never mixed into it. Import into a new --db file.`,
    );
  }
  const tracked = trackedTables(pack);
  const previous = (await readProvenance(store, pack.name)).filter(
    (p) => p.sourceSystem === connector.system,
  );
  const since = previous.map((p) => p.lastImportAt).sort()[0];
  const rows: DomainRow[] = [];
  const rejections: RejectedRow[] = [];
  for await (const batch of connector.pull({ files, since, mapping })) {
    appendAll(rows, batch.rows);
    appendAll(rejections, batch.rejected);
  }
  const byTable = new Map<string, DomainRow[]>();
  for (const row of rows) {
    if (!tracked.includes(row.table)) {
      throw new ImportError(
        "not_tracked",
        `Connector "${connector.name}" wrote table ${JSON.stringify(row.table)}, which pack "${pack.name}" does not track; tracked tables: ${tracked.join(", ")}.`,
      );
    }
    const kept = keptColumnOf(pack.tables, row.table, Object.keys(row.values));
    if (kept !== undefined) {
      throw new ImportError(
        "kept_column",
        `Connector "${connector.name}" wrote ${row.table}.${kept}, which pack "${pack.name}" keeps from other rows; an import cannot set it. Leave it out of the mapping.`,
      );
    }
    const list = byTable.get(row.table);
    if (list) list.push(row);
    else byTable.set(row.table, [row]);
  }
  const shapes = new Map<string, TableShape>();
  for (const table of byTable.keys()) shapes.set(table, await tableShape(store, table));
  const order = parentsFirst([...shapes.values()]);
  const accepted = new Map<string, Set<string>>();
  const statements: Statement[] = [];
  const reports: TableImportReport[] = [];
  const present = new Map<string, Set<string>>();
  const covered: TableShape[] = [];
  const listChanges = options.listChanges ?? 20;
  for (const shape of order) {
    const tableRows = completeRows(pack, byTable.get(shape.table) ?? [], rejections);
    const report: TableImportReport = {
      table: shape.table,
      inserted: 0,
      updated: 0,
      unchanged: 0,
      removed: 0,
      changes: [],
      removedIds: [],
    };
    const unique = dedupe(shape, tableRows, rejections);
    // Rows the runner rejects below still count as present: a bad cell is not a deletion.
    present.set(shape.table, new Set(unique.keys()));
    if (shape.provenance && tableRows.some((r) => !r.stub)) covered.push(shape);
    const existing = await loadExisting(store, shape, [...unique.keys()]);
    const keys = new Set<string>();
    accepted.set(shape.table, keys);
    const missingParents = await findMissingParents(store, shape, [...unique.values()], accepted);
    const inserts = new InsertGroups(shape.table);
    for (const [key, row] of unique) {
      const before = existing.get(key);
      const problem = rowProblem(shape, row, before, missingParents);
      if (problem) {
        if (!row.stub) rejections.push({ ...row.origin, ...problem });
        continue;
      }
      keys.add(key);
      const values = withProvenance(shape, row, connector.system);
      if (!before) {
        inserts.add(values);
        report.inserted++;
        continue;
      }
      if (row.stub) {
        report.unchanged++;
        continue;
      }
      // Derived columns are the pack's to recompute (afterImport): never a change from the export.
      const changed = Object.keys(values).filter(
        (c) => !row.derived?.includes(c) && !sameValue(before[c], values[c]),
      );
      if (changed.length === 0) {
        report.unchanged++;
        continue;
      }
      statements.push({
        sql: `UPDATE ${shape.table} SET ${changed.map((c) => `${c} = ?`).join(", ")} WHERE ${shape.key.map((k) => `${k} = ?`).join(" AND ")}`,
        params: [...changed.map((c) => values[c] ?? null), ...shape.key.map((k) => before[k] ?? null)],
      });
      report.updated++;
      if (report.changes.length < listChanges)
        report.changes.push({ id: key, columns: changed.filter((c) => !c.startsWith("source_")) });
    }
    // New rows of a table touch no row its updates do, so they may follow them: grouped into
    // multi-row INSERTs, one round trip per statement instead of one per row on Postgres.
    appendAll(statements, inserts.statements(maxParamsFor(store.dialect)));
    reports.push(report);
  }
  const removeMissing = options.removeMissing ?? connector.snapshot ?? files.length > 0;
  // Only a full snapshot says what is gone; a pull of changes since the last sync never does.
  const plan =
    (connector.snapshot ?? files.length > 0)
      ? await planRemovals(
          store,
          connector.system,
          covered.map((s) => ({ table: s.table, key: s.key })),
          present,
          tracked,
        )
      : { removed: new Map<string, string[]>(), kept: [], statements: [] };
  for (const report of reports) {
    const ids = plan.removed.get(report.table) ?? [];
    report.removed = ids.length;
    report.removedIds = ids.slice(0, listChanges).map((k) => k.replaceAll("\u0000", "/"));
  }
  if (removeMissing) appendAll(statements, plan.statements);
  const asOf = options.asOf ?? defaultAsOf(files);
  const now = (options.now ?? (() => new Date()))().toISOString();
  const sourceId = files.map((f) => f.name.split(/[\\/]/).at(-1)).join(", ") || connector.system;
  for (const report of reports) {
    const shape = shapes.get(report.table) as TableShape;
    const before = previous.find((p) => p.table === report.table)?.rows ?? 0;
    const gone = removeMissing ? report.removed : 0;
    const rowsFromSystem = shape.provenance
      ? (await countFromSystem(store, report.table, connector.system)) + report.inserted - gone
      : before + report.inserted;
    statements.push(
      provenanceStatement({
        pack: pack.name,
        table: report.table,
        sourceSystem: connector.system,
        sourceId,
        lastImportAt: now,
        asOf,
        rows: rowsFromSystem,
      }),
    );
  }
  const dryRun = options.dryRun ?? false;
  // Derived tables are recomputed from the rows in the same batch, so they never disagree.
  if (statements.length > 0) appendAll(statements, pack.afterImport?.() ?? []);
  if (!dryRun && statements.length > 0) await store.batch(statements);
  rejections.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  const sum = (k: "inserted" | "updated" | "unchanged" | "removed") => reports.reduce((n, r) => n + r[k], 0);
  return {
    pack: pack.name,
    format: connector.name,
    system: connector.system,
    dryRun,
    asOf,
    files: files.map((f) => f.name),
    tables: reports,
    inserted: sum("inserted"),
    updated: sum("updated"),
    unchanged: sum("unchanged"),
    removed: sum("removed"),
    removedMissing: removeMissing,
    kept: plan.kept,
    rejected: rejections.length,
    rejections,
  };
}

/** One line per table and per rejection, for the CLI. */
export function formatImportReport(report: ImportReport, maxRejections = 50): string {
  const lines = [
    `${report.dryRun ? "dry run (nothing written): would import" : "imported"} ${report.format} into ${report.pack}, as of ${report.asOf}: ${report.inserted} inserted, ${report.updated} updated, ${report.unchanged} unchanged, ${report.removed > 0 ? `${report.removed} ${removedWord(report)}, ` : ""}${report.rejected} rejected`,
  ];
  for (const t of report.tables) {
    lines.push(
      `  ${t.table}: ${t.inserted} inserted, ${t.updated} updated, ${t.unchanged} unchanged${t.removed > 0 ? `, ${t.removed} ${removedWord(report)}` : ""}`,
    );
    for (const c of t.changes) lines.push(`    changed ${c.id}: ${c.columns.join(", ")}`);
    for (const id of t.removedIds) lines.push(`    ${removedWord(report)} ${id}: not in this export`);
  }
  for (const k of report.kept.slice(0, maxRejections)) {
    lines.push(`  kept ${k.table} ${k.id} (not in this export): ${k.reason}`);
  }
  for (const r of report.rejections.slice(0, maxRejections)) {
    lines.push(`  rejected ${r.file}:${r.line}${r.column ? ` column "${r.column}"` : ""}: ${r.reason}`);
  }
  if (report.rejections.length > maxRejections) {
    lines.push(`  … and ${report.rejections.length - maxRejections} more rejected rows`);
  }
  return `${lines.join("\n")}\n`;
}

/** "removed", or "missing (kept)" when the import was told to keep rows the export lacks. */
function removedWord(report: ImportReport): string {
  if (!report.removedMissing) return "missing (kept: --keep-missing)";
  return report.dryRun ? "would be removed" : "removed";
}

function defaultAsOf(files: readonly SourceFile[]): string {
  const newest = files
    .map((f) => f.modifiedAt)
    .filter((m): m is string => m !== undefined)
    .sort()
    .at(-1);
  return (newest ?? new Date().toISOString()).slice(0, 10);
}

async function tableShape(store: Store, table: string): Promise<TableShape> {
  const shape = await readTableShape(store, table);
  if (!shape) throw new ImportError("not_tracked", `Table ${table} does not exist in this store.`);
  return {
    table,
    columns: new Map(shape.columns.map((c) => [c.name, c])),
    key: shape.key,
    foreignKeys: shape.foreignKeys,
    provenance: shape.columns.some((c) => c.name === "source_id"),
  };
}

function parentsFirst(shapes: TableShape[]): TableShape[] {
  const names = new Set(shapes.map((s) => s.table));
  const done = new Set<string>();
  const out: TableShape[] = [];
  const visit = (shape: TableShape, path: Set<string>) => {
    if (done.has(shape.table) || path.has(shape.table)) return;
    path.add(shape.table);
    for (const fk of shape.foreignKeys) {
      const parent = shapes.find((s) => s.table === fk.table);
      if (parent && names.has(fk.table) && fk.table !== shape.table) visit(parent, path);
    }
    done.add(shape.table);
    out.push(shape);
  };
  for (const shape of shapes) visit(shape, new Set());
  return out;
}

/**
 * A table's new rows, grouped by the columns they set (rows of one connector usually share one
 * list), each group kept in arrival order.
 */
class InsertGroups {
  readonly #table: string;
  readonly #groups = new Map<string, { columns: string[]; rows: SqlValue[][] }>();

  constructor(table: string) {
    this.#table = table;
  }

  add(values: Record<string, SqlValue>): void {
    const columns = Object.keys(values);
    const key = columns.join(",");
    let group = this.#groups.get(key);
    if (!group) {
      group = { columns, rows: [] };
      this.#groups.set(key, group);
    }
    group.rows.push(columns.map((c) => values[c] ?? null));
  }

  statements(maxParams: number): Statement[] {
    const out: Statement[] = [];
    for (const { columns, rows } of this.#groups.values())
      appendAll(out, multiRowInserts(this.#table, columns, rows, maxParams));
    return out;
  }
}

function keyOf(shape: TableShape, values: Record<string, SqlValue>): string {
  return shape.key.map((k) => String(values[k] ?? "")).join("\u0000");
}

function dedupe(shape: TableShape, rows: DomainRow[], rejections: RejectedRow[]): Map<string, DomainRow> {
  const unique = new Map<string, DomainRow>();
  const keyBySource = new Map<string, string>();
  for (const row of rows) {
    for (const column of Object.keys(row.values)) {
      if (!shape.columns.has(column)) {
        throw new ImportError(
          "unknown_column",
          `Table ${shape.table} has no column ${JSON.stringify(column)}; its columns: ${[...shape.columns.keys()].join(", ")}.`,
        );
      }
    }
    const key = keyOf(shape, row.values);
    const other = keyBySource.get(row.sourceId);
    if (other !== undefined && other !== key) {
      rejections.push({
        ...row.origin,
        reason: `source id ${row.sourceId} already names another ${shape.table} row in this import.`,
      });
      continue;
    }
    keyBySource.set(row.sourceId, key);
    const first = unique.get(key);
    if (!first) {
      unique.set(key, row);
    } else if (first.stub && !row.stub) {
      unique.set(key, row);
    } else if (!row.stub) {
      rejections.push({
        ...row.origin,
        reason: `source id ${row.sourceId} appears again (first at ${first.origin.file}:${first.origin.line}); each record may appear once per import.`,
      });
    }
  }
  return unique;
}

async function loadExisting(
  store: Store,
  shape: TableShape,
  keys: string[],
): Promise<Map<string, Record<string, SqlValue>>> {
  const found = new Map<string, Record<string, SqlValue>>();
  if (shape.key.length !== 1) {
    for (const key of keys) {
      const parts = key.split("\u0000");
      const row = await store.first<Record<string, SqlValue>>(
        `SELECT * FROM ${shape.table} WHERE ${shape.key.map((k) => `${k} = ?`).join(" AND ")}`,
        parts,
      );
      if (row) found.set(key, row);
    }
    return found;
  }
  const [column] = shape.key;
  const perRead = keysPerRead(store);
  for (let i = 0; i < keys.length; i += perRead) {
    const chunk = keys.slice(i, i + perRead);
    const rows = await store.all<Record<string, SqlValue>>(
      `SELECT * FROM ${shape.table} WHERE ${column} IN (${chunk.map(() => "?").join(", ")})`,
      chunk,
    );
    for (const row of rows) found.set(String(row[column as string]), row);
  }
  return found;
}

/** For each foreign-key column: the referenced values neither stored nor accepted in this import. */
async function findMissingParents(
  store: Store,
  shape: TableShape,
  rows: DomainRow[],
  accepted: Map<string, Set<string>>,
): Promise<Map<string, Set<string>>> {
  const missing = new Map<string, Set<string>>();
  for (const fk of shape.foreignKeys) {
    const target = fk.to ?? "id";
    const wanted = new Set<string>();
    for (const row of rows) {
      const value = row.values[fk.from];
      if (value === null || value === undefined) continue;
      if (accepted.get(fk.table)?.has(String(value))) continue;
      wanted.add(String(value));
    }
    const list = [...wanted];
    const stored = new Set<string>();
    const perRead = keysPerRead(store);
    for (let i = 0; i < list.length; i += perRead) {
      const chunk = list.slice(i, i + perRead);
      const found = await store.all<{ v: SqlValue }>(
        `SELECT ${target} AS v FROM ${fk.table} WHERE ${target} IN (${chunk.map(() => "?").join(", ")})`,
        chunk,
      );
      for (const r of found) stored.add(String(r.v));
    }
    missing.set(fk.from, new Set(list.filter((v) => !stored.has(v))));
  }
  return missing;
}

function rowProblem(
  shape: TableShape,
  row: DomainRow,
  before: Record<string, SqlValue> | undefined,
  missingParents: Map<string, Set<string>>,
): { column?: string; reason: string } | undefined {
  const source = (column: string) => row.columns?.[column];
  if (!before) {
    for (const column of shape.columns.values()) {
      if (column.name === "source_system" || column.name === "source_id") continue;
      const value = row.values[column.name];
      if (
        (column.notNull || column.keyPosition > 0) &&
        !column.hasDefault &&
        (value === null || value === undefined || value === "")
      ) {
        const from = source(column.name);
        return {
          ...(from ? { column: from } : {}),
          reason: `${from ? `"${from}" is blank` : `no value for ${column.name}`}; ${shape.table}.${column.name} is required.`,
        };
      }
    }
  }
  for (const fk of shape.foreignKeys) {
    const value = row.values[fk.from];
    if (value === null || value === undefined) continue;
    if (missingParents.get(fk.from)?.has(String(value))) {
      const from = source(fk.from);
      return {
        ...(from ? { column: from } : {}),
        reason: `refers to ${fk.table} ${String(value)}, which is neither in the store nor accepted from this import.`,
      };
    }
  }
  return undefined;
}

function withProvenance(shape: TableShape, row: DomainRow, system: string): Record<string, SqlValue> {
  if (!shape.provenance) return row.values;
  return { ...row.values, source_system: system, source_id: row.sourceId };
}

function sameValue(a: SqlValue | undefined, b: SqlValue | undefined): boolean {
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (typeof a === "bigint" || typeof b === "bigint") return String(a) === String(b);
  return a === b;
}

async function countFromSystem(store: Store, table: string, system: string): Promise<number> {
  const row = await store.first<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE source_system = ?`, [
    system,
  ]);
  return row?.n ?? 0;
}
