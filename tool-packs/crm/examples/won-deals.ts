// Runnable: `npx -y pnpm@10 exec tsx tool-packs/crm/examples/won-deals.ts`
// Seeds a CRM from the shared world, connects an MCP client in-process, asks for the open
// pipeline, then walks every deal won in June 2026 with its line items (the first step of
// order-to-cash) using next_cursor.
import { Client, InMemoryTransport } from "@modelcontextprotocol/client";
import { pack } from "@toolpacks/crm";
import { createPackServer, preparePackStore } from "@toolpacks/pack-kit";
import { openSqliteStore } from "@toolpacks/pack-kit/node";

const store = openSqliteStore(); // in memory; pass a file path to keep it
await preparePackStore(store, pack, { scale: 10_000, seed: 1 });

const client = new Client({ name: "won-deals-example", version: "1.0.0" });
const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
await createPackServer(pack, { store }).connect(serverSide);
await client.connect(clientSide);

const pipeline = await client.callTool({ name: "pipeline_summary", arguments: {} });
const { totals } = pipeline.structuredContent as { totals: { deals: number; amount_minor: number } };

interface WonDeal {
  id: string;
  account_id: string;
  lines: Array<{ sku: string; quantity: number }>;
}
const won: WonDeal[] = [];
let cursor: string | undefined;
do {
  const page = await client.callTool({
    name: "deals_closed",
    arguments: { period: "2026-06", limit: 15, ...(cursor ? { cursor } : {}) },
  });
  const answer = page.structuredContent as { deals: WonDeal[]; next_cursor: string | null };
  won.push(...answer.deals);
  cursor = answer.next_cursor ?? undefined;
} while (cursor);

console.log(
  JSON.stringify({
    open_pipeline: totals,
    won_in_june: won.length,
    units_to_ship: won.flatMap((d) => d.lines).reduce((sum, line) => sum + line.quantity, 0),
    first: won[0],
  }),
);
await client.close();
await store.close();
