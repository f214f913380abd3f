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
  type SessionOptions,
} from "./conformance-world.js";
export { connectPackClient, type PackClient } from "./connect.js";
export {
  describeOfficialConformance,
  REQUIRED_OFFICIAL_SCENARIOS,
  REQUIRED_OFFICIAL_SCENARIOS_BY_REVISION,
} from "./describe-official-conformance.js";
export { describePackConformance, type PackConformanceOptions } from "./describe-pack-conformance.js";
export { syncFixtureFiles } from "./fixture-files.js";
export {
  checkFullPages,
  countUpIds,
  type FullPageCall,
  fullPageCalls,
  unbudgetedPack,
} from "./full-pages.js";
export { holdBatches } from "./hold-batches.js";
export {
  addFixtureDays,
  type CsvRenderOptions,
  type DateStyle,
  FIXTURE_EXPONENTS,
  type FixtureCompany,
  type FixtureRandom,
  fixtureCompanies,
  fixtureRandom,
  type MoneyStyle,
  renderCsv,
  renderMoment,
  renderMoney,
  rowOf,
} from "./import-fixtures.js";
export {
  type AnswerMeasurement,
  type AnswerMeasurements,
  answersTable,
  type MeasureAnswersOptions,
  measureAnswers,
  type TypicalCall,
} from "./measure-answers.js";
export { type ColumnShape, migratedShapes, type SchemaShape, schemaShape } from "./migrations-agree.js";
export {
  CONFORMANCE_REVISIONS,
  CONFORMANCE_RUNNERS,
  type ConformanceRevision,
  clientScenarios,
  conformanceBin,
  DEFAULT_EXPECTED_FAILURES_FILE,
  expectedFailuresFile,
  type OfficialClientConformanceOptions,
  type OfficialConformanceOptions,
  type OfficialConformanceResult,
  parseConformanceOutput,
  readExpectedFailures,
  requiredScenarios,
  runConformanceCli,
  runOfficialClientConformance,
  runOfficialConformance,
} from "./official-conformance.js";
export { type ConformanceCounts, conformanceCounts, scoredScenarios } from "./official-conformance-counts.js";
export type { PostgresTestServerInfo } from "./postgres-global-setup.js";
export { findPostgresBin, type PostgresServer, startPostgresServer } from "./postgres-server.js";
export {
  dropPostgresTestDatabase,
  openPostgresTestStore,
  type PostgresTestStore,
  postgresTestServer,
} from "./postgres-test-store.js";
export {
  describeReadmeAnswers,
  type ReadmeAnswer,
  type ReadmeAnswersOptions,
  readmeAnswers,
} from "./readme-answers.js";
export {
  checkRollupMatchesRecomputation,
  type RollupPropertyOptions,
  type RollupRows,
} from "./rollup-property.js";
export {
  openSeededClient,
  type SeededClient,
  type SeededClientOptions,
  type ToolOutcome,
} from "./seeded-client.js";
export { fileDigest, snapshotStore } from "./snapshot.js";
export { checkTablesMatchMigrations, tableProblems } from "./tables-agree.js";
export { openTestStore, testStoreDialect } from "./test-store.js";
