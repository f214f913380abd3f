// Latency of every billing read tool over the full MCP path (in-memory transport), on a seeded
// SQLite file. Usage (from the repo root):
//   npx -y pnpm@10 exec tsx tool-packs/billing/bench/latency.ts --scale 1000000 --db /tmp/billing-1e6.db
// The file is seeded once and reused; the first run at 10^6 rows takes a few minutes.
import { parseArgs } from "node:util";
import { preparePackStore } from "@toolpacks/pack-kit";
import { openSqliteStore } from "@toolpacks/pack-kit/node";
import { connectPackClient } from "@toolpacks/pack-kit/testing";
import { pack } from "../src/pack.js";

const { values } = parseArgs({
  options: {
    scale: { type: "string", default: "100000" },
    seed: { type: "string", default: "1" },
    db: { type: "string" },
    runs: { type: "string", default: "50" },
  },
});
const scale = Number(values.scale);
const runs = Number(values.runs);
const store = openSqliteStore(values.db ?? `/tmp/toolpacks-billing-${scale}.db`);
const started = performance.now();
if (await preparePackStore(store, pack, { scale, seed: Number(values.seed) })) {
  console.log(`seeded scale ${scale} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
const counts = await store.first<Record<string, number>>(
  "SELECT (SELECT COUNT(*) FROM billing_invoices) AS invoices, (SELECT COUNT(*) FROM billing_payments) AS payments, (SELECT COUNT(*) FROM billing_invoice_lines) AS lines",
);
console.log(`rows: ${JSON.stringify(counts)}`);
const client = await connectPackClient(pack, { store });
const some = (await store.all<{ id: string }>("SELECT id FROM billing_accounts ORDER BY id LIMIT 100")).map(
  (r) => r.id,
);
const anInvoice = (
  await store.first<{ id: string }>(
    "SELECT id FROM billing_invoices WHERE sales_order_id IS NOT NULL LIMIT 1",
  )
)?.id;
const calls: Array<[string, Record<string, unknown>]> = [
  ["mrr_summary", {}],
  ["mrr_summary", { period: "2026-Q2" }],
  ["ar_aging", {}],
  ["overdue_invoices", {}],
  ["overdue_invoices", { sort: "days_overdue", min_days_overdue: 60 }],
  ["customer_balance", { account_id: some[2] }],
  ["revenue_by_period", {}],
  ["dunning_candidates", {}],
  ["check_overdue_accounts", { account_ids: some }],
  ["get_invoice", { invoice_id: anInvoice }],
];
const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
console.log("| tool | arguments | p50 ms | p95 ms |\n| --- | --- | --- | --- |");
for (const [tool, args] of calls) {
  const result = await client.call(tool, args);
  if (result.isError) throw new Error(`${tool}: ${JSON.stringify(result.content)}`);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await client.call(tool, args);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const shown = JSON.stringify(args)
    .replace(/"C-\d+",?/g, "")
    .replace("[]", `[${some.length} ids]`);
  console.log(`| ${tool} | \`${shown}\` | ${pct(times, 0.5).toFixed(1)} | ${pct(times, 0.95).toFixed(1)} |`);
}
await client.close();
await store.close();
