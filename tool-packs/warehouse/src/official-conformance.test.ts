import { describeOfficialConformance } from "@toolpacks/pack-kit/testing";
import { pack } from "./pack.js";
import { TEST_WORLD } from "./testing/seeded-warehouse.js";

describeOfficialConformance(pack, TEST_WORLD);
