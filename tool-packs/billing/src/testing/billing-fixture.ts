import type { Store } from "@toolpacks/pack-kit";
import { openSeededClient, type SeededClient } from "@toolpacks/pack-kit/testing";
import { createWorld, type World } from "@toolpacks/world";
import { pack } from "../pack.js";

/** The small world the behaviour tests run on (fast to seed, every table populated). */
export const TEST_WORLD = { scale: 10_000, seed: 7 } as const;

/** The kit's seeded client over the billing pack, plus the world the store was seeded from. */
export interface BillingFixture extends SeededClient {
  world: World;
}

/** Opens a fresh store seeded with `TEST_WORLD` and connects a client that refuses over-budget answers. */
export async function openBillingFixture(): Promise<BillingFixture> {
  const seeded = await openSeededClient(pack, TEST_WORLD);
  return Object.assign(seeded, { world: createWorld(TEST_WORLD) });
}

/**
 * A view of `store` whose first `n` batches wait until all `n` are pending, so `n` racing calls
 * all plan before any commits: what D1 or several server instances allow, and what one
 * in-process node:sqlite store never shows by itself (each call plans and commits in one go).
 */
export function holdBatches(store: Store, n: number): Store {
  let held = 0;
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    ...store,
    async batch(statements) {
      if (held < n && ++held === n) release();
      await gate;
      return store.batch(statements);
    },
  };
}
