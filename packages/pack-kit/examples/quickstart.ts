// A pack with one read tool and one write tool, served to an in-process MCP client.
// Run it: npx -y pnpm@10 exec tsx packages/pack-kit/examples/quickstart.ts
import {
  definePack,
  defineTool,
  defineWriteTool,
  IDEMPOTENCY_KEY_META,
  preparePackStore,
  setAsOf,
  ToolError,
} from "@toolpacks/pack-kit";
import { openSqliteStore } from "@toolpacks/pack-kit/node";
import { connectPackClient } from "@toolpacks/pack-kit/testing";
import { z } from "zod";

const stockLevel = defineTool({
  name: "stock_level",
  title: "Stock level",
  description:
    "Looks up the on-hand quantity of one SKU. Returns the SKU, units on hand and whether it is low.",
  input: z.object({
    sku: z
      .string()
      .regex(/^SKU-\d+$/)
      .describe("product SKU, e.g. SKU-1"),
  }),
  output: z.object({ as_of: z.string(), sku: z.string(), on_hand: z.number().int(), low: z.boolean() }),
  scope: "stock:read",
  budgetTokens: 100,
  examples: [{ sku: "SKU-1" }],
  async handler({ sku }, { store, asOf }) {
    const row = await store.first<{ on_hand: number }>("SELECT on_hand FROM stock WHERE sku = ?", [sku]);
    if (!row) throw new ToolError("not_found", `No SKU ${sku} in stock.`, { fix: "check the SKU." });
    return { as_of: asOf, sku, on_hand: row.on_hand, low: row.on_hand < 10 };
  },
});

const receive = defineWriteTool({
  name: "receive_stock",
  title: "Receive stock",
  description: "Adds received units to a SKU. Returns the SKU and its new on-hand quantity.",
  input: z.object({
    sku: z
      .string()
      .regex(/^SKU-\d+$/)
      .describe("product SKU"),
    units: z.number().int().min(1).max(10_000).describe("units received"),
  }),
  output: z.object({ sku: z.string(), on_hand: z.number().int() }),
  scope: "stock:write",
  budgetTokens: 100,
  // What one call moves, for money budgets: receiving stock moves no money.
  moves: { none: true },
  destructive: false,
  idempotent: false,
  examples: [{ sku: "SKU-1", units: 5 }],
  async handler({ sku, units }, { store }) {
    const row = await store.first<{ on_hand: number }>("SELECT on_hand FROM stock WHERE sku = ?", [sku]);
    if (!row) throw new ToolError("not_found", `No SKU ${sku} in stock.`, { fix: "check the SKU." });
    // Plan, do not write: the kit runs the statements atomically, once per idempotency key.
    return {
      result: { sku, on_hand: row.on_hand + units },
      writes: [
        {
          sql: "UPDATE stock SET on_hand = on_hand + ? WHERE sku = ?",
          params: [units, sku],
          change: `${sku}: +${units} units`,
        },
      ],
    };
  },
});

const stockPack = definePack({
  name: "stock",
  version: "0.1.0",
  title: "Stock",
  description: "On-hand stock per SKU.",
  tools: [stockLevel, receive],
  migrations: [
    { id: "0001_stock", statements: ["CREATE TABLE stock (sku TEXT PRIMARY KEY, on_hand INTEGER NOT NULL)"] },
  ],
  async seed(store) {
    await store.batch([{ sql: "INSERT INTO stock VALUES ('SKU-1', 8), ('SKU-2', 40)" }]);
    await setAsOf(store, "2025-12-31");
  },
});

const store = openSqliteStore(); // in memory; pass a path for a file
await preparePackStore(store, stockPack, { scale: 1000, seed: 1 }); // migrate + seed when empty
const pack = await connectPackClient(stockPack, { store });

const level = await pack.call("stock_level", { sku: "SKU-1" });
console.log("stock_level:", JSON.stringify(level.structuredContent));

const key = { [IDEMPOTENCY_KEY_META]: "receipt-42" };
const first = await pack.call("receive_stock", { sku: "SKU-1", units: 5 }, key);
const retry = await pack.call("receive_stock", { sku: "SKU-1", units: 5 }, key);
console.log("receive_stock:", JSON.stringify(first.structuredContent));
console.log("retry replayed:", retry._meta?.["toolpacks.dev/replayed"] === true);

const bad = await pack.call("receive_stock", { sku: "SKU-1", units: 0 });
console.log("bad input:", (bad.content[0] as { text: string }).text);

await pack.close();
await store.close();
