import type { SourceLocation } from "../connect/errors.js";

/**
 * Errors of syncing with a source system's API or writing back to it. `code` is stable; the
 * message says what failed, why, and how to fix it (it names the environment variable of a
 * credential, never its value).
 * - `credential_missing` / `credential_expired`: set or renew the named environment variable.
 * - `rate_limited`: the source kept answering 429 after every bounded retry.
 * - `source_unavailable`: the source kept failing (5xx, network, timeout) after every retry.
 * - `source_refused`: the source refused a request (4xx); its reason is in the message.
 * - `cursor_expired`: the saved cursor is older than the source keeps history for.
 * - `source_malformed`: the source answered something unreadable (a line of an export file that
 *   is not JSON, is cut short, or lacks a field); `location` names the file and line.
 * - `store_holds_world`, `not_tracked`, `unknown_system`: the store or pack cannot take the sync.
 * - `sync_in_progress`: another run of the same source into the same store holds its lease; this
 *   one changed nothing. `sync_lease_lost`: this run stalled past the lease and another took over.
 */
export class SyncError extends Error {
  override readonly name = "SyncError";
  readonly code: string;
  /** The HTTP status the source answered, when it answered. */
  readonly status: number | undefined;
  /** Where in what the source answered the problem is (an export file's line), when known. */
  readonly location: SourceLocation | undefined;

  constructor(
    code: string,
    message: string,
    options: { status?: number; cause?: unknown; location?: SourceLocation } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.location = options.location;
  }
}
