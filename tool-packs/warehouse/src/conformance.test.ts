import { describePackConformance } from "@toolpacks/pack-kit/testing";
import { pack } from "./pack.js";
import { TEST_WORLD } from "./testing/seeded-warehouse.js";

// The kit's checks on every tool (names, schemas, annotations, budgets, read-only reads, hostile
// input, dry runs, idempotency), on the same world the behaviour tests use.
describePackConformance(pack, { world: TEST_WORLD });
