// Connectors and file imports: the seam through which a pack's tables fill from real systems.
export {
  type ColumnAliases,
  type ExportKind,
  type RecognisedExport,
  RecordReader,
  type ResolvedColumns,
  readCsvFiles,
  recogniseExport,
  requireColumns,
  resolveColumns,
} from "./columns.js";
export { type CsvRecord, type CsvTable, columnLabel, type ReadCsvOptions, readCsv, writeCsv } from "./csv.js";
export { type ParseDateOptions, type ParsedDate, parseDate } from "./dates.js";
export { CellError, ImportError, type SourceLocation } from "./errors.js";
export {
  buildIdentityMap,
  formatIdentityReport,
  IDENTITY_KEYS,
  type IdentityCluster,
  type IdentityKey,
  type IdentityMatch,
  type IdentityPair,
  type IdentityRecord,
  lookupIdentity,
  matchIdentities,
  normalizeIdentityKey,
  readIdentityPairs,
  resolveIdentities,
  saveIdentityMap,
} from "./identity.js";
export { compileJsonPath } from "./json-path.js";
export {
  type FieldMapping,
  fieldMappingSchema,
  type ImportMapping,
  importMappingSchema,
  parseImportMapping,
  type TableMapping,
  tableMappingSchema,
} from "./mapping.js";
export { MAPPING_FORMATS, mappingConnector } from "./mapping-connector.js";
export {
  formatMoney,
  isCurrencyCode,
  type Money,
  minorDigits,
  type ParseMoneyOptions,
  parseMoney,
} from "./money.js";
export {
  holdsImportedData,
  provenanceAsOf,
  readProvenance,
  type TableProvenance,
  trackedTables,
  trackProvenance,
  WORLD_SYSTEM,
} from "./provenance.js";
export type { KeptRow } from "./removals.js";
export { importFormats, resolveConnector } from "./resolve-connector.js";
export {
  formatImportReport,
  type ImportReport,
  type RowChange,
  type RunImportOptions,
  runImport,
  type TableImportReport,
} from "./run-import.js";
export type {
  Connector,
  ConnectorWrite,
  DomainRow,
  PullBatch,
  PullRequest,
  PushResult,
  RejectedRow,
  RowOrigin,
  SourceFile,
} from "./types.js";
export { defineVocabulary, type Vocabulary, type VocabularySpec, vocabularyKey } from "./vocabulary.js";
