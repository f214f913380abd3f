// The warehouse pack keeps its sync benchmark next to its sources (tool-packs/warehouse/bench),
// with the local fake Shopify it runs against; the demo runs it from there.
import {
  measureShopifySync,
  type ShopifySyncRunFigure,
  type ShopifySyncThroughput,
} from "../../../../tool-packs/warehouse/bench/sync-throughput.js";
import type { Progress } from "../progress/progress.js";
import { formatInt, markdownTable, type Table } from "../report/table.js";
import type { ReportPart } from "../report/write-report.js";

/** Options of the Shopify API-sync part. */
export interface ShopifySyncPartOptions {
  variants: number;
  locations: number;
  changes: number;
  progress: Progress;
  command: string;
}

/** First load and increments side by side. */
export function shopifySyncTable(t: ShopifySyncThroughput): Table {
  const row = (what: string, r: ShopifySyncRunFigure) => [
    what,
    formatInt(r.objects),
    formatInt(r.rows),
    formatInt(r.requests),
    (r.ms / 1000).toFixed(2),
    formatInt(r.objectsPerSecond),
  ];
  return {
    header: ["run", "Shopify records read", "rows", "HTTP requests", "seconds", "records/s"],
    rows: [
      row("first load (bulk operation, JSONL streamed)", t.firstLoad),
      row("incremental (updated_at queries)", t.incremental),
    ],
  };
}

/** Runs `sync shopify` against the local fake: first load, then a batch of changes. */
export async function runShopifySyncPart(
  options: ShopifySyncPartOptions,
): Promise<{ result: ShopifySyncThroughput; table: Table; report: ReportPart }> {
  const step = options.progress.step(
    `Shopify sync against a local fake (${options.variants} variants at ${options.locations} locations, ${options.changes} changes)`,
  );
  const result = await measureShopifySync({
    variants: options.variants,
    locations: options.locations,
    changes: options.changes,
  });
  step.done();
  const table = shopifySyncTable(result);
  const markdown = [
    "# API sync throughput (Shopify, local fake)",
    "",
    `Command: \`${options.command}\`. \`toolpacks-warehouse sync shopify\` through the official`,
    "`@shopify/admin-api-client` against the local fake Admin GraphQL API",
    "(`tool-packs/warehouse/src/testing/fake-shopify.ts`, loopback HTTP) into in-memory SQLite:",
    `${options.variants} variants stocked at each of ${options.locations} locations, loaded through one bulk operation`,
    "(polled, its JSONL streamed, 250 lines per committed page); then",
    `${options.changes} changes (quantities at a location; one in four a renamed product) read through`,
    "`updated_at:>=` queries paged with `endCursor`. This is the pack's own cost; Shopify's bulk",
    "operation run time, latency and GraphQL cost budget add to it.",
    "",
    markdownTable(table),
    "",
  ].join("\n");
  return {
    result,
    table,
    report: {
      name: "api-sync-shopify",
      data: result,
      markdown,
      charts: [
        {
          id: "throughput",
          chart: {
            title: "Shopify sync throughput",
            unit: "records/s",
            categories: ["first load", "incremental"],
            series: [
              {
                name: "records/s",
                values: [result.firstLoad.objectsPerSecond, result.incremental.objectsPerSecond],
              },
            ],
          },
        },
      ],
    },
  };
}
