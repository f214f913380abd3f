// Size of a typical answer of every billing tool, in o200k_base tokens (js-tiktoken), on a
// seeded world. Writes run as dry runs so the store is unchanged. Usage (from the repo root):
//   npx -y pnpm@10 exec tsx tool-packs/billing/bench/answer-sizes.ts --scale 100000
import { parseArgs } from "node:util";
import { preparePackStore } from "@toolpacks/pack-kit";
import { openSqliteStore } from "@toolpacks/pack-kit/node";
import { connectPackClient } from "@toolpacks/pack-kit/testing";
import { getEncoding } from "js-tiktoken";
import { pack } from "../src/pack.js";

const { values } = parseArgs({
  options: { scale: { type: "string", default: "100000" }, seed: { type: "string", default: "1" } },
});
const store = openSqliteStore();
await preparePackStore(store, pack, { scale: Number(values.scale), seed: Number(values.seed) });
const client = await connectPackClient(pack, { store });
const encoder = getEncoding("o200k_base");
const ids = (await store.all<{ id: string }>("SELECT id FROM billing_accounts ORDER BY id LIMIT 20")).map(
  (r) => r.id,
);
const open = await store.first<{ id: string; currency: string }>(
  "SELECT id, currency FROM billing_invoices WHERE amount_minor > amount_paid_minor + amount_credited_minor ORDER BY id LIMIT 1",
);
const account = await store.first<{ id: string; currency: string }>(
  "SELECT id, currency FROM billing_accounts ORDER BY id LIMIT 1",
);
const calls: Array<[string, Record<string, unknown>]> = [
  ["mrr_summary", {}],
  ["list_subscriptions", {}],
  ["list_subscriptions", { limit: 20 }],
  ["ar_aging", {}],
  ["overdue_invoices", {}],
  ["customer_balance", { account_id: ids[2] }],
  ["revenue_by_period", {}],
  ["dunning_candidates", {}],
  ["check_overdue_accounts", { account_ids: ids }],
  ["get_invoice", { invoice_id: open?.id }],
  [
    "invoice_order",
    {
      order_id: "SO-9999999",
      account_id: account?.id,
      currency: account?.currency,
      lines: [{ sku: "SKU-00001", quantity: 2, net_unit_price_minor: 1_500 }],
      total_minor: 3_000,
    },
  ],
  ["record_payment", { invoice_id: open?.id, amount_minor: 100, currency: open?.currency }],
  [
    "issue_credit_note",
    { invoice_id: open?.id, amount_minor: 100, currency: open?.currency, reason: "goodwill" },
  ],
];
console.log("| tool | arguments | tokens |\n| --- | --- | --- |");
for (const [tool, args] of calls) {
  const result = await client.call(tool, args, { "toolpacks.dev/dryRun": true });
  if (result.isError) throw new Error(`${tool}: ${JSON.stringify(result.content)}`);
  const text = result.content.map((c) => (c.type === "text" ? c.text : "")).join("");
  console.log(`| ${tool} | \`${JSON.stringify(args).slice(0, 60)}\` | ${encoder.encode(text).length} |`);
}
await client.close();
await store.close();
