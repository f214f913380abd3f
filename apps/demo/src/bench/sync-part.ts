// The billing pack keeps its sync benchmark next to its sources (tool-packs/billing/bench), with
// the local fake Stripe it runs against; the demo runs it from there.
import {
  measureStripeSync,
  type SyncThroughput,
} from "../../../../tool-packs/billing/bench/sync-throughput.js";
import {
  type HubSpotSyncThroughput,
  measureHubSpotSync,
} from "../../../../tool-packs/crm/bench/sync-throughput.js";
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

/** First load and increments side by side, per system. */
export function syncTable(t: SyncThroughput, h?: HubSpotSyncThroughput): Table {
  const row = (what: string, r: { objects: number; rows: number; requests: number; ms: number }) => [
    what,
    formatInt(r.objects),
    formatInt(r.rows),
    formatInt(r.requests),
    (r.ms / 1000).toFixed(2),
    formatInt(r.objects / (r.ms / 1000)),
    formatInt(r.rows / (r.ms / 1000)),
  ];
  return {
    header: ["run", "objects read", "rows", "HTTP requests", "seconds", "objects/s", "rows/s"],
    rows: [
      row("Stripe first load (list auto-pagination)", t.firstLoad),
      row("Stripe incremental (Events API)", t.incremental),
      ...(h
        ? [
            row("HubSpot first load (list after-paging)", h.firstLoad),
            row("HubSpot incremental (search API)", h.incremental),
          ]
        : []),
    ],
  };
}

/** Runs `sync stripe` against the local fake: first load, then a batch of changes. */
export async function runSyncPart(
  options: SyncPartOptions,
): Promise<{ result: SyncThroughput; hubspot: HubSpotSyncThroughput; table: Table; report: ReportPart }> {
  const step = options.progress.step(
    `Stripe sync against a local fake (${options.customers} customers, ${options.changes} changes)`,
  );
  const result = await measureStripeSync({ customers: options.customers, changes: options.changes });
  step.done();
  const hubspotStep = options.progress.step(
    `HubSpot sync against a local fake (${options.customers / 2} companies, ${options.changes} changes)`,
  );
  const hubspot = await measureHubSpotSync({ companies: options.customers / 2, changes: options.changes });
  hubspotStep.done();
  const table = syncTable(result, hubspot);
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
    `\`toolpacks-crm sync hubspot\` through the official \`@hubspot/api-client\` against the local fake HubSpot API`,
    `(\`tool-packs/crm/src/testing/fake-hubspot.ts\`): ${options.customers / 2} companies, each with a contact and two deals`,
    "(one won, with a line item), loaded with the list API's `after` paging (100 per page); then",
    `${options.changes} changed deals and companies read through the search API. HubSpot's latency and its`,
    "ten-second burst limit (100 to 190 requests per 10 s per private app) and search limit (5 requests/s) add to it.",
    "",
    markdownTable(table),
    "",
  ].join("\n");
  return {
    result,
    hubspot,
    table,
    report: {
      name: "api-sync",
      data: { stripe: result, hubspot },
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
