import type { SqlValue } from "../store/types.js";
import type { PlannedWrite } from "../tool/types.js";
import type { ImportMapping } from "./mapping.js";

/** One input file of an import, already read: connectors never touch the file system. */
export interface SourceFile {
  /** The name reported in rejections (the path as the user typed it). */
  name: string;
  text: string;
  /** When the file was last modified (ISO 8601), the default `as_of` of the data it holds. */
  modifiedAt?: string;
}

/** Where a domain row came from, for rejections and change reports. */
export interface RowOrigin {
  file: string;
  /** 1-based line of the file where the source record starts. */
  line: number;
}

/**
 * One row of a pack table as a connector produced it from a source record. `values` are the
 * table's columns (the primary key included); the runner adds `source_system` / `source_id`.
 */
export interface DomainRow {
  table: string;
  values: Record<string, SqlValue>;
  /** The record's id in the source system (HubSpot Record ID, Salesforce Opportunity ID …). */
  sourceId: string;
  origin: RowOrigin;
  /** Table column -> the source column it came from, so a rejection names what the user sees. */
  columns?: Readonly<Record<string, string>>;
  /**
   * A placeholder for a row another row refers to (a company only named on a deal): inserted
   * when missing, never updating a real row, and dropped when the import holds the real one.
   */
  stub?: boolean;
  /**
   * Columns the pack recomputes after every import (`afterImport`), e.g. a cost from the items in
   * the store: written when the row is inserted, never compared with or updated from the
   * connector's value, so an export that cannot know them does not report the row as changed.
   */
  derived?: readonly string[];
}

/** A source record that was not imported, and why. */
export interface RejectedRow {
  file: string;
  line: number;
  /** The source column at fault (header name), when one is. */
  column?: string;
  reason: string;
}

/** What one `pull` step yields: rows for any of the pack's tables, and the records it rejected. */
export interface PullBatch {
  rows: DomainRow[];
  rejected: RejectedRow[];
}

/** What a connector pulls from. */
export interface PullRequest {
  /** Export files (file connectors); empty for API connectors. */
  files: readonly SourceFile[];
  /**
   * The last successful import or sync from this system into this store (ISO 8601), or undefined
   * the first time: an API connector pulls only what changed since; a file connector reads the
   * whole export (exports are full snapshots) and may ignore it.
   */
  since: string | undefined;
  /** The validated mapping file, when the user gave one (`--mapping`). */
  mapping: ImportMapping | undefined;
}

/**
 * A write to send back to the source system (part 2: API sync and write-back). The same planned
 * statement a write tool produced, so the source and the store change together.
 */
export interface ConnectorWrite {
  tool: string;
  args: Record<string, unknown>;
  writes: readonly PlannedWrite[];
}

/** What the source system answered to a pushed write. */
export interface PushResult {
  /** The source's id of the record written. */
  sourceId: string;
  /** True when the source had already applied this idempotency key (nothing written twice). */
  replayed: boolean;
}

/**
 * A source of a pack's domain rows: a file export format (hubspot, stripe …) or, later, an API.
 * A pack keeps its own tables; a connector only translates the source's records into rows of
 * them. Register connectors in the pack (`definePack({ connectors })`), one folder each.
 */
export interface Connector {
  /** Format name on the command line (`import hubspot …`): lowercase letters, digits, `-`. */
  readonly name: string;
  /** The source system recorded in provenance (`hubspot`, `salesforce`, `world` …). */
  readonly system: string;
  /** One line: which export files it reads. Shown by `import --help`. */
  readonly description: string;
  /**
   * Reads the source and yields rows of the pack's tables. Records it cannot read are yielded as
   * rejections (file, line, column, reason), never thrown; a file it cannot read at all (no header,
   * no known columns) throws `ImportError`.
   */
  pull(request: PullRequest): AsyncIterable<PullBatch> | Iterable<PullBatch>;
  /**
   * Whether a pull holds EVERY record of each table it yields non-placeholder rows for, so a row
   * imported earlier from this system that the pull lacks was deleted at the source and is
   * removed (see `runImport`). Default: true when the pull reads files (exports are full
   * snapshots), false when it reads none (an API pull of what changed `since`). Set false for an
   * export that is a filtered view (one pipeline, one date range).
   */
  readonly snapshot?: boolean;
  /**
   * Part 2 (write-back): sends one write to the source, at most once per `idempotencyKey`.
   * Absent on every file connector: the runtime refuses write-back for a connector without it.
   */
  readonly push?: (write: ConnectorWrite, idempotencyKey: string) => Promise<PushResult>;
}
