/**
 * The store of the four packs: D1 (`env.DB`, the default), or Postgres through Hyperdrive when a
 * `HYPERDRIVE` binding is configured (README, "Postgres through Hyperdrive"). Only the packs'
 * data moves: the audit trail, runs and outbox stay in D1 either way. Each pack's migrations run
 * once per isolate before its first answer (recorded in `_migrations`, so a database seeded by
 * `pnpm seed` is left as is); a store that was never seeded is seeded in place when
 * `WORLD_SCALE` is set (tests, demos).
 */
import { migratePack, preparePackStore, type Store } from "@toolpacks/pack-kit";
import { d1Store, hyperdriveStore } from "@toolpacks/pack-kit/workers";
import type { Env } from "../env.js";
import { PACKS } from "./registry.js";

/** What a request, a Durable Object or a Cron invocation lends the store for closing connections. */
export type WaitUntil = Pick<ExecutionContext, "waitUntil">;

// Per isolate: D1 by binding, Postgres by connection string (Hyperdrive hands each isolate the same).
const readyD1 = new WeakMap<D1Database, Promise<Store>>();
const readyPostgres = new Map<string, Promise<void>>();

/**
 * The packs' store for this invocation, migrated (and seeded when configured). On Postgres each
 * store call opens its own connection to Hyperdrive and closes it in `ctx.waitUntil` (without
 * `ctx`, before the call returns), so nothing outlives the invocation.
 */
export async function packStore(env: Env, ctx?: WaitUntil): Promise<Store> {
  if (!env.HYPERDRIVE) return once(readyD1, env.DB, () => prepare(env, d1Store(env.DB)));
  const store = hyperdriveStore(env.HYPERDRIVE, ctx ? { waitUntil: (p) => ctx.waitUntil(p) } : {});
  await once(readyPostgres, env.HYPERDRIVE.connectionString, () => prepare(env, store).then(() => {}));
  return store;
}

interface Cache<K, P> {
  get(key: K): P | undefined;
  set(key: K, value: P): unknown;
  delete(key: K): unknown;
}

function once<K, P extends Promise<unknown>>(cache: Cache<K, P>, key: K, make: () => P): P {
  let entry = cache.get(key);
  if (!entry) {
    entry = make();
    cache.set(key, entry);
    // A failed migration must not stick: the next request tries again.
    entry.catch(() => cache.delete(key));
  }
  return entry;
}

async function prepare(env: Env, store: Store): Promise<Store> {
  const scale = Number(env.WORLD_SCALE);
  const seed = Number(env.WORLD_SEED ?? 42);
  for (const pack of PACKS) {
    if (Number.isInteger(scale) && scale > 0) await preparePackStore(store, pack, { scale, seed });
    else await migratePack(store, pack);
  }
  return store;
}
