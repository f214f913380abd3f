// Runnable: `npx -y pnpm@10 exec tsx packages/pack-template/examples/summary.ts`
// Seeds the pack in memory, connects an MCP client in-process and asks for the summary.
import { Client, InMemoryTransport } from "@modelcontextprotocol/client";
import { createPackServer, preparePackStore } from "@toolpacks/pack-kit";
import { openSqliteStore } from "@toolpacks/pack-kit/node";
import { pack } from "@toolpacks/starter";

const store = openSqliteStore(); // in memory; pass a file path to keep it
await preparePackStore(store, pack, { scale: 2_000, seed: 1 });

const client = new Client({ name: "starter-example", version: "1.0.0" });
const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
await createPackServer(pack, { store }).connect(serverSide);
await client.connect(clientSide);

const summary = await client.callTool({ name: "starter_summary", arguments: { limit: 3 } });
console.log(JSON.stringify(summary.structuredContent));
await client.close();
