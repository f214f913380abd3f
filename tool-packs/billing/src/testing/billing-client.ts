import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { preparePackStore, type Store } from "@toolpacks/pack-kit";
import { openSqliteStore } from "@toolpacks/pack-kit/node";
import { connectPackClient, type PackClient } from "@toolpacks/pack-kit/testing";
import { createWorld, type World } from "@toolpacks/world";
import { pack } from "../pack.js";

/** The small world the behaviour tests run on (fast to seed, every table populated). */
export const TEST_WORLD = { scale: 10_000, seed: 7 } as const;

/** A seeded in-memory billing store with a connected MCP client, for tests. */
export interface BillingFixture {
  store: Store;
  client: PackClient;
  world: World;
  /** Calls a tool and returns its structured answer; throws with the tool's message on a tool error. */
  ok<T = Record<string, unknown>>(
    tool: string,
    args?: Record<string, unknown>,
    meta?: Record<string, unknown>,
  ): Promise<T>;
  /** Calls a tool that must fail and returns its error code and message. */
  fail(
    tool: string,
    args?: Record<string, unknown>,
    meta?: Record<string, unknown>,
  ): Promise<{ code: string; message: string }>;
  close(): Promise<void>;
}

function text(result: CallToolResult): string {
  return result.content.map((c) => (c.type === "text" ? c.text : "")).join("");
}

/** Opens a fresh store seeded with `TEST_WORLD` and connects a client that refuses over-budget answers. */
export async function openBillingFixture(): Promise<BillingFixture> {
  const store = openSqliteStore();
  await preparePackStore(store, pack, TEST_WORLD);
  const client = await connectPackClient(pack, { store, budget: "error" });
  return {
    store,
    client,
    world: createWorld(TEST_WORLD),
    async ok(tool, args = {}, meta) {
      const result = await client.call(tool, args, meta);
      if (result.isError) throw new Error(`${tool} failed: ${text(result)}`);
      return result.structuredContent as never;
    },
    async fail(tool, args = {}, meta) {
      const result = await client.call(tool, args, meta);
      if (!result.isError) throw new Error(`${tool} was expected to fail but answered ${text(result)}`);
      return { code: String(result._meta?.["toolpacks.dev/errorCode"]), message: text(result) };
    },
    async close() {
      await client.close();
      await store.close();
    },
  };
}
