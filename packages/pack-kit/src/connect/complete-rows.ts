import type { PackDefinition } from "../pack/define-pack.js";
import { CellError } from "./errors.js";
import type { DomainRow, RejectedRow } from "./types.js";

/**
 * Runs the pack's `completeRow` over rows from a connector (file import or API sync). A row the
 * pack refuses with a `CellError` is left out and reported in `rejections`, unless it is a stub
 * (a placeholder another row needed), whose refusal the row that needed it already reports.
 */
export function completeRows(
  pack: PackDefinition,
  rows: DomainRow[],
  rejections: RejectedRow[],
): DomainRow[] {
  if (!pack.completeRow) return rows;
  const out: DomainRow[] = [];
  for (const row of rows) {
    try {
      out.push({ ...row, values: pack.completeRow(row.table, { ...row.values }) });
    } catch (error) {
      if (!(error instanceof CellError)) throw error;
      if (!row.stub) rejections.push({ ...row.origin, reason: error.message });
    }
  }
  return out;
}
