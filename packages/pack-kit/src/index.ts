// Public surface of @toolpacks/pack-kit: runs anywhere (Node, Workers, browsers).
// Node-only code is in ./node, Workers-only in ./workers, the conformance kit in ./testing.

export { type Moves, MovesSchema } from "@toolpacks/moves";
export { appendAll } from "./collections/append-all.js";
export * from "./connect/index.js";
export { PackKitError, ToolError } from "./errors.js";
export {
  BUDGET_META,
  DRY_RUN_META,
  ERROR_CODE_META,
  IDEMPOTENCY_KEY_META,
  KIND_META,
  MOVED_META,
  MOVES_META,
  PRINCIPAL_META,
  REPLAYED_META,
  SCOPE_META,
  TOKENS_META,
  TRIMMED_META,
} from "./meta-keys.js";
export {
  currencyBasis,
  currencyInName,
  type FieldUse,
  fieldConflicts,
  fieldUses,
  isMoneyField,
  moneyFieldProblems,
  toolJsonSchemas,
} from "./money/fields.js";
export {
  REPORTING_CURRENCY_FIELD,
  reportingCurrencySchema,
  type ToUsd,
  UsdTotals,
  usdConversionRule,
  usdOfTotals,
} from "./money/reporting.js";
export {
  definePack,
  type IdentitySource,
  type Migration,
  type PackDefinition,
  type PackSpec,
  type SeedOptions,
} from "./pack/define-pack.js";
export {
  decodeCursor,
  encodeCursor,
  nextCursorSchema,
  type Page,
  type PageRequest,
  type PageShapeOptions,
  pageInputShape,
  queryPage,
} from "./pagination/cursor.js";
export {
  addDays,
  daysBetween,
  monthPeriod,
  type Period,
  periodOutput,
  periodSchema,
  quarterPeriod,
  resolvePeriod,
  trailingDays,
} from "./periods/periods.js";
export { estimateTokens, fitToBudget } from "./server/budget.js";
export { MAX_PLANS } from "./server/call-tool.js";
export { createPackServer, type PackServerOptions } from "./server/create-pack-server.js";
export { type SqlFragments, sqlFor } from "./store/dialect.js";
export {
  type InsertRowsOptions,
  insertRows,
  TableWriter,
  type TableWriterOptions,
} from "./store/insert-rows.js";
export { ensureKitTables, KIT_TABLE_COLUMNS, KIT_TABLES } from "./store/kit-tables.js";
export { AS_OF_KEY, getAsOf, getMeta, setAsOf, setMeta } from "./store/meta.js";
export { migratePack, preparePackStore, seedWorld } from "./store/migrate.js";
export {
  type RollupKey,
  type RollupSpec,
  rollupMigration,
  rollupPruneSql,
  rollupUpsertSql,
  type TriggerRow,
} from "./store/rollup-migration.js";
export {
  type StatementRollupSpec,
  statementRollupTriggersMigration,
} from "./store/rollup-statement-triggers.js";
export {
  listTables,
  readTableShape,
  type TableColumn,
  type TableForeignKey,
  type TableShape,
} from "./store/table-shape.js";
export {
  type ColumnKind,
  type ColumnType,
  defineTables,
  integer,
  type RowOf,
  type RowsOf,
  real,
  type TableColumns,
  type TableDeclarations,
  text,
} from "./store/tables.js";
export {
  type ReadStore,
  type Row,
  type RunResult,
  readOnlyView,
  type SqlDialect,
  type SqlValue,
  type Statement,
  type Store,
} from "./store/types.js";
export * from "./sync/index.js";
export { defineTool, defineWriteTool } from "./tool/define-tool.js";
export { packNameProblem, toolNameProblem } from "./tool/naming.js";
export type {
  AnyToolDefinition,
  ObjectSchema,
  PlannedWrite,
  ReadToolDefinition,
  ReadToolSpec,
  ToolAnnotations,
  ToolContext,
  WritePlan,
  WriteToolDefinition,
  WriteToolSpec,
} from "./tool/types.js";
