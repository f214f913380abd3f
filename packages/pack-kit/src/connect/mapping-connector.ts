import type { SqlValue } from "../store/types.js";
import { RecordReader } from "./columns.js";
import { readCsv } from "./csv.js";
import { parseDate } from "./dates.js";
import { CellError, ImportError } from "./errors.js";
import { compileJsonPath } from "./json-path.js";
import type { FieldMapping, ImportMapping, TableMapping } from "./mapping.js";
import { parseMoney } from "./money.js";
import type { Connector, DomainRow, PullBatch, SourceFile } from "./types.js";
import { vocabularyKey } from "./vocabulary.js";

/** The kit's own formats, which every pack takes with a mapping file. */
export const MAPPING_FORMATS = ["csv", "json"] as const;

/** One source record: how to read a cell, and where the record is. */
interface SourceRecord {
  line: number;
  get(from: string): string;
}

/**
 * The `csv` or `json` connector for a mapping file: each table mapping reads the files it matches
 * (`file`), one source record per row; `line` is the CSV line, or the 1-based record number in a
 * JSON file (whose `column` is then the JSONPath). Throws `ImportError` `invalid_mapping` when the
 * mapping has no `system` or no tables, several tables without `file` patterns, or a file no table
 * matches.
 */
export function mappingConnector(format: "csv" | "json", mapping: ImportMapping): Connector {
  const system = mapping.system;
  if (!system) {
    throw new ImportError(
      "invalid_mapping",
      `The ${format} format needs "system" in the mapping file: the source's name, e.g. "legacy-crm".`,
    );
  }
  if (mapping.tables.length === 0) {
    throw new ImportError(
      "invalid_mapping",
      `The ${format} format needs "tables" in the mapping file: which table each file fills.`,
    );
  }
  if (mapping.tables.length > 1 && mapping.tables.some((t) => t.file === undefined)) {
    throw new ImportError(
      "invalid_mapping",
      `The mapping has ${mapping.tables.length} tables: give each a "file" name or pattern so every file fills one.`,
    );
  }
  return {
    name: format,
    system,
    description: `${format.toUpperCase()} files read through a mapping file`,
    *pull({ files }) {
      for (const file of files) {
        const tables = mapping.tables.filter((t) => t.file === undefined || fileMatches(t.file, file.name));
        if (tables.length === 0) {
          throw new ImportError(
            "invalid_mapping",
            `No table in the mapping takes ${file.name}; the "file" patterns are ${mapping.tables.map((t) => JSON.stringify(t.file)).join(", ")}.`,
            { file: file.name },
          );
        }
        for (const table of tables) yield readTable(format, system, table, file);
      }
    },
  };
}

