/** A table of already formatted cells; the first row is the header. */
export interface Table {
  header: string[];
  rows: string[][];
  /** Columns aligned right (numbers); by index. */
  numeric?: number[];
}

const escapeCell = (cell: string) => cell.replaceAll("|", "\\|").replaceAll("\n", " ");

/** Renders a table as GitHub-flavoured Markdown, numbers right-aligned. */
export function markdownTable(table: Table): string {
  const numeric = new Set(table.numeric ?? []);
  const align = table.header.map((_, i) => (numeric.has(i) ? "---:" : "---"));
  const line = (cells: string[]) => `| ${cells.map(escapeCell).join(" | ")} |`;
  return [line(table.header), `| ${align.join(" | ")} |`, ...table.rows.map(line)].join("\n");
}

/** Renders a table for a terminal: padded columns, numbers right-aligned. */
export function textTable(table: Table): string {
  const numeric = new Set(table.numeric ?? []);
  const all = [table.header, ...table.rows];
  const widths = table.header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (numeric.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [line(table.header), rule, ...table.rows.map(line)].join("\n");
}

/** Formats an integer with thousands separators (1,234,567). */
export const formatInt = (n: number) => Math.round(n).toLocaleString("en-US");

/** Formats a ratio 0..1 as a percentage with one decimal (97.3%). */
export const formatPercent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;

/** Formats milliseconds with a precision that suits the size (0.042 ms, 3.1 ms, 1,204 ms). */
export function formatMs(ms: number): string {
  if (ms < 1) return `${ms.toFixed(3)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  return `${formatInt(ms)} ms`;
}
