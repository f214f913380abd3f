import { appendAll } from "../collections/append-all.js";
import { completeRows } from "../connect/complete-rows.js";
import { provenanceStatement, trackedTables } from "../connect/provenance.js";
import type { KeptRow } from "../connect/removals.js";
import type { DomainRow, RejectedRow } from "../connect/types.js";
import type { PackDefinition } from "../pack/define-pack.js";
import { getMeta } from "../store/meta.js";
import { migratePack } from "../store/migrate.js";
import { readTableShape } from "../store/table-shape.js";
import { keptColumnOf } from "../store/tables.js";
import { readOnlyView, type SqlValue, type Statement, type Store } from "../store/types.js";
import { SyncError } from "./errors.js";
import {
  claimSyncLease,
  cursorStatement,
  ensureSyncTables,
  readCursors,
  releaseSyncLeaseStatement,
  renewSyncLeaseStatement,
  runFailedStatement,
  runStartedStatement,
  runSucceededStatement,
  SYNC_LEASE_MS,
  syncLeaseOf,
} from "./state.js";
import type { SyncPage, SyncSource } from "./types.js";

/** Options of `runSync`. */
export interface RunSyncOptions {
  /** The clock, for cursors, provenance and run records. Default: now. */
  now?: () => Date;
  /** Told after each committed page (progress output, benchmarks). */
  onPage?: (page: { stream: string; rows: number; cursor: string }) => void;
  /** Stops the sync between pages (the committed pages stay). */
  signal?: AbortSignal;
  /** Most rejections kept in the report (the count is always whole). Default 50. */
  listRejections?: number;
}

/** What one sync run did to one table. */
export interface TableSyncReport {
  table: string;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Rows removed because the source no longer holds them (`SyncPage.removed`). */
  deleted: number;
}

/** What one sync run did. */
export interface SyncReport {
  pack: string;
  system: string;
  /** Pages committed (each with its cursor). */
  pages: number;
  tables: TableSyncReport[];
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
  rejected: number;
  rejections: RejectedRow[];
  /** Rows the source no longer holds but kept in the store, and why (`SyncPage.kept`). */
  kept: KeptRow[];
  /** When the run finished: the tables' new `as_of`. */
  syncedAt: string;
}

interface Shape {
  table: string;
  columns: Set<string>;
  key: string[];
  parents: string[];
  foreignKeys: { from: string; table: string; to: string | null }[];
  provenance: boolean;
}

const CHUNK = 90;

/**
 * Syncs `pack`'s store from `source`. Each page the source yields is committed in ONE
 * transaction together with its stream's cursor, so a crash (or a thrown error) mid-sync loses
 * at most the page in flight, and the next run resumes from the last committed cursor without
 * gaps or duplicates. Rows are matched on the table's primary key: an unchanged row is left as
 * is, a changed one updated column by column, a new one inserted; a `stub` row (a record only
 * referred to) is inserted when missing and never overwrites a real one. When the source is
 * done, one last transaction records each synced table's provenance (last successful sync =
 * `as_of`), recomputes the pack's derived tables (`afterImport`) and marks the run succeeded;
 * a failure is recorded (`sync_status` shows it) and rethrown.
 * Throws `SyncError` `store_holds_world` on a store seeded with the generated world, and
 * `not_tracked` when the source yields rows of a table without provenance.
 */
