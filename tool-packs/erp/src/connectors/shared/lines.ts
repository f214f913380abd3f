import { CellError, type CsvRecord, type RecordReader } from "@toolpacks/pack-kit";
import { cell, minorUnits, productCode, required, wholeUnits } from "./parse.js";
import type { LineRecord } from "./rows.js";

/**
 * Groups a one-to-many export (Odoo and Frappe write them alike): a document's row, holding its
 * first line, then the rows of its further lines, whose document columns are blank.
 */
export function groups(
  records: readonly CsvRecord[],
  idColumn: string | undefined,
): Array<{ head: CsvRecord; rows: CsvRecord[] }> {
  const out: Array<{ head: CsvRecord; rows: CsvRecord[] }> = [];
  for (const record of records) {
    if (cell(record, idColumn) !== "" || out.length === 0) out.push({ head: record, rows: [record] });
    else out.at(-1)?.rows.push(record);
  }
  return out;
}

/**
 * The lines of one order, each read at its own line of the file. Undefined when any is bad: the
 * order is then left out whole (never half its lines), and the rejection says so.
 */
export function readLines(
  rows: CsvRecord[],
  file: string,
  reader: RecordReader,
  cols: {
    lineId?: string | undefined;
    product?: string | undefined;
    quantity?: string | undefined;
    unitPrice?: string | undefined;
  },
  currency: string,
  orderId: string,
): LineRecord[] | undefined {
  const lines: LineRecord[] = [];
  for (const row of rows) {
    const line = reader.read(file, row.line, (at) => {
      const sku = at(cols.product, () => productCode(required(cell(row, cols.product), "the product")));
      const quantity = at(cols.quantity, () => wholeUnits(cell(row, cols.quantity), "quantity"));
      if (quantity === 0)
        at(cols.quantity, () => {
          throw new CellError("invalid_quantity", "the quantity is 0.");
        });
      const unitPrice = at(cols.unitPrice, () => minorUnits(cell(row, cols.unitPrice), currency));
      return {
        id: cell(row, cols.lineId) || undefined,
        sku,
        quantity,
        unitPrice,
        origin: { file, line: row.line },
      } satisfies LineRecord;
    });
    if (!line) {
      const last = reader.rejected.at(-1);
      if (last) last.reason = `${last.reason} Order ${orderId} is not imported (none of its lines are).`;
      return undefined;
    }
    lines.push(line);
  }
  return lines;
}
