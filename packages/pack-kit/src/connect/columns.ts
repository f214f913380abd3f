import { type CsvTable, readCsv } from "./csv.js";
import { CellError, ImportError } from "./errors.js";
import type { RejectedRow, SourceFile } from "./types.js";
import { vocabularyKey } from "./vocabulary.js";

/**
 * Which header names a field may have in an export: the documented internal name first, then
 * the labels exports show. Matching ignores case, spaces and punctuation.
 */
export type ColumnAliases<F extends string> = Readonly<Record<F, readonly string[]>>;

/** The header each field was found under (undefined when the export lacks it). */
export type ResolvedColumns<F extends string> = Readonly<Record<F, string | undefined>>;

/** Finds each field's header in `headers` by its aliases (first alias that matches wins). */
export function resolveColumns<F extends string>(
  headers: readonly string[],
  aliases: ColumnAliases<F>,
): ResolvedColumns<F> {
  const byKey = new Map(headers.map((h) => [vocabularyKey(h), h] as const));
  const out = {} as Record<F, string | undefined>;
  for (const field of Object.keys(aliases) as F[]) {
    out[field] = aliases[field].map((a) => byKey.get(vocabularyKey(a))).find((h) => h !== undefined);
  }
  return out;
}

/**
 * Throws `ImportError` `missing_columns` when any of `required` fields has no header in the file,
 * naming the names it looked for and the headers it found.
 */
export function requireColumns<F extends string>(
  table: CsvTable,
  resolved: ResolvedColumns<F>,
  aliases: ColumnAliases<F>,
  required: readonly F[],
  what: string,
): void {
  const missing = required.filter((f) => resolved[f] === undefined);
  if (missing.length === 0) return;
  throw new ImportError(
    "missing_columns",
    `${table.file} does not look like ${what}: no ${missing
      .map(
        (f) =>
          `"${aliases[f][0]}" (or ${aliases[f]
            .slice(1)
            .map((a) => `"${a}"`)
            .join(", ")})`,
      )
      .join("; no ")} column. Found: ${table.headers.slice(0, 30).join(", ")}.`,
    { file: table.file, line: 1 },
  );
}

/**
 * Reads source records one at a time, turning a `CellError` thrown while reading a cell into a
 * rejected row with file, line and the column (header) being read.
 */
export class RecordReader {
  readonly rejected: RejectedRow[] = [];

  /**
   * Runs `read` with `at(column, fn)`: evaluates `fn` attributing any `CellError` to `column`.
   * Returns undefined (and records the rejection) when a cell was bad.
   */
  read<T>(
    file: string,
    line: number,
    read: (at: <V>(column: string | undefined, fn: () => V) => V) => T,
  ): T | undefined {
    let current: string | undefined;
    const at = <V>(column: string | undefined, fn: () => V): V => {
      current = column;
      const value = fn();
      current = undefined;
      return value;
    };
    try {
      return read(at);
    } catch (error) {
      if (!(error instanceof CellError)) throw error;
      this.rejected.push({ file, line, ...(current ? { column: current } : {}), reason: error.message });
      return undefined;
    }
  }
}

/** Reads every file as CSV (see `readCsv`). */
export function readCsvFiles(files: readonly SourceFile[]): CsvTable[] {
  return files.map((f) => readCsv(f.name, f.text));
}
