/** Where in a source file a problem is: 1-based line, spreadsheet column label or header name. */
export interface SourceLocation {
  file?: string;
  line?: number;
  column?: string;
}

/**
 * Errors of importing: a malformed file, a bad mapping, an unknown format, a store that cannot take
 * the import. `code` is stable; the message says what failed, where, and how to fix it. Per-row
 * problems are not thrown: they are reported as rejected rows (see `RejectedRow`).
 */
export class ImportError extends Error {
  override readonly name = "ImportError";
  /** Stable, snake_case reason, e.g. `csv_malformed`, `invalid_mapping`, `store_holds_world`. */
  readonly code: string;
  readonly location: SourceLocation;

  constructor(
    code: string,
    message: string,
    location: SourceLocation = {},
    options: { cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.location = location;
  }
}

/**
 * A value a cell cannot hold (a malformed amount, date or stage). Parsers throw it; connectors
 * turn it into a rejected row with the file, line and column they know.
 */
export class CellError extends Error {
  override readonly name = "CellError";
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}
