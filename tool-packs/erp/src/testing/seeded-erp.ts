import { openSeededClient, type SeededClient } from "@toolpacks/pack-kit/testing";
import { createWorld, type World } from "@toolpacks/world";
import { pack } from "../pack.js";

/** The small world every ERP test runs on (same seed and scale as the store). */
export const TEST_WORLD = { scale: 2_000, seed: 1 } as const;

/** The kit's seeded client over the ERP pack, plus the world the store was seeded from. */
export interface SeededErp extends SeededClient {
  world: World;
}

/**
 * Seeds the test world into a fresh in-memory store and connects an MCP client to the ERP pack.
 * Answers over budget fail (the kit's `"error"` mode), and so does any unexpected handler error:
 * it is rethrown instead of becoming an `internal_error` answer a test might not look at.
 */
export async function seededErp(): Promise<SeededErp> {
  const seeded = await openSeededClient(pack, TEST_WORLD, {
    onError: (e) => {
      throw e;
    },
  });
  return Object.assign(seeded, { world: createWorld(TEST_WORLD) });
}

/** Groups rows by a key (Map.groupBy is ES2024, beyond the repo's lib setting). */
export function groupBy<T>(rows: Iterable<T>, key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}
