import type { KeptRow } from "../connect/removals.js";
import type { DomainRow, PushResult, RejectedRow } from "../connect/types.js";
import type { ReadStore } from "../store/types.js";

/**
 * One page a sync source yields: rows of the pack's tables, the records it could not read, and
 * the cursor of its stream AFTER these rows. The runner commits the rows and the cursor in one
 * transaction, so a crash between pages resumes after the last committed page: no row is
 * skipped (the cursor never runs ahead of the rows) and none is applied twice (rows are upserts
 * on their primary key, and the cursor never lags behind committed rows).
 */
export interface SyncPage {
  /** The cursor's name, e.g. `customers` (first load of a table) or `events` (increments). */
  stream: string;
  /** The stream's position after this page (opaque to the runner: an id, a timestamp, JSON). */
  cursor: string;
  rows: DomainRow[];
  rejected: RejectedRow[];
  /**
   * Rows the source no longer holds (deleted there, or now out of the pack's model, e.g. a
   * cancelled order), by table and primary key: deleted in the page's transaction, before its
   * rows are written, in the order listed (list children before their parents). Only rows this
   * source system filled (or the pack's write tools wrote, after writing them back to it) are
   * deleted; a key the store lacks is ignored.
   */
  removed?: Array<{ table: string; key: string }>;
  /**
   * Rows the source no longer holds that the source leaves in the store on purpose (local history
   * still refers to them), each with why: not changed, only reported (`SyncReport.kept`), so the
   * user sees which stored rows are gone at the source.
   */
  kept?: KeptRow[];
}

/** What a sync source is asked for. */
export interface SyncRequest {
  /** Every stream's saved cursor (missing: never synced), from `_sync_state`. */
  cursors: ReadonlyMap<string, string>;
  /** Aborted when the user stops the sync (Ctrl-C in `--watch`). */
  signal?: AbortSignal;
  /**
   * The store being synced, read-only: for a source that must compare what the store holds with
   * what it holds itself (deletions an updated-since query cannot show).
   */
  store?: ReadStore;
}

/**
 * A write to send back to the source system before the store records it: the write tool, its
 * validated arguments, the answer it planned (what the store will hold after it) and the planned
 * statements' one-line changes.
 */
export interface SourceWrite {
  tool: string;
  args: Record<string, unknown>;
  result: Record<string, unknown>;
  changes: readonly string[];
}

/**
 * A system of record a pack stays in sync with through its API (Stripe, HubSpot …): `pull`
 * yields pages in the order they must be applied; `push` (optional) applies one of the pack's
 * writes at the source first, at most once per idempotency key.
 */
export interface SyncSource {
  /** The source system recorded in provenance (`stripe`), as in `toolpacks-<pack> sync stripe`. */
  readonly system: string;
  /** The streams the source keeps cursors for, in the order a first load fills them. */
  readonly streams: readonly string[];
  pull(request: SyncRequest): AsyncIterable<SyncPage>;
  /**
   * Applies `write` at the source, sending `idempotencyKey` so a retry is applied once. Throws
   * `SyncError` `source_refused` with the source's reason when it refuses (nothing changed),
   * and `unsupported_write` for a tool the source has no equivalent of.
   */
  readonly push?: (write: SourceWrite, idempotencyKey: string) => Promise<PushResult>;
}

/** How a pack CLI builds a sync source: names, environment variables, and a factory. */
export interface SyncSourceSpec {
  /** `toolpacks-<pack> sync <system>`: lowercase letters, digits, `-`. */
  readonly system: string;
  /** One line for `sync --help`. */
  readonly description: string;
  /** Environment variables it reads credentials from (documented; values never printed). */
  readonly env: readonly string[];
  /**
   * Builds the source. `baseUrl` overrides the vendor's API address (a local fake, a proxy);
   * `fetch`, when given, is what the source's HTTP client sends with (a Worker's outbound, a test
   * double); default the global `fetch`. Throws `SyncError` `credential_missing` naming the
   * variable when a credential is unset.
   */
  create(options: {
    env: Record<string, string | undefined>;
    baseUrl: string | undefined;
    fetch?: typeof fetch;
  }): SyncSource;
}
