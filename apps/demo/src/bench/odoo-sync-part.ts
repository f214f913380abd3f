// The ERP pack keeps its Odoo sync benchmark next to its sources (tool-packs/erp/bench), with the
// local fake Odoo JSON-2 server it runs against; the demo runs it beside Stripe's.
import {
  measureOdooSync,
  type OdooSyncThroughput,
} from "../../../../tool-packs/erp/bench/sync-throughput.js";
import type { Progress } from "../progress/progress.js";
import { formatInt, markdownTable, type Table } from "../report/table.js";
import type { ReportPart } from "../report/write-report.js";

/** First load and increments side by side, in records read and rows written per second. */
export function odooSyncTable(t: OdooSyncThroughput): Table {
  const row = (what: string, r: OdooSyncThroughput["firstLoad"]) => [
    what,
    formatInt(r.objects),
    formatInt(r.rows),
    formatInt(r.requests),
    (r.ms / 1000).toFixed(2),
    formatInt(r.objectsPerSecond),
    formatInt(r.rowsPerSecond),
  ];
  return {
    header: ["run", "Odoo records read", "rows written", "HTTP requests", "seconds", "records/s", "rows/s"],
    rows: [
      row("first load (search_read, keyset pages)", t.firstLoad),
      row("incremental (write_date cursors + deletion sweep)", t.incremental),
    ],
  };
}

/** Runs `sync odoo` against the local fake: first load, then a batch of changes. */
export async function runOdooSyncPart(options: {
  orders: number;
  changes: number;
  progress: Progress;
  command: string;
}): Promise<{ result: OdooSyncThroughput; table: Table; report: ReportPart }> {
  const step = options.progress.step(
    `Odoo sync against a local fake (${options.orders} sales orders, ${options.changes} changes)`,
  );
  const result = await measureOdooSync({ orders: options.orders, changes: options.changes });
  step.done();
  const table = odooSyncTable(result);
  const markdown = [
    "# API sync throughput (Odoo JSON-2, local fake)",
    "",
    `Command: \`${options.command}\`. \`toolpacks-erp sync odoo\` through the pack's JSON-2 client against the`,
    "local fake Odoo (`tool-packs/erp/src/testing/fake-odoo.ts`, loopback HTTP) into in-memory SQLite:",
    `${options.orders} sales orders of two lines, ${Math.floor(options.orders / 5)} purchase orders, ${Math.floor(options.orders / 4)} customers,`,
    "20 vendors and 200 products, read with `search_read` in pages of 200 ordered by (write_date, id), each page",
    `committed with its cursor; then ${options.changes} changes (edited, cancelled and new sales orders) read from`,
    "the saved cursors, plus the sweep that lists every order reference to find deletions. The fake's own cost",
    "is included; Odoo's latency (and a hosted database's request limits) add to it.",
    "",
    markdownTable(table),
    "",
  ].join("\n");
  return {
    result,
    table,
    report: {
      name: "api-sync-odoo",
      data: result,
      markdown,
      charts: [
        {
          id: "throughput",
          chart: {
            title: "Odoo sync throughput",
            unit: "rows/s",
            categories: ["first load", "incremental"],
            series: [
              { name: "rows/s", values: [result.firstLoad.rowsPerSecond, result.incremental.rowsPerSecond] },
            ],
          },
        },
      ],
    },
  };
}
