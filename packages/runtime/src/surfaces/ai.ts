/**
 * AI SDK surface (`@toolpacks/runtime/ai`): code mode as AI SDK tools.
 *   const tools = codeModeTools(cm);  // { execute, search }
 *   await generateText({ model, tools, prompt });
 */
import { jsonSchema, type Tool, tool } from "ai";
import type { CodeMode } from "../code-mode.js";
import { type ResultForm, resultAs } from "../result/for-model.js";
import { executeDescription } from "./gateway.js";

export interface CodeModeToolOptions {
  /** Type-check programs against the declarations before running them. Default false. */
  typecheck?: boolean;
  /** Put the declarations in the tool description when at most this long. Default 24 000 chars. */
  inlineDeclarationsUpTo?: number;
  /** Per-run `meta` (sent as MCP `_meta`, e.g. `toolpacks.dev/principal`). */
  meta?: Record<string, unknown>;
  /** What `execute` returns: `model` (default; result, logs, errors, failed calls, call count, run id) or `full`. */
  result?: ResultForm;
}

/** The `execute` tool: runs one program over every tool of the code mode. */
export function codeModeTool(
  cm: CodeMode,
  options: CodeModeToolOptions = {},
): Tool<{ code: string }, Record<string, unknown>> {
  return tool({
    description: executeDescription(cm, "call search_tools", options.inlineDeclarationsUpTo),
    inputSchema: jsonSchema<{ code: string }>({
      type: "object",
      properties: { code: { type: "string", description: "TypeScript or JavaScript program" } },
      required: ["code"],
      additionalProperties: false,
    }),
    execute: async ({ code }, { abortSignal }) => {
      const r = await cm.execute(code, {
        typecheck: options.typecheck ?? false,
        signal: abortSignal,
        meta: options.meta,
      });
      return resultAs(options.result, r);
    },
  });
}

/** The `search_tools` tool: keyword search returning declarations. */
export function searchToolsTool(
  cm: CodeMode,
): Tool<{ query: string; limit?: number }, { hits: Array<{ call: string; declaration: string }> }> {
  return tool({
    description: "Find tools by keywords; returns each match with its TypeScript declaration.",
    inputSchema: jsonSchema<{ query: string; limit?: number }>({
      type: "object",
      properties: { query: { type: "string" }, limit: { type: "integer", minimum: 1, maximum: 50 } },
      required: ["query"],
      additionalProperties: false,
    }),
    execute: async ({ query, limit }) => ({
      hits: cm
        .search(query, { limit: limit ?? 8 })
        .map((h) => ({ call: h.call, declaration: h.declaration })),
    }),
  });
}

/** Both tools, ready for `generateText({ tools })`. */
export function codeModeTools(cm: CodeMode, options: CodeModeToolOptions = {}) {
  return { execute: codeModeTool(cm, options), search_tools: searchToolsTool(cm) };
}
