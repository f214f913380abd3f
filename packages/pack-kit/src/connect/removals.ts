import { listTables, readTableShape } from "../store/table-shape.js";
import type { SqlValue, Statement, Store } from "../store/types.js";

// Exports are full snapshots: a record the previous export of a system held and the newer one
// lacks was deleted (or archived) in that system. Keeping it would count it in every answer, so
// the runner removes it, unless something that stays still refers to it; then it is kept and the
// report says why.

const CHUNK = 90;

/** A table an import touched, as the removal planner needs it. */
export interface RemovalTable {
  table: string;
  /** Primary-key columns. */
  key: string[];
}

/** A row that the newer export lacks but that stays, and why. */
export interface KeptRow {
  table: string;
  id: string;
  reason: string;
}

/** What `planRemovals` decided. */
export interface RemovalPlan {
  /** Per table: the keys of rows to remove (all of them, in key order). */
  removed: Map<string, string[]>;
  /** Rows the export lacks that stay because a row outside the removal refers to them. */
  kept: KeptRow[];
  /** The DELETE statements, children before parents (dependants in untracked tables first). */
  statements: Statement[];
}

interface Reference {
  /** The referring table. */
  child: string;
  /** Its column that holds the parent's key. */
  from: string;
  /** The referring table's primary key (to tell its rows apart). */
  childKey: string[];
  tracked: boolean;
}

const keyText = (values: readonly SqlValue[]) => values.map((v) => String(v ?? "")).join("\u0000");

/**
 * Plans the removal of rows that `system` imported earlier into `tables` and that this import's
 * rows (`present`, keys per table) no longer hold. A missing row referred to by a row that stays
 * (a tool's write, another system's row, a row of a table this import did not cover) is kept and
 * reported; rows of tables the pack does not track that refer to a removed row (rows the pack
 * derives from it) go with it. Only single-column keys are followed through references.
 */
export async function planRemovals(
  store: Store,
  system: string,
  tables: readonly RemovalTable[],
  present: ReadonlyMap<string, ReadonlySet<string>>,
  tracked: readonly string[],
): Promise<RemovalPlan> {
  const missing = new Map<string, Set<string>>();
  for (const t of tables) {
    const rows = await store.all<Record<string, SqlValue>>(
      `SELECT ${t.key.join(", ")} FROM ${t.table} WHERE source_system = ? ORDER BY ${t.key.join(", ")}`,
      [system],
    );
    const seen = present.get(t.table) ?? new Set<string>();
    const gone = rows.map((r) => keyText(t.key.map((k) => r[k] ?? null))).filter((k) => !seen.has(k));
    if (gone.length > 0) missing.set(t.table, new Set(gone));
  }
  const kept: KeptRow[] = [];
  const cascades: Statement[] = [];
  if (missing.size === 0) return { removed: new Map(), kept, statements: [] };
  const references = await referencesTo(store, [...missing.keys()], tracked);
  const singleKey = new Map(tables.map((t) => [t.table, t.key.length === 1]));
  // Fixpoint: dropping a row from the removal can make its parent referenced by a row that stays.
  for (let changed = true; changed; ) {
    changed = false;
    for (const [table, keys] of missing) {
      if (!singleKey.get(table)) continue;
      for (const ref of references.get(table) ?? []) {
        const list = [...keys];
        for (let i = 0; i < list.length; i += CHUNK) {
          const chunk = list.slice(i, i + CHUNK);
          const rows = await store.all<Record<string, SqlValue>>(
            `SELECT ${[ref.from, ...ref.childKey].join(", ")} FROM ${ref.child} WHERE ${ref.from} IN (${chunk.map(() => "?").join(", ")})`,
            chunk,
          );
          for (const row of rows) {
            const parent = String(row[ref.from]);
            if (!keys.has(parent) || !ref.tracked) continue;
            const childKey = keyText(ref.childKey.map((k) => row[k] ?? null));
            if (missing.get(ref.child)?.has(childKey)) continue;
            keys.delete(parent);
            changed = true;
            kept.push({
              table,
              id: parent,
              reason: `still referred to by ${ref.child} ${childKey.replaceAll("\u0000", "/")}, which stays (import that export too, or remove it in the source)`,
            });
          }
        }
      }
    }
  }
  for (const [table, keys] of missing) {
    if (keys.size === 0) continue;
    for (const ref of references.get(table) ?? []) {
      if (ref.tracked) continue;
      for (const chunk of chunks([...keys])) {
        cascades.push({
          sql: `DELETE FROM ${ref.child} WHERE ${ref.from} IN (${chunk.map(() => "?").join(", ")})`,
          params: chunk,
        });
      }
    }
  }
  const removed = new Map<string, string[]>();
  const statements: Statement[] = [...cascades];
  // Children before parents: `tables` comes parents first.
  for (const t of [...tables].reverse()) {
    const keys = [...(missing.get(t.table) ?? [])].sort();
    if (keys.length === 0) continue;
    removed.set(t.table, keys);
    for (const key of keys) {
      const parts = key.split("\u0000");
      statements.push({
        sql: `DELETE FROM ${t.table} WHERE ${t.key.map((k) => `${k} = ?`).join(" AND ")} AND source_system = ?`,
        params: [...parts, system],
      });
    }
  }
  kept.sort((a, b) => a.table.localeCompare(b.table) || a.id.localeCompare(b.id));
  return { removed, kept, statements };
}

function chunks<T>(list: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
}

/** Every foreign key in the store that points at one of `parents`, grouped by parent. */
async function referencesTo(
  store: Store,
  parents: readonly string[],
  tracked: readonly string[],
): Promise<Map<string, Reference[]>> {
  const out = new Map<string, Reference[]>();
  for (const name of await listTables(store)) {
    const shape = await readTableShape(store, name);
    const wanted = (shape?.foreignKeys ?? []).filter((fk) => parents.includes(fk.table));
    if (!shape || wanted.length === 0) continue;
    // A table without a primary key: its rows are told apart by SQLite's rowid, Postgres' ctid.
    const childKey = shape.key.length > 0 ? shape.key : [store.dialect === "postgres" ? "ctid" : "rowid"];
    for (const fk of wanted) {
      out.set(fk.table, [
        ...(out.get(fk.table) ?? []),
        {
          child: name,
          from: fk.from,
          childKey,
          tracked: tracked.includes(name),
        },
      ]);
    }
  }
  return out;
}
