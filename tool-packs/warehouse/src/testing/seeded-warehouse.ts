import type { Store } from "@toolpacks/pack-kit";
import { openSeededClient, type SeededClient } from "@toolpacks/pack-kit/testing";
import { createWorld, type World } from "@toolpacks/world";
import { pack } from "../pack.js";

/** The small world every warehouse test runs on (same seed and scale as the store). */
export const TEST_WORLD = { scale: 2_000, seed: 1 } as const;

/** The kit's seeded client over the warehouse pack, plus the world the store was seeded from. */
export interface SeededWarehouse extends SeededClient {
  world: World;
}

/**
 * Seeds the test world into a fresh in-memory store and connects an MCP client to the warehouse
 * pack. Answers over budget fail (the kit's `"error"` mode), and so does any unexpected handler
 * error: it is rethrown instead of becoming an `internal_error` answer a test might not look at.
 */
export async function seededWarehouse(): Promise<SeededWarehouse> {
  const seeded = await openSeededClient(pack, TEST_WORLD, {
    onError: (e) => {
      throw e;
    },
  });
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
