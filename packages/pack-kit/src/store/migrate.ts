import type { PackDefinition, SeedOptions } from "../pack/define-pack.js";
import { ensureKitTables } from "./kit-tables.js";
import { getMeta, setMeta } from "./meta.js";
import type { Store } from "./types.js";

/**
 * Applies the pack's migrations that this store has not run yet, in id order. Each migration's
 * statements and its `_migrations` record go in one atomic batch, so a failing migration leaves
 * no trace and is retried on the next start. Returns the ids applied now.
 */
export async function migratePack(
  store: Store,
  pack: Pick<PackDefinition, "name" | "migrations">,
): Promise<string[]> {
  await ensureKitTables(store);
  const done = new Set(
    (await store.all<{ id: string }>("SELECT id FROM _migrations WHERE pack = ?", [pack.name])).map(
      (r) => r.id,
    ),
  );
  const applied: string[] = [];
  for (const migration of pack.migrations) {
    if (done.has(migration.id)) continue;
    await store.batch([
      ...migration.statements.map((sql) => ({ sql })),
      {
        sql: "INSERT INTO _migrations (pack, id, applied_at) VALUES (?, ?, ?)",
        params: [pack.name, migration.id, new Date().toISOString()],
      },
    ]);
    applied.push(migration.id);
  }
  return applied;
}

/**
 * Migrates the store and, when this pack has never been seeded in it, runs the pack's `seed`
 * and records `seeded.<pack>` in `_meta`. Returns whether it seeded now.
 */
export async function preparePackStore(
  store: Store,
  pack: PackDefinition,
  options: SeedOptions,
): Promise<boolean> {
  await migratePack(store, pack);
  const key = `seeded.${pack.name}`;
  if (!pack.seed || (await getMeta(store, key)) !== undefined) return false;
  await pack.seed(store, options);
  await setMeta(store, key, JSON.stringify({ scale: options.scale, seed: options.seed }));
  return true;
}
