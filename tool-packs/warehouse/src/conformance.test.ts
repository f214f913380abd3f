import { describePackConformance } from "@toolpacks/pack-kit/testing";
import { pack } from "./pack.js";
import { FULL_PAGES_WORLD, fullPageCalls } from "./testing/full-pages.js";
import { TEST_WORLD } from "./testing/seeded-warehouse.js";

// The kit's checks on every tool (names, schemas, annotations, budgets, read-only reads, hostile
// input, dry runs, idempotency), on the same world the behaviour tests use; largest pages on a
// 10^5-row world, where every paged tool's pages fill up, with the id and line lists full.
describePackConformance(pack, {
  world: TEST_WORLD,
  fullPages: { world: FULL_PAGES_WORLD, calls: fullPageCalls() },
});
