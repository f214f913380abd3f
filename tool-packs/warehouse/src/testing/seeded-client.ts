import { preparePackStore, type Store } from "@toolpacks/pack-kit";
import { openSqliteStore } from "@toolpacks/pack-kit/node";
import { connectPackClient, type PackClient } from "@toolpacks/pack-kit/testing";
import { createWorld, type World } from "@toolpacks/world";
import { pack } from "../pack.js";

/** The small world every warehouse test runs on (same seed and scale as the store). */
export const TEST_WORLD = { scale: 2_000, seed: 1 } as const;

/** A seeded in-memory store, a connected client and the world it was seeded from. */
export interface SeededWarehouse {
  store: Store;
  client: PackClient;
  world: World;
  /** Calls a tool and returns its structured answer; throws with the text when it is a tool error. */
  ask<T = Record<string, unknown>>(
    tool: string,
    args?: Record<string, unknown>,
    meta?: Record<string, unknown>,
  ): Promise<T>;
  /** Calls a tool that must fail; returns its error code and text. */
  fail(
    tool: string,
    args: Record<string, unknown>,
    meta?: Record<string, unknown>,
  ): Promise<{ code: string; text: string }>;
  close(): Promise<void>;
}

/** Seeds the test world into a fresh in-memory store and connects an MCP client to the warehouse pack. */
export async function seededWarehouse(): Promise<SeededWarehouse> {
  const store = openSqliteStore();
  await preparePackStore(store, pack, TEST_WORLD);
  // "error" budget mode: an answer over its budget fails the test instead of being trimmed.
  const client = await connectPackClient(pack, {
    store,
    budget: "error",
    onError: (e) => {
      throw e;
    },
  });
  const text = (r: { content?: unknown }) => (r.content as Array<{ text: string }>)[0]?.text ?? "";
  return {
    store,
    client,
    world: createWorld(TEST_WORLD),
    async ask(tool, args = {}, meta) {
      const result = await client.call(tool, args, meta);
      if (result.isError) throw new Error(`${tool} failed: ${text(result)}`);
      return result.structuredContent as never;
    },
    async fail(tool, args, meta) {
      const result = await client.call(tool, args, meta);
      if (!result.isError) throw new Error(`${tool} unexpectedly succeeded: ${text(result)}`);
      return { code: String(result._meta?.["toolpacks.dev/errorCode"]), text: text(result) };
    },
    async close() {
      await client.close();
      await store.close();
    },
  };
}

/** Groups rows by a key (Map.groupBy is ES2024, beyond the repo's lib setting). */
export function groupBy<T>(rows: Iterable<T>, key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}
