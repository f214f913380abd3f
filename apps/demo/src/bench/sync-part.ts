// The billing pack keeps its sync benchmark next to its sources (tool-packs/billing/bench), with
// the local fake Stripe it runs against; the demo runs it from there.
import {
  measureStripeSync,
  type SyncThroughput,
} from "../../../../tool-packs/billing/bench/sync-throughput.js";
import type { Progress } from "../progress/progress.js";
import { formatInt, markdownTable, type Table } from "../report/table.js";
import type { ReportPart } from "../report/write-report.js";

/** Options of the API-sync part. */
export interface SyncPartOptions {
  customers: number;
  changes: number;
  progress: Progress;
  command: string;
}

/** First load and increments side by side. */
export function syncTable(t: SyncThroughput): Table {
  const row = (what: string, r: SyncThroughput["firstLoad"]) => [
    what,
    formatInt(r.objects),
    formatInt(r.rows),
    formatInt(r.requests),
    (r.ms / 1000).toFixed(2),
    formatInt(r.objectsPerSecond),
  ];
  return {
    header: ["run", "Stripe objects read", "rows", "HTTP requests", "seconds", "objects/s"],
    rows: [
      row("first load (list auto-pagination)", t.firstLoad),
      row("incremental (Events API)", t.incremental),
    ],
  };
}

/** Runs `sync stripe` against the local fake: first load, then a batch of changes. */
export async function runSyncPart(
  options: SyncPartOptions,
): Promise<{ result: SyncThroughput; table: Table; report: ReportPart }> {
  const step = options.progress.step(
    `Stripe sync against a local fake (${options.customers} customers, ${options.changes} changes)`,
  );
  const result = await measureStripeSync({ customers: options.customers, changes: options.changes });
  step.done();
  const table = syncTable(result);
  const markdown = [
    "# API sync throughput (Stripe, local fake)",
    "",
    `Command: \`${options.command}\`. \`toolpacks-billing sync stripe\` through the official \`stripe\` client`,
    `against the local fake Stripe API (\`tool-packs/billing/src/testing/fake-stripe.ts\`, loopback HTTP) into`,
    `in-memory SQLite: ${options.customers} customers, each with a subscription, two invoices and one in two a payment,`,
    "loaded with list auto-pagination (100 per page, each page committed with its cursor); then",
    `${options.changes} changes (renamed customers; new invoices, each paid) read through the Events API.`,
    "This is the pack's own cost; Stripe's latency and rate limits (100 read requests/s in live mode) add to it.",
    "",
    markdownTable(table),
    "",
  ].join("\n");
  return {
    result,
    table,
    report: {
      name: "api-sync",
      data: result,
      markdown,
      charts: [
        {
          id: "throughput",
          chart: {
            title: "Stripe sync throughput",
            unit: "objects/s",
            categories: ["first load", "incremental"],
            series: [
              {
                name: "objects/s",
                values: [result.firstLoad.objectsPerSecond, result.incremental.objectsPerSecond],
              },
            ],
          },
        },
      ],
    },
  };
}
