/**
 * Test suites for executors, usable from any vitest/jest-style runner (including inside
 * workerd): `runExecutorConformance(makeExecutor, { describe, it, expect })` and
 * `runHostileSuite(makeExecutor, { describe, it, expect })`.
 */
export { runExecutorConformance } from "./executors/conformance/conformance.js";
export {
  createFakeToolHost,
  FAKE_BINDINGS,
  type FakeToolHost,
  type ProgramRun,
  runProgram,
  TEST_LIMITS,
  type TestApi,
} from "./executors/conformance/harness.js";
export {
  HOSTILE_PROGRAMS,
  type HostileProgram,
  type HostileSuiteOptions,
  parseHostileProgram,
  runHostileSuite,
} from "./executors/conformance/hostile/suite.js";
