import { ImportError } from "./errors.js";

/** One data record of a CSV file: its cells by header, and where it starts in the file. */
export interface CsvRecord {
  /** 1-based line of the file where the record starts (a quoted newline makes records span lines). */
  line: number;
  /** Cell text by header name; a missing trailing cell is `""`. */
  cells: Record<string, string>;
}

/** A parsed CSV file. */
export interface CsvTable {
  file: string;
  /** Header names as written (trimmed), in file order. */
  headers: string[];
  records: CsvRecord[];
}

/** Options of `readCsv`. */
export interface ReadCsvOptions {
  /** Field delimiter. Default: `,`, or `;` / tab when the header line has more of those than commas. */
  delimiter?: string;
}

/**
 * Reads CSV text per RFC 4180, with what real exports add: a UTF-8 byte-order mark, CRLF or LF
 * line ends, quoted cells holding delimiters, quotes (`""`) and newlines, blank lines (skipped)
 * and short records (missing cells are blank). The first record is the header.
 * Throws `ImportError` `csv_malformed` with file, line and column on an unterminated quote, a
 * character after a closing quote, a record with more cells than the header, a blank or repeated
 * header name, or a file without a header.
 */
export function readCsv(file: string, text: string, options: ReadCsvOptions = {}): CsvTable {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const delimiter = options.delimiter ?? sniffDelimiter(body);
  const rows = tokenize(file, body, delimiter);
  const head = rows.shift();
  if (!head)
    throw new ImportError("csv_malformed", `${file}: the file is empty; expected a header line.`, { file });
  const headers = head.cells.map((h) => h.trim());
  const seen = new Map<string, number>();
  headers.forEach((name, index) => {
    const where = { file, line: head.line, column: columnLabel(index) };
    if (name === "") {
      throw new ImportError(
        "csv_malformed",
        `${file}:${head.line}: header cell ${index + 1} is blank; every column needs a name.`,
        where,
      );
    }
    if (seen.has(name)) {
      throw new ImportError(
        "csv_malformed",
        `${file}:${head.line}: header "${name}" appears twice (cells ${(seen.get(name) ?? 0) + 1} and ${index + 1}); rename one.`,
        where,
      );
    }
    seen.set(name, index);
  });
  const records: CsvRecord[] = [];
  for (const row of rows) {
    if (row.cells.length > headers.length) {
      throw new ImportError(
        "csv_malformed",
        `${file}:${row.line}: ${row.cells.length} cells but the header has ${headers.length}; quote cells that contain "${delimiter}".`,
        { file, line: row.line, column: columnLabel(headers.length) },
      );
    }
    const cells: Record<string, string> = {};
    headers.forEach((name, index) => {
      cells[name] = row.cells[index] ?? "";
    });
    records.push({ line: row.line, cells });
  }
  return { file, headers, records };
}

/** Spreadsheet-style column label of a 0-based cell index (`A`, `B`, … `AA`), as users see it. */
export function columnLabel(index: number): string {
  let label = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    label = String.fromCharCode(65 + ((n - 1) % 26)) + label;
  }
  return label;
}

/**
 * Writes records as RFC 4180 CSV (CRLF line ends; cells quoted only when they hold a quote, the
 * delimiter, CR or LF, or leading/trailing spaces). `readCsv` of the result gives the records back.
 */
export function writeCsv(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  delimiter = ",",
): string {
  const cell = (value: string) =>
    /["\r\n]/.test(value) || value.includes(delimiter) || value !== value.trim()
      ? `"${value.replaceAll('"', '""')}"`
      : value;
  return [headers, ...rows].map((row) => row.map(cell).join(delimiter)).join("\r\n") + "\r\n";
}

function sniffDelimiter(text: string): string {
  const end = text.search(/\r?\n/);
  const first = end === -1 ? text : text.slice(0, end);
  const count = (d: string) => first.split(d).length - 1;
  const best = [",", ";", "\t"].sort((a, b) => count(b) - count(a))[0] ?? ",";
  return count(best) > 0 ? best : ",";
}

interface RawRow {
  line: number;
  cells: string[];
}

function tokenize(file: string, text: string, delimiter: string): RawRow[] {
  const rows: RawRow[] = [];
  let cells: string[] = [];
  let cell = "";
  let line = 1;
  let rowLine = 1;
  let i = 0;
  let cellStart = true;
  let quotedInRow = false;
  const endRow = () => {
    cells.push(cell);
    // A blank line (one empty cell) is no record; `""` on a line is one blank cell.
    if (quotedInRow || !(cells.length === 1 && cells[0] === "")) rows.push({ line: rowLine, cells });
    cells = [];
    cell = "";
    cellStart = true;
    quotedInRow = false;
  };
  while (i < text.length) {
    const ch = text[i] as string;
    if (cellStart && ch === '"') {
      const openLine = line;
      quotedInRow = true;
      i++;
      for (;;) {
        if (i >= text.length) {
          throw new ImportError(
            "csv_malformed",
            `${file}:${openLine}: a quoted cell (column ${columnLabel(cells.length)}) is never closed; close it with " or escape quotes inside as "".`,
            { file, line: openLine, column: columnLabel(cells.length) },
          );
        }
        const c = text[i] as string;
        if (c === '"') {
          if (text[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === "\n") line++;
        cell += c;
        i++;
      }
      cellStart = false;
      const next = text[i];
      if (next !== undefined && next !== delimiter && next !== "\r" && next !== "\n") {
        throw new ImportError(
          "csv_malformed",
          `${file}:${line}: unexpected ${JSON.stringify(next)} after the closing quote of column ${columnLabel(cells.length)}; a quote inside a quoted cell is written "".`,
          { file, line, column: columnLabel(cells.length) },
        );
      }
      continue;
    }
    if (ch === delimiter) {
      cells.push(cell);
      cell = "";
      cellStart = true;
      i++;
      continue;
    }
    if (ch === "\r" || ch === "\n") {
      endRow();
      i += ch === "\r" && text[i + 1] === "\n" ? 2 : 1;
      line++;
      rowLine = line;
      continue;
    }
    cell += ch;
    cellStart = false;
    i++;
  }
  if (cell !== "" || cells.length > 0 || !cellStart) endRow();
  return rows;
}
