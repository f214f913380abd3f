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

/** One kind of export a connector reads, told apart from the others by its columns. */
export interface ExportKind<K extends string = string> {
  kind: K;
  columns: ColumnAliases<string>;
  /** Fields that must all have a column for a file to be this kind. */
  required: readonly string[];
  /** Fields of which at least one must have a column too (e.g. a cost or a group). */
  anyOf?: readonly string[];
}

/** A file recognised as one export kind, with the header each field was found under. */
export interface RecognisedExport<K extends string = string> {
  kind: K;
  table: CsvTable;
  at: Readonly<Record<string, string | undefined>>;
}

/**
 * Reads `file` as CSV and tells which of `kinds` it is: the first whose `required` (and one of
 * its `anyOf`) fields all have a column. Throws `ImportError` `unknown_export` naming, for each
 * kind, the documented column of every field it needs, and the headers found; `advice` says
 * where to export from (e.g. "Export with all columns from the Dashboard").
 */
export function recogniseExport<K extends string>(
  file: SourceFile,
  system: string,
  kinds: readonly ExportKind<K>[],
  advice = "",
): RecognisedExport<K> {
  const table = readCsv(file.name, file.text);
  for (const { kind, columns, required, anyOf } of kinds) {
    const at = resolveColumns(table.headers, columns);
    const has = (field: string) => at[field] !== undefined;
    if (required.every(has) && (!anyOf || anyOf.some(has))) return { kind, table, at };
  }
  const first = (k: ExportKind<K>, f: string) => k.columns[f]?.[0] ?? f;
  const needs = kinds
    .map(
      (k) =>
        `${k.kind} (${[
          ...k.required.map((f) => first(k, f)),
          ...(k.anyOf ? [k.anyOf.map((f) => first(k, f)).join(" or ")] : []),
        ].join(", ")})`,
    )
    .join("; ");
  throw new ImportError(
    "unknown_export",
    `${file.name} is not a ${system} export this connector reads.${advice ? ` ${advice}:` : ""} ${needs}. Found: ${table.headers.slice(0, 20).join(", ")}.`,
    { file: file.name, line: 1 },
  );
}

/** Reads every file as CSV (see `readCsv`). */
export function readCsvFiles(files: readonly SourceFile[]): CsvTable[] {
  return files.map((f) => readCsv(f.name, f.text));
}
