/**
 * The shared D1 store of the four packs. Each pack's migrations run once per isolate before its
 * first answer (recorded in `_migrations`, so a database seeded by `pnpm seed` is left as is);
 * a store that was never seeded is seeded in place when `WORLD_SCALE` is set (tests, demos).
 */
import { migratePack, preparePackStore, type Store } from "@toolpacks/pack-kit";
import { d1Store } from "@toolpacks/pack-kit/workers";
import type { Env } from "../env.js";
import { PACKS } from "./registry.js";

const ready = new WeakMap<D1Database, Promise<Store>>();

/** The store over `env.DB`, migrated (and seeded when configured) for every registered pack. */
export function packStore(env: Env): Promise<Store> {
  let entry = ready.get(env.DB);
  if (!entry) {
    entry = prepare(env);
    ready.set(env.DB, entry);
    // A failed migration must not stick: the next request tries again.
    entry.catch(() => ready.delete(env.DB));
  }
  return entry;
}

async function prepare(env: Env): Promise<Store> {
  const store = d1Store(env.DB);
  const scale = Number(env.WORLD_SCALE);
  const seed = Number(env.WORLD_SEED ?? 42);
  for (const pack of PACKS) {
    if (Number.isInteger(scale) && scale > 0) await preparePackStore(store, pack, { scale, seed });
    else await migratePack(store, pack);
  }
  return store;
}