export async function runSync(
  store: Store,
  pack: PackDefinition,
  source: SyncSource,
  options: RunSyncOptions = {},
): Promise<SyncReport> {
  const now = () => (options.now ?? (() => new Date()))().toISOString();
  await migratePack(store, pack);
  await ensureSyncTables(store);
  const seeded = await getMeta(store, `seeded.${pack.name}`);
  if (seeded !== undefined) {
    throw new SyncError(
      "store_holds_world",
      `This store holds the generated ${pack.name} world (${seeded}); synced data is never mixed into it. Sync into a new --db file.`,
    );
  }
  const lease = await takeLease(store, pack.name, source.system, options.now);
  const tracked = trackedTables(pack);
  await store.batch([runStartedStatement(pack.name, source.system, now())]);
  const shapes = new Map<string, Shape>();
  const reports = new Map<string, TableSyncReport>();
  const rejections: RejectedRow[] = [];
  const kept = new Map<string, KeptRow>();
  let rejected = 0;
  let pages = 0;
  try {
    const cursors = await readCursors(store, pack.name, source.system);
    const pull = source.pull({
      cursors,
      store: readOnlyView(store),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    for await (const page of pull) {
      options.signal?.throwIfAborted();
      const pageRejections = [...page.rejected];
      const statements: Statement[] = [];
      const groups = groupByTable(page.rows, tracked, pack, source.system);
      for (const table of groups.keys()) {
        if (!shapes.has(table)) shapes.set(table, await shapeOf(store, table));
      }
      for (const table of new Set((page.removed ?? []).map((r) => r.table))) {
        if (!tracked.includes(table)) throw notTracked(table, tracked, pack.name, source.system);
        if (!shapes.has(table)) shapes.set(table, await shapeOf(store, table));
      }
      appendAll(statements, await removals(store, shapes, page, source.system, reports));
      const accepted = new Map<string, Set<string>>();
      for (const shape of parentsFirst([...groups.keys()].map((t) => shapes.get(t) as Shape))) {
        const complete = completeRows(pack, groups.get(shape.table) ?? [], pageRejections);
        const rows = await withParents(store, shape, complete, accepted, pageRejections);
        accepted.set(shape.table, new Set(rows.map((r) => String(r.values[shape.key[0] as string]))));
        const report = reportOf(reports, shape.table);
        appendAll(statements, await upserts(store, shape, rows, source.system, report));
      }
      statements.push(cursorStatement(pack.name, source.system, page.stream, page.cursor, now()));
      await lease.keep(statements);
      await store.batch(statements);
      pages++;
      for (const k of page.kept ?? []) kept.set(`${k.table}\u0000${k.id}`, k);
      rejected += pageRejections.length;
      rejections.push(
        ...pageRejections.slice(0, Math.max(0, (options.listRejections ?? 50) - rejections.length)),
      );
      options.onPage?.({ stream: page.stream, rows: page.rows.length, cursor: page.cursor });
    }
    const syncedAt = now();
    const finish: Statement[] = [];
    for (const table of tracked) {
      const rows = await countFromSystem(store, table, source.system);
      if (rows === 0 && !reports.has(table)) continue;
      finish.push(
        provenanceStatement({
          pack: pack.name,
          table,
          sourceSystem: source.system,
          sourceId: `${source.system} API`,
          lastImportAt: syncedAt,
          asOf: syncedAt.slice(0, 10),
          rows,
        }),
      );
    }
    appendAll(finish, pack.afterImport?.() ?? []);
    finish.push(runSucceededStatement(pack.name, source.system, syncedAt));
    await lease.keep(finish);
    finish.push(lease.release);
    await store.batch(finish);
    const list = [...reports.values()];
    const sum = (k: "inserted" | "updated" | "unchanged" | "deleted") => list.reduce((n, r) => n + r[k], 0);
    return {
      pack: pack.name,
      system: source.system,
      pages,
      tables: list,
      inserted: sum("inserted"),
      updated: sum("updated"),
      unchanged: sum("unchanged"),
      deleted: sum("deleted"),
      rejected,
      rejections,
      kept: [...kept.values()],
      syncedAt,
    };
  } catch (error) {
    const code =
      error instanceof Error && "code" in error && typeof error.code === "string"
        ? error.code
        : "sync_failed";
    const message = error instanceof Error ? error.message : String(error);
    await store
      .batch([runFailedStatement(pack.name, source.system, code, message, now()), lease.release])
      .catch(() => undefined);
    throw error;
  }
}

/**
 * Takes the sync lease of `system` (see `claimSyncLease`), so two runs of one source into one store
 * (two Cron invocations, a Cron and a CLI run) never interleave their pages: the second stops at
 * once with `sync_in_progress`, having changed nothing and recorded no error. `keep` adds the
 * renewal to a transaction after checking the lease is still this run's; a run that lost it (it
 * stalled past `SYNC_LEASE_MS` and another run took over) stops with `sync_lease_lost` before
 * committing anything more.
 */
async function takeLease(store: Store, pack: string, system: string, clock: RunSyncOptions["now"]) {
  const at = () => (clock ?? (() => new Date()))();
  const until = () => new Date(at().getTime() + SYNC_LEASE_MS).toISOString();
  const holder = crypto.randomUUID();
  const claimed = await claimSyncLease(store, {
    pack,
    system,
    holder,
    now: at().toISOString(),
    expiresAt: until(),
  });
  if (!claimed.held) {
    throw new SyncError(
      "sync_in_progress",
      `Another sync of ${system} into ${pack} is running (its lease runs until ${claimed.expiresAt}); this run changed nothing. Let it finish; a run that died gives its lease up at that time.`,
    );
  }
  return {
    async keep(statements: Statement[]): Promise<void> {
      const current = await syncLeaseOf(store, pack, system);
      if (current?.holder !== holder) {
        throw new SyncError(
          "sync_lease_lost",
          `This sync of ${system} into ${pack} stalled for more than ${SYNC_LEASE_MS / 60_000} minutes and another run took it over; it stopped without committing more. The other run carries on from the saved cursors.`,
        );
      }
      statements.push(renewSyncLeaseStatement(pack, system, holder, until()));
    },
    release: releaseSyncLeaseStatement(pack, system, holder),
  };
}

/** One line per table and per listed rejection, for the CLI. */
export function formatSyncReport(report: SyncReport): string {
  const lines = [
    `synced ${report.system} into ${report.pack} at ${report.syncedAt}: ${report.inserted} inserted, ${report.updated} updated, ${report.unchanged} unchanged, ${report.deleted ? `${report.deleted} deleted, ` : ""}${report.rejected} rejected (${report.pages} pages)`,
  ];
  for (const t of report.tables) {
    lines.push(
      `  ${t.table}: ${t.inserted} inserted, ${t.updated} updated, ${t.unchanged} unchanged${t.deleted ? `, ${t.deleted} deleted` : ""}`,
    );
  }
  for (const k of report.kept) {
    lines.push(`  kept ${k.table} ${k.id} (gone from ${report.system}): ${k.reason}`);
  }
  for (const r of report.rejections) {
    lines.push(`  rejected ${r.file}${r.column ? ` field "${r.column}"` : ""}: ${r.reason}`);
  }
  if (report.rejected > report.rejections.length) {
    lines.push(`  … and ${report.rejected - report.rejections.length} more rejected records`);
  }
  return `${lines.join("\n")}\n`;
}

function reportOf(reports: Map<string, TableSyncReport>, table: string): TableSyncReport {
  let report = reports.get(table);
  if (!report) {
    report = { table, inserted: 0, updated: 0, unchanged: 0, deleted: 0 };
    reports.set(table, report);
  }
  return report;
}

/**
 * Rows a source may remove: those it filled, and those the pack's write tools wrote (no source
 * yet): a synced store holds no generated world, so such a row was written back to this source
 * first and stands for its record there.
 */
const FROM_SOURCE = "(source_system = ? OR source_system IS NULL)";

/**
 * DELETE statements for the rows a page says the source no longer holds: only rows this system
 * filled (or the pack wrote), matched on the table's (single-column) primary key; keys the store
 * lacks are skipped.
 */
async function removals(
  store: Store,
  shapes: ReadonlyMap<string, Shape>,
  page: SyncPage,
  system: string,
  reports: Map<string, TableSyncReport>,
): Promise<Statement[]> {
  const statements: Statement[] = [];
  // A key the page also writes is kept (the row is updated, not removed), and each key goes once.
  const seen = new Set(
    page.rows.map((r) => {
      const shape = shapes.get(r.table);
      return `${r.table}\u0000${String(r.values[shape?.key[0] ?? "id"] ?? "")}`;
    }),
  );
  for (const { table, key } of page.removed ?? []) {
    if (seen.has(`${table}\u0000${key}`)) continue;
    seen.add(`${table}\u0000${key}`);
    const shape = shapes.get(table) as Shape;
    const column = shape.key.length === 1 && shape.provenance ? shape.key[0] : undefined;
    if (column === undefined) {
      throw new SyncError(
        "not_removable",
        `The ${system} sync asked to remove a row of ${table}, which has no single-column key and source columns to remove it by.`,
      );
    }
    const hit = await store.first(`SELECT 1 AS x FROM ${table} WHERE ${column} = ? AND ${FROM_SOURCE}`, [
      key,
      system,
    ]);
    if (!hit) continue;
    statements.push({
      sql: `DELETE FROM ${table} WHERE ${column} = ? AND ${FROM_SOURCE}`,
      params: [key, system],
    });
    reportOf(reports, table).deleted++;
  }
  return statements;
}

function notTracked(table: string, tracked: readonly string[], pack: string, system: string): SyncError {
  return new SyncError(
    "not_tracked",
    `The ${system} sync yielded rows of table ${JSON.stringify(table)}, which pack "${pack}" does not track; tracked tables: ${tracked.join(", ")}.`,
  );
}

function groupByTable(
  rows: readonly DomainRow[],
  tracked: readonly string[],
  pack: PackDefinition,
  system: string,
): Map<string, DomainRow[]> {
  const groups = new Map<string, DomainRow[]>();
  for (const row of rows) {
    if (!tracked.includes(row.table)) throw notTracked(row.table, tracked, pack.name, system);
    const kept = keptColumnOf(pack.tables, row.table, Object.keys(row.values));
    if (kept !== undefined) {
      throw new SyncError(
        "kept_column",
        `The ${system} sync wrote ${row.table}.${kept}, which pack "${pack.name}" keeps from other rows; a sync cannot set it. Leave it out of the source's rows.`,
      );
    }
    groups.set(row.table, [...(groups.get(row.table) ?? []), row]);
  }
  return groups;
}

async function shapeOf(store: Store, table: string): Promise<Shape> {
  const shape = await readTableShape(store, table);
  if (!shape) throw new SyncError("not_tracked", `Table ${table} does not exist in this store.`);
  return {
    table,
    columns: new Set(shape.columns.map((c) => c.name)),
    key: shape.key,
    parents: [...new Set(shape.foreignKeys.map((p) => p.table))].filter((t) => t !== table),
    foreignKeys: shape.foreignKeys,
    provenance: shape.columns.some((c) => c.name === "source_id"),
  };
}

function parentsFirst(shapes: Shape[]): Shape[] {
  const out: Shape[] = [];
  const visit = (shape: Shape, path: Set<string>) => {
    if (out.includes(shape) || path.has(shape.table)) return;
    path.add(shape.table);
    for (const parent of shape.parents) {
      const found = shapes.find((s) => s.table === parent);
      if (found) visit(found, path);
    }
    out.push(shape);
  };
  for (const shape of shapes) visit(shape, new Set());
  return out;
}

/**
 * The rows whose references resolve (to a stored row or one accepted from this page); the
 * others are rejected with the reference that is missing, instead of failing the whole page.
 */
async function withParents(
  store: Store,
  shape: Shape,
  rows: readonly DomainRow[],
  accepted: ReadonlyMap<string, ReadonlySet<string>>,
  rejections: RejectedRow[],
): Promise<DomainRow[]> {
  const missing = new Map<string, Set<string>>();
  for (const fk of shape.foreignKeys) {
    const wanted = [
      ...new Set(
        rows
          .map((r) => r.values[fk.from])
          .filter((v) => v !== null && v !== undefined && !accepted.get(fk.table)?.has(String(v)))
          .map(String),
      ),
    ];
    const stored = new Set<string>();
    for (let i = 0; i < wanted.length; i += CHUNK) {
      const chunk = wanted.slice(i, i + CHUNK);
      const hits = await store.all<{ v: SqlValue }>(
        `SELECT ${fk.to ?? "id"} AS v FROM ${fk.table} WHERE ${fk.to ?? "id"} IN (${chunk.map(() => "?").join(", ")})`,
        chunk,
      );
      for (const hit of hits) stored.add(String(hit.v));
    }
    missing.set(fk.from, new Set(wanted.filter((v) => !stored.has(v))));
  }
  return rows.filter((row) => {
    for (const fk of shape.foreignKeys) {
      const value = row.values[fk.from];
      if (value === null || value === undefined || !missing.get(fk.from)?.has(String(value))) continue;
      if (!row.stub) {
        rejections.push({
          ...row.origin,
          column: row.columns?.[fk.from] ?? fk.from,
          reason: `refers to ${fk.table} ${String(value)}, which is neither in the store nor in this sync.`,
        });
      }
      return false;
    }
    return true;
  });
}

const keyOf = (shape: Shape, values: Record<string, SqlValue>) =>
  shape.key.map((k) => String(values[k] ?? "")).join("\u0000");

/** INSERT or UPDATE statements for one table's rows of a page (the last version of a row wins). */
async function upserts(
  store: Store,
  shape: Shape,
  rows: readonly DomainRow[],
  system: string,
  report: TableSyncReport,
): Promise<Statement[]> {
  const latest = new Map<string, DomainRow>();
  for (const row of rows) {
    for (const column of Object.keys(row.values)) {
      if (!shape.columns.has(column)) {
        throw new SyncError(
          "unknown_column",
          `Table ${shape.table} has no column ${JSON.stringify(column)}; its columns: ${[...shape.columns].join(", ")}.`,
        );
      }
    }
    const key = keyOf(shape, row.values);
    const first = latest.get(key);
    if (!first || !row.stub || first.stub) latest.set(key, row);
  }
  const existing = await loadExisting(store, shape, [...latest.values()]);
  const statements: Statement[] = [];
  for (const [key, row] of latest) {
    const values = shape.provenance
      ? { ...row.values, source_system: system, source_id: row.sourceId }
      : row.values;
    const before = existing.get(key);
    if (!before) {
      const columns = Object.keys(values);
      statements.push({
        sql: `INSERT INTO ${shape.table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
        params: columns.map((c) => values[c] ?? null),
      });
      report.inserted++;
      continue;
    }
    const changed = row.stub
      ? []
      : Object.keys(values).filter((c) => !row.derived?.includes(c) && !sameValue(before[c], values[c]));
    if (changed.length === 0) {
      report.unchanged++;
      continue;
    }
    statements.push({
      sql: `UPDATE ${shape.table} SET ${changed.map((c) => `${c} = ?`).join(", ")} WHERE ${shape.key.map((k) => `${k} = ?`).join(" AND ")}`,
      params: [...changed.map((c) => values[c] ?? null), ...shape.key.map((k) => before[k] ?? null)],
    });
    report.updated++;
  }
  return statements;
}

async function loadExisting(
  store: Store,
  shape: Shape,
  rows: readonly DomainRow[],
): Promise<Map<string, Record<string, SqlValue>>> {
  const found = new Map<string, Record<string, SqlValue>>();
  if (shape.key.length !== 1) {
    for (const row of rows) {
      const hit = await store.first<Record<string, SqlValue>>(
        `SELECT * FROM ${shape.table} WHERE ${shape.key.map((k) => `${k} = ?`).join(" AND ")}`,
        shape.key.map((k) => row.values[k] ?? null),
      );
      if (hit) found.set(keyOf(shape, hit), hit);
    }
    return found;
  }
  const column = shape.key[0] as string;
  const keys = rows.map((r) => r.values[column] ?? null);
  for (let i = 0; i < keys.length; i += CHUNK) {
    const chunk = keys.slice(i, i + CHUNK);
    const hits = await store.all<Record<string, SqlValue>>(
      `SELECT * FROM ${shape.table} WHERE ${column} IN (${chunk.map(() => "?").join(", ")})`,
      chunk,
    );
    for (const hit of hits) found.set(keyOf(shape, hit), hit);
  }
  return found;
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
  return Number(row?.n ?? 0);
}
