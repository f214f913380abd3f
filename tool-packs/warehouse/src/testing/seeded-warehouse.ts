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
