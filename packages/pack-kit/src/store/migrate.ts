import {
  holdsImportedData,
  provenanceStatement,
  trackedTables,
  WORLD_SYSTEM,
} from "../connect/provenance.js";
import { PackKitError } from "../errors.js";
import type { PackDefinition, SeedOptions } from "../pack/define-pack.js";
import { ensureKitTables } from "./kit-tables.js";
import { AS_OF_KEY, getMeta } from "./meta.js";
import { migrationLock } from "./migration-lock.js";
import type { Store } from "./types.js";

/**
 * Applies the pack's migrations that this store has not run yet, in id order. Each migration's
 * statements and its `_migrations` record go in one atomic batch, so a failing migration leaves
 * no trace and is retried on the next start. On Postgres a migration's `postgres` statements run
 * when it has them. Throws `PackKitError` `dialect_unsupported` when the pack is not written for
 * the store's dialect. Returns the ids applied now (not those a concurrent migrator applied).
 *
 * Several processes may migrate one database at once: two Worker isolates on a first deploy, two
 * `toolpacks-<pack> --db postgres://…` started together. On Postgres each batch first takes a
 * transaction-scoped advisory lock, so they run one after the other instead of colliding in the
 * catalog; a batch that then fails because a peer applied the same migration meanwhile (its
 * `CREATE TABLE` or `_migrations` row already there) is taken as applied, on every dialect.
 */
export async function migratePack(
  store: Store,
  pack: Pick<PackDefinition, "name" | "migrations" | "dialects">,
): Promise<string[]> {
  const dialects = pack.dialects ?? ["sqlite"];
  if (!dialects.includes(store.dialect)) {
    throw new PackKitError(
      "dialect_unsupported",
      `The ${pack.name} pack's SQL is written for ${dialects.join(" and ")}, not ${store.dialect}. Serve it from a ${dialects[0]} store${dialects[0] === "sqlite" ? " (--db FILE)" : ""}.`,
    );
  }
  await ensureKitTables(store);
  const done = new Set(
    (await store.all<{ id: string }>("SELECT id FROM _migrations WHERE pack = ?", [pack.name])).map(
      (r) => r.id,
    ),
  );
  const applied: string[] = [];
  for (const migration of pack.migrations) {
    if (done.has(migration.id)) continue;
    const statements = [
      ...migrationLock(store),
      // A migration may fill a rollup from, or index, every row of a grown table: minutes at
      // 10^7 rows. The store's statement timeout bounds a tool's query, not an upgrade, so it is
      // lifted for this transaction only (SET LOCAL ends with it).
      ...(store.dialect === "postgres" ? [{ sql: "SET LOCAL statement_timeout = 0" }] : []),
      ...((store.dialect === "postgres" ? migration.postgres : undefined) ?? migration.statements).map(
        (sql) => ({ sql }),
      ),
      {
        sql: "INSERT INTO _migrations (pack, id, applied_at) VALUES (?, ?, ?)",
        params: [pack.name, migration.id, new Date().toISOString()],
      },
    ];
    try {
      await store.batch(statements);
    } catch (error) {
      if (await appliedByPeer(store, pack.name, migration.id)) continue;
      throw error;
    }
    applied.push(migration.id);
  }
  return applied;
}

async function appliedByPeer(store: Store, pack: string, id: string): Promise<boolean> {
  try {
    return (
      (await store.first("SELECT 1 AS found FROM _migrations WHERE pack = ? AND id = ?", [pack, id])) !==
      undefined
    );
  } catch {
    return false;
  }
}

/**
 * Migrates the store and, when this pack has never been seeded in it and holds no imported data,
 * runs the pack's `seed` (the generated world, one more source), records `seeded.<pack>` in
 * `_meta` and `world` provenance for the pack's tracked tables. A store holding imported data is
 * served as it is: it is never seeded over. Returns whether it seeded now.
 */
export async function preparePackStore(
  store: Store,
  pack: PackDefinition,
  options: SeedOptions,
): Promise<boolean> {
  await migratePack(store, pack);
  if (!pack.seed || (await getMeta(store, `seeded.${pack.name}`)) !== undefined) return false;
  if (await holdsImportedData(store, pack.name)) return false;
  await seedNow(store, pack, options);
  return true;
}

/**
 * `--seed-world`: migrates and seeds the generated world into the store, asked for explicitly.
 * Throws `PackKitError` `store_holds_imports` when the store holds imported data (the world is
 * never mixed into a customer's data) and `no_world` when the pack has no seed. Returns false when
 * the world was already seeded (nothing to do).
 */
export async function seedWorld(store: Store, pack: PackDefinition, options: SeedOptions): Promise<boolean> {
  await migratePack(store, pack);
  if (!pack.seed) {
    throw new PackKitError("no_world", `Pack "${pack.name}" has no generated world to seed.`);
  }
  if (await holdsImportedData(store, pack.name)) {
    throw new PackKitError(
      "store_holds_imports",
      `This store holds ${pack.name} data imported from your systems; the generated world is never seeded over it. Use another --db file for the demo world, or serve this one without --seed-world.`,
    );
  }
  if ((await getMeta(store, `seeded.${pack.name}`)) !== undefined) return false;
  await seedNow(store, pack, options);
  return true;
}

async function seedNow(store: Store, pack: PackDefinition, options: SeedOptions): Promise<void> {
  await pack.seed?.(store, options);
  const asOf = (await getMeta(store, AS_OF_KEY)) ?? new Date().toISOString().slice(0, 10);
  const now = new Date().toISOString();
  const records = [];
  for (const table of trackedTables(pack)) {
    const count = await store.first<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`);
    records.push(
      provenanceStatement({
        pack: pack.name,
        table,
        sourceSystem: WORLD_SYSTEM,
        sourceId: `seed ${options.seed}, scale ${options.scale}`,
        lastImportAt: now,
        asOf,
        rows: count?.n ?? 0,
      }),
    );
  }
  await store.batch([
    ...records,
    {
      sql: "INSERT INTO _meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      params: [`seeded.${pack.name}`, JSON.stringify({ scale: options.scale, seed: options.seed })],
    },
  ]);
}
