import { McpServer, ProtocolError, ProtocolErrorCode } from "@modelcontextprotocol/server";
import { BUDGET_META, KIND_META, MOVES_META, SCOPE_META } from "../meta-keys.js";
import type { PackDefinition } from "../pack/define-pack.js";
import type { Store } from "../store/types.js";
import { estimateTokens } from "./budget.js";
import { type CallSettings, callTool } from "./call-tool.js";

/**
 * How long a 2026-07-28 client may reuse a pack's tool list and discovery answer: the same for
 * every caller (`public`) and fixed for the pack's version, so five minutes is safe across a
 * deploy. Tools are listed in the pack's declaration order, the same on every request.
 */
export const LIST_CACHE_HINT = { ttlMs: 300_000, cacheScope: "public" } as const;

/** Options of `createPackServer`. */
export interface PackServerOptions {
  /** The migrated (and usually seeded) store the tools read and write. */
  store: Store;
  /**
   * What to do with an answer over its tool's budget: `"trim"` (default, run time) drops items
   * from its largest arrays with a note; `"error"` (conformance tests) returns a tool error.
   */
  budget?: "trim" | "error";
  /** Token counter for budgets; defaults to `estimateTokens` (UTF-8 bytes / 2.8, errs high). */
  countTokens?: (text: string) => number;
  /** Receives unexpected handler errors; defaults to one line on stderr. Never reaches the client. */
  onError?: CallSettings["onError"];
  /**
   * For a store kept in sync with a system of record: applies each write at the source first
   * (see `CallSettings.writeBack`). Absent: writes change the store only.
   */
  writeBack?: CallSettings["writeBack"];
}

/**
 * Builds an MCP server for one pack: every tool registered with title, input and output
 * schemas, all four annotations and the contract `_meta` (scope, budget, kind, and what a write moves). The kit
 * answers `tools/call` itself so validation errors read well for a model and writes get
 * idempotency, dry run and the budget guard. Cheap to create: one per connection or request.
 */
export function createPackServer(pack: PackDefinition, options: PackServerOptions): McpServer {
  const server = new McpServer(
    { name: `toolpacks-${pack.name}`, title: pack.title, version: pack.version },
    {
      // A pack's tools are fixed for its version: no list_changed, and lists may be cached.
      capabilities: { tools: { listChanged: false }, logging: {} },
      instructions: pack.description,
      cacheHints: { "tools/list": LIST_CACHE_HINT, "server/discover": LIST_CACHE_HINT },
    },
  );
  for (const tool of pack.tools) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.input,
        outputSchema: tool.output,
        annotations: { title: tool.title, ...tool.annotations },
        _meta: {
          [SCOPE_META]: tool.scope,
          [BUDGET_META]: tool.budgetTokens,
          [KIND_META]: tool.kind,
          ...(tool.kind === "write" ? { [MOVES_META]: tool.moves } : {}),
        },
      },
      () => {
        // Never reached: the tools/call handler below replaces the SDK's dispatcher.
        throw new Error("unreachable");
      },
    );
  }
  const settings: CallSettings = {
    pack,
    store: options.store,
    budget: options.budget ?? "trim",
    countTokens: options.countTokens ?? estimateTokens,
    ...(options.writeBack ? { writeBack: options.writeBack } : {}),
    onError:
      options.onError ??
      ((error, info) => {
        const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
        console.error(
          `[toolpacks-${pack.name}] ${info.tool} failed (reference ${info.reference}): ${detail}`,
        );
      }),
  };
  // The SDK lists tools from the registrations above; the kit owns the call path (public
  // low-level API: a later setRequestHandler replaces the earlier one for the same method).
  server.server.setRequestHandler("tools/call", async (request, ctx) => {
    const tool = pack.tool(request.params.name);
    if (!tool) {
      const names = pack.tools.map((t) => t.name).join(", ");
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `Unknown tool "${request.params.name}". Tools of this pack: ${names}.`,
      );
    }
    const authInfo = ctx.http?.authInfo;
    const subject = authInfo?.extra?.["subject"];
    const authenticatedAs = typeof subject === "string" ? subject : authInfo?.clientId;
    return callTool(
      tool,
      request.params.arguments,
      request.params._meta,
      { signal: ctx.mcpReq.signal, authenticatedAs },
      settings,
    );
  });
  return server;
}
