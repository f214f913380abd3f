// Test helpers for pack authors: @toolpacks/pack-kit/testing (needs vitest as a peer).
export { type BadInput, badInputs, HOSTILE_STRINGS } from "./bad-inputs.js";
export {
  checkAnnotations,
  checkBadInputs,
  checkDescription,
  checkDryRun,
  checkIdempotency,
  checkReadExamples,
  checkSchemas,
  checkToolNames,
} from "./conformance-checks.js";
export {
  type ConformanceSession,
  type ConformanceWorld,
  createConformanceWorld,
} from "./conformance-world.js";
export { connectPackClient, type PackClient } from "./connect.js";
export { describePackConformance, type PackConformanceOptions } from "./describe-pack-conformance.js";
export {
  DEFAULT_EXPECTED_FAILURES_FILE,
  type OfficialConformanceOptions,
  type OfficialConformanceResult,
  readExpectedFailures,
  runOfficialConformance,
} from "./official-conformance.js";
export { fileDigest, snapshotStore } from "./snapshot.js";
