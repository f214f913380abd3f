import type { CallToolResult } from "@modelcontextprotocol/server";
import { PackKitError } from "../errors.js";
import { ERROR_CODE_META } from "../meta-keys.js";
import type { PackDefinition, SeedOptions } from "../pack/define-pack.js";
import type { PackServerOptions } from "../server/create-pack-server.js";
import { preparePackStore } from "../store/migrate.js";
import type { Store } from "../store/types.js";
import { connectPackClient, type PackClient } from "./connect.js";
import { openTestStore } from "./test-store.js";

/** What a test sees of one tool call, flattened from the MCP result. */
// biome-ignore lint/suspicious/noExplicitAny: tests read answers field by field; callers narrow with T.
export interface ToolOutcome<T = any> {
  isError: boolean;
  /** `structuredContent`: the typed answer (undefined on a tool error). */
  data: T;
  /** Every text block joined: the JSON answer, or the error message a model reads. */
  text: string;
  /** The stable error code (`toolpacks.dev/errorCode`) of a tool error; undefined on success. */
  code: string | undefined;
  /** The result's `_meta` (replayed, dry run, trimmed, error code...). */
  meta: Record<string, unknown>;
}

/** Options of `openSeededClient`: server options (budget defaults to `"error"`) plus the store. */
export interface SeededClientOptions extends Omit<PackServerOptions, "store"> {
  /**
   * The store to migrate, seed (when the pack has not seeded it yet) and serve. Default: a fresh
   * store of the suite's dialect (`openTestStore`: in-memory SQLite unless
   * `TOOLPACKS_TEST_STORE=postgres`), closed by `close()`; a store passed here stays open.
   */
  store?: Store;
}

/** A pack seeded into a store, with an in-process MCP client over it. */
export interface SeededClient {
  store: Store;
  client: PackClient;
  /** Calls a tool and returns its outcome, error or not. */
  // biome-ignore lint/suspicious/noExplicitAny: see ToolOutcome.
  call<T = any>(
    tool: string,
    args?: Record<string, unknown>,
    meta?: Record<string, unknown>,
  ): Promise<ToolOutcome<T>>;
  /** Calls a tool that must answer; returns its structured answer. Throws PackKitError `tool_failed` (with the tool's message) on a tool error. */
  ask<T = Record<string, unknown>>(
    tool: string,
    args?: Record<string, unknown>,
    meta?: Record<string, unknown>,
  ): Promise<T>;
  /** Calls a tool that must fail; returns the outcome (`code`, `text`). Throws PackKitError `tool_answered` when it answered. */
  fail(
    tool: string,
    args?: Record<string, unknown>,
    meta?: Record<string, unknown>,
  ): Promise<ToolOutcome<undefined>>;
  /**
   * Follows `next_cursor` from the first page until it is null and returns every item of the
   * array `field`. Throws PackKitError `tool_failed`, `not_a_page` (no such array) or
   * `too_many_pages` (still a cursor after `maxPages`, default 10,000).
   */
  pages<T>(tool: string, args: Record<string, unknown>, field: string, maxPages?: number): Promise<T[]>;
  /** Closes the client, and the store when the helper opened it. */
  close(): Promise<void>;
}

function outcome(result: CallToolResult): ToolOutcome {
  const meta = (result._meta ?? {}) as Record<string, unknown>;
  const code = meta[ERROR_CODE_META];
  return {
    isError: result.isError === true,
    data: result.structuredContent,
    text: result.content.map((c) => (c.type === "text" ? c.text : "")).join(""),
    code: typeof code === "string" ? code : undefined,
    meta,
  };
}

/**
 * Seeds `pack` with the world `(scale, seed)` into a store (a fresh one of the suite's dialect by
 * default) and connects an MCP client over the full protocol path, for behaviour tests. Budgets
 * run in `"error"` mode unless `options.budget` says otherwise, so an answer over its budget
 * fails the test instead of being trimmed. Needs Node (node:sqlite) for the default store.
 */
export async function openSeededClient(
  pack: PackDefinition,
  world: SeedOptions,
  options: SeededClientOptions = {},
): Promise<SeededClient> {
  const { store: given, ...server } = options;
  const store = given ?? (await openTestStore());
  let client: PackClient;
  try {
    await preparePackStore(store, pack, world);
    client = await connectPackClient(pack, { budget: "error", ...server, store });
  } catch (error) {
    if (!given) await store.close();
    throw error;
  }
  const call = async (tool: string, args: Record<string, unknown> = {}, meta?: Record<string, unknown>) =>
    outcome(await client.call(tool, args, meta));
  return {
    store,
    client,
    call,
    async ask(tool, args, meta) {
      const result = await call(tool, args, meta);
      if (result.isError)
        throw new PackKitError("tool_failed", `${tool} failed (${result.code}): ${result.text}`);
      return result.data;
    },
    async fail(tool, args, meta) {
      const result = await call(tool, args, meta);
      if (!result.isError) {
        throw new PackKitError("tool_answered", `${tool} was expected to fail but answered: ${result.text}`);
      }
      return result;
    },
    async pages<T>(tool: string, args: Record<string, unknown>, field: string, maxPages = 10_000) {
      const items: T[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < maxPages; page++) {
        const result = await call(tool, cursor ? { ...args, cursor } : args);
        if (result.isError) {
          throw new PackKitError(
            "tool_failed",
            `${tool} failed on page ${page + 1} (${result.code}): ${result.text}`,
          );
        }
        const list = result.data?.[field];
        if (!Array.isArray(list)) {
          throw new PackKitError(
            "not_a_page",
            `${tool} answered without an array "${field}": ${result.text}`,
          );
        }
        items.push(...(list as T[]));
        cursor = result.data.next_cursor ?? undefined;
        if (!cursor) return items;
      }
      throw new PackKitError(
        "too_many_pages",
        `${tool} still had a next_cursor after ${maxPages} pages: the cursor may not advance. Check the tool's paging, or raise maxPages.`,
      );
    },
    async close() {
      await client.close();
      if (!given) await store.close();
    },
  };
}
