import type { PackDefinition } from "../pack/define-pack.js";
import { KIT_TABLE_COLUMNS } from "../store/kit-tables.js";
import { migratePack } from "../store/migrate.js";
import type { TableDeclarations } from "../store/tables.js";
import type { Store } from "../store/types.js";
import { type SchemaShape, schemaShape } from "./migrations-agree.js";

/**
 * Compares declared tables (a pack's `tables`, plus the kit's own) with what a migrated store
 * holds, and returns one line per disagreement, naming table and column: a declared table or
 * column the store lacks, a migrated table or column the declaration lacks, a different kind
 * (integer / real / text) or nullability, an exclusion of a table the store does not have.
 * Empty when they agree. The kit's `_` tables count as declared; a migration need not build them.
 */
export function tableProblems(declared: TableDeclarations, shape: SchemaShape): string[] {
  const problems: string[] = [];
  const migrated = shape.tables;
  const kit = KIT_TABLE_COLUMNS.tables;
  const all = { ...kit, ...declared.tables };
  for (const [table, columns] of Object.entries(all)) {
    const built = migrated[table];
    if (!built) {
      if (!(table in kit)) problems.push(`${table}: declared, but the migrations build no such table`);
      continue;
    }
    for (const [name, column] of Object.entries(columns)) {
      const found = built.find((c) => c.name === name);
      if (!found) {
        problems.push(`${table}.${name}: declared, but the migrated table has no such column`);
        continue;
      }
      if (found.family !== column.kind) {
        problems.push(
          `${table}.${name}: declared ${column.kind}, but the migrated column is ${found.family}`,
        );
      }
      if (found.notNull === column.isNullable) {
        const said = (nullable: boolean) => (nullable ? "nullable" : "NOT NULL");
        problems.push(
          `${table}.${name}: declared ${said(column.isNullable)}, but the migrated column is ${said(!found.notNull)}`,
        );
      }
    }
    for (const c of built) {
      if (!(c.name in columns)) {
        problems.push(`${table}.${c.name}: in the migrated table, but not declared`);
      }
    }
  }
  for (const table of Object.keys(migrated)) {
    if (!(table in all) && !(table in declared.excluded)) {
      problems.push(`${table}: built by the migrations, but neither declared nor excluded`);
    }
  }
  for (const table of Object.keys(declared.excluded)) {
    if (!(table in migrated)) problems.push(`${table}: excluded, but the migrations build no such table`);
  }
  return problems;
}

/**
 * Migrates `pack` into `store` (empty) and checks its declared `tables` against what was built
 * there. Throws an Error listing every disagreement (see `tableProblems`), prefixed with the
 * store's dialect, or one saying the pack declares no tables.
 */
export async function checkTablesMatchMigrations(
  pack: Pick<PackDefinition, "name" | "migrations" | "dialects" | "tables">,
  store: Store,
): Promise<void> {
  if (!pack.tables) {
    throw new Error(
      `Pack "${pack.name}" declares no tables. Fix: declare every table's columns once with defineTables (src/tables.ts) and pass them as definePack's \`tables\`, so row types come from them.`,
    );
  }
  await migratePack(store, pack);
  const problems = tableProblems(pack.tables, await schemaShape(store));
  if (problems.length > 0) {
    throw new Error(
      `Pack "${pack.name}": its declared tables disagree with its migrations on ${store.dialect}:\n  ${problems.join("\n  ")}\nFix: change the declaration (src/tables.ts) to match the DDL; a migration changes a column, the declaration follows.`,
    );
  }
}
