// The runtime keeps its governed-write benchmark next to the governance sources; the demo runs it
// from there, like the sandbox part.
import {
  benchGovernedWrites,
  type GovernedWriteRow,
} from "../../../../packages/runtime/src/governance/bench/overhead.js";
import type { Progress } from "../progress/progress.js";
import { markdownTable, type Table } from "../report/table.js";
import type { ReportPart } from "../report/write-report.js";

/** Options of the governed-write part. */
export interface GovernancePartOptions {
  /** Sequential calls per configuration (the file-sink rows use a quarter). */
  calls: number;
  progress: Progress;
  command: string;
}

const ms = (n: number) => n.toFixed(3);

/** Each configuration with its per-call p50 and p99. */
export function governanceTable(rows: readonly GovernedWriteRow[]): Table {
  return {
    header: ["setup", "calls", "p50 ms per write", "p99 ms per write"],
    rows: rows.map((r) => [r.setup, String(r.calls), ms(r.p50Ms), ms(r.p99Ms)]),
    numeric: [1, 2, 3],
  };
}

/** The governed write with the in-memory audit sink: governance's own cost, without the disk. */
export function governedWriteFigure(rows: readonly GovernedWriteRow[]): GovernedWriteRow | undefined {
  return rows.find((r) => r.setup.includes("memory audit sink"));
}

/** Runs the governed-write benchmark and turns it into a table and a report. */
export async function runGovernancePart(
  options: GovernancePartOptions,
): Promise<{ rows: GovernedWriteRow[]; table: Table; report: ReportPart }> {
  const step = options.progress.step(`governed-write overhead (${options.calls} calls per setup)`);
  const rows = await benchGovernedWrites({ calls: options.calls });
  step.done();
  const table = governanceTable(rows);
  const memory = governedWriteFigure(rows);
  const markdown = [
    "# Governed-write overhead",
    "",
    `Command: \`${options.command}\`. Measured by the runtime's benchmark module`,
    "(`packages/runtime/src/governance/bench/overhead.ts`): one write call as the sandbox sends it,",
    "through the host bridge (decode, canonical call, middleware, encode) with the MCP server replaced",
    "by an instant answer. Governance is policy, budgets, the SHA-256 digest and idempotency key,",
    "redaction and the write-ahead audit: the intent record written (and, for the file sink, synced",
    "with fdatasync) before the call is sent, the outcome record after. The file rows therefore pay",
    "two disk syncs per call; in parallel, concurrent records share a sync (group commit).",
    "",
    markdownTable(table),
    "",
    memory
      ? `Governed write with write-ahead audit in memory: p50 ${ms(memory.p50Ms)} ms, p99 ${ms(memory.p99Ms)} ms.`
      : "",
    "",
  ].join("\n");
  return {
    rows,
    table,
    report: {
      name: "governed-write-overhead",
      data: rows,
      markdown,
      charts: [
        {
          id: "per-write",
          chart: {
            title: "Per governed write",
            unit: "ms",
            log: true,
            categories: rows.map((r) => r.setup),
            series: [
              { name: "p50", values: rows.map((r) => r.p50Ms) },
              { name: "p99", values: rows.map((r) => r.p99Ms) },
            ],
          },
        },
      ],
    },
  };
}