function fileMatches(pattern: string, name: string): boolean {
  const base = name.split(/[\\/]/).at(-1) ?? name;
  const regex = new RegExp(
    `^${pattern
      .split("*")
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
    "i",
  );
  return regex.test(base) || regex.test(name);
}

function records(format: "csv" | "json", table: TableMapping, file: SourceFile): SourceRecord[] {
  if (format === "csv") {
    const csv = readCsv(file.name, file.text);
    const wanted = [table.id, ...Object.values(table.fields).flatMap(sourceColumns)];
    const missing = wanted.filter((c) => !csv.headers.includes(c));
    if (missing.length > 0) {
      throw new ImportError(
        "missing_columns",
        `${file.name} has no column ${missing.map((m) => JSON.stringify(m)).join(", ")} named in the mapping for ${table.table}. Found: ${csv.headers.join(", ")}.`,
        { file: file.name, line: 1 },
      );
    }
    return csv.records.map((r) => ({ line: r.line, get: (from) => r.cells[from] ?? "" }));
  }
  let json: unknown;
  try {
    json = JSON.parse(file.text.charCodeAt(0) === 0xfeff ? file.text.slice(1) : file.text);
  } catch (error) {
    throw new ImportError(
      "json_malformed",
      `${file.name} is not JSON: ${error instanceof Error ? error.message : String(error)}.`,
      { file: file.name },
    );
  }
  const list = table.records ? compileJsonPath(table.records)(json) : Array.isArray(json) ? json : [json];
  const items = list.length === 1 && Array.isArray(list[0]) ? (list[0] as unknown[]) : list;
  const cache = new Map<string, (v: unknown) => unknown[]>();
  return items.map((item, index) => ({
    line: index + 1,
    get: (from) => {
      let path = cache.get(from);
      if (!path) {
        path = compileJsonPath(from);
        cache.set(from, path);
      }
      const [value] = path(item);
      if (value === undefined || value === null) return "";
      if (typeof value === "object")
        throw new CellError("invalid_value", `${from} holds an object or list, not a value.`);
      return String(value);
    },
  }));
}

function sourceColumns(field: FieldMapping): string[] {
  if (typeof field === "string") return [field];
  return [field.from, field.currencyFrom].filter((c): c is string => c !== undefined);
}

function readTable(format: "csv" | "json", system: string, table: TableMapping, file: SourceFile): PullBatch {
  const reader = new RecordReader();
  const rows: DomainRow[] = [];
  const prefix = table.idPrefix ?? `${system}:`;
  for (const record of records(format, table, file)) {
    const row = reader.read(file.name, record.line, (at) => {
      const sourceId = at(table.id, () => {
        const id = record.get(table.id).trim();
        if (id === "") throw new CellError("missing_id", "the source id is blank; every record needs one.");
        return id;
      });
      const values: Record<string, SqlValue> = { id: `${prefix}${sourceId}` };
      const columns: Record<string, string> = {};
      for (const [column, field] of Object.entries(table.fields)) {
        const spec = typeof field === "string" ? { from: field, type: "text" as const } : field;
        if (spec.from !== undefined) columns[column] = spec.from;
        values[column] = at(spec.from, () => readField(spec, record));
      }
      return {
        table: table.table,
        values,
        sourceId,
        origin: { file: file.name, line: record.line },
        columns,
      };
    });
    if (row) rows.push(row);
  }
  return { rows, rejected: reader.rejected };
}

type FieldSpec = Exclude<FieldMapping, string> | { from: string; type: "text" };

function readField(spec: FieldSpec, record: SourceRecord): SqlValue {
  const full = spec as Exclude<FieldMapping, string>;
  let text = full.value !== undefined ? String(full.value) : record.get(spec.from as string).trim();
  if (text === "" && full.default !== undefined) text = String(full.default);
  if (text === "") return null;
  if (full.values) {
    const hit = Object.entries(full.values).find(([k]) => vocabularyKey(k) === vocabularyKey(text));
    if (!hit) {
      throw new CellError(
        "unknown_value",
        `unknown value ${JSON.stringify(text.slice(0, 60))}; known: ${Object.keys(full.values).join(", ")}. Add it to "values" in the mapping file.`,
      );
    }
    text = hit[1];
  }
  switch (spec.type) {
    case "integer": {
      if (!/^-?\d+$/.test(text.replaceAll(",", "")))
        throw new CellError("invalid_integer", `${JSON.stringify(text.slice(0, 40))} is not a whole number.`);
      const n = Number(text.replaceAll(",", ""));
      if (!Number.isSafeInteger(n))
        throw new CellError("invalid_integer", `${text.slice(0, 40)} is too large.`);
      return n;
    }
    case "money": {
      const currency =
        full.currency ?? (full.currencyFrom ? record.get(full.currencyFrom).trim() : undefined);
      return parseMoney(text, {
        ...(currency ? { currency } : {}),
        ...(full.decimal ? { decimal: full.decimal } : {}),
      }).minor;
    }
    case "date":
      return parseDate(text, full.dateOrder ? { order: full.dateOrder } : {}).date;
    case "timestamp": {
      const parsed = parseDate(text, full.dateOrder ? { order: full.dateOrder } : {});
      return parsed.timestamp ?? `${parsed.date}T00:00:00.000Z`;
    }
    default:
      return `${full.prefix ?? ""}${text}`;
  }
}
