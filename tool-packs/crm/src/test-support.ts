// Test helper (not exported from the package): a CRM store seeded from a small world, an
// in-memory MCP client over it, and the same world for independent expectations.
import { ERROR_CODE_META, preparePackStore, type Store } from "@toolpacks/pack-kit";
import { openSqliteStore } from "@toolpacks/pack-kit/node";
import { connectPackClient, type PackClient } from "@toolpacks/pack-kit/testing";
import { createWorld, type World } from "@toolpacks/world";
import { pack } from "./pack.js";

/** What a test sees of one tool call. */
export interface CallOutcome<T = Record<string, unknown>> {
  isError: boolean;
  /** `structuredContent` (the typed answer). */
  data: T;
  text: string;
  /** Stable error code for tool errors. */
  code: string | undefined;
  meta: Record<string, unknown>;
}

/** A seeded CRM under test. */
export interface CrmUnderTest {
  store: Store;
  world: World;
  client: PackClient;
  // biome-ignore lint/suspicious/noExplicitAny: tests read answers field by field.
  call<T = any>(
    tool: string,
    args: Record<string, unknown>,
    meta?: Record<string, unknown>,
  ): Promise<CallOutcome<T>>;
  close(): Promise<void>;
}

/** Opens an in-memory store seeded with the world `(scale, seed)` and connects a client. */
export async function openCrm(scale = 5_000, seed = 3): Promise<CrmUnderTest> {
  const store = openSqliteStore(":memory:");
  await preparePackStore(store, pack, { scale, seed });
  const client = await connectPackClient(pack, { store, budget: "error" });
  return {
    store,
    world: createWorld({ scale, seed }),
    client,
    async call(tool, args, meta) {
      const result = await client.call(tool, args, meta);
      const m = (result._meta ?? {}) as Record<string, unknown>;
      return {
        isError: result.isError === true,
        data: result.structuredContent as never,
        text: result.content.map((c) => (c.type === "text" ? c.text : "")).join(""),
        code: m[ERROR_CODE_META] as string | undefined,
        meta: m,
      };
    },
    async close() {
      await client.close();
      await store.close();
    },
  };
}

/** Calls a paged tool until next_cursor is null and returns every item of `field`. */
export async function walkPages<T>(
  crm: CrmUnderTest,
  tool: string,
  args: Record<string, unknown>,
  field: string,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 10_000; page++) {
    const { data, isError, text } = await crm.call(tool, cursor ? { ...args, cursor } : args);
    if (isError) throw new Error(`${tool} failed: ${text}`);
    items.push(...(data[field] as T[]));
    cursor = data["next_cursor"] ?? undefined;
    if (!cursor) return items;
  }
  throw new Error(`${tool} never ended its pages`);
}
