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
