/**
 * Prompt size: the four packs' tools as each project renders them for a model, against our
 * compact declarations (the `execute` tool with every declaration inlined) and our search mode
 * (`execute` without declarations plus `search_tools`), all counted with o200k_base.
 */
import { openPacks } from "@toolpacks/pack-kit/node";
import { createCodeMode } from "@toolpacks/runtime";
import { codeModeTool, codeModeTools } from "@toolpacks/runtime/ai";
import { asSchema } from "ai";
import { type PackTool, PEER_RENDERERS } from "./renderers.js";
import { countTokens, modelToolText } from "./tokens.js";

export const PACKS = ["billing", "crm", "erp", "warehouse"] as const;

export interface PromptRow {
  /** "ours: compact declarations", "ours: search mode" or a peer id. */
  id: string;
  what: string;
  tokens: number;
  /** tokens ÷ ours (compact declarations). */
  ratio: number;
  error?: string;
}

export interface PromptSizes {
  packs: string[];
  tools: number;
  rows: PromptRow[];
  /** Each rendering, for the JSON report (what was counted). */
  texts: Record<string, string>;
}

/** The runtime's AI SDK tools, typed structurally: the runtime builds them with its own `ai` version. */
type ModelTool = { description?: unknown; inputSchema: unknown };

async function modelTools(tools: Record<string, ModelTool>): Promise<string> {
  const defs = [];
  for (const [name, t] of Object.entries(tools)) {
    const description = typeof t.description === "string" ? t.description : "";
    defs.push({
      name,
      description,
      input_schema: await asSchema(t.inputSchema as Parameters<typeof asSchema>[0]).jsonSchema,
    });
  }
  return modelToolText(defs);
}

const PEER_WHAT: Record<keyof typeof PEER_RENDERERS, string> = {
  vercel: "createCodeModeTool: tool description (declared `tools`, examples) + input schema",
  cloudflare: "codeMcpServer: `code` tool with generated types (input schemas only)",
  utcp: "AGENT_PROMPT_TEMPLATE + getAllToolsTypeScriptInterfaces()",
  tanstack: "createCodeMode: system prompt (type stubs) + execute_typescript tool",
};

/** Opens the four packs on a small in-memory world and renders their tools every way. */
export async function measurePromptSizes(): Promise<PromptSizes> {
  const opened = await openPacks(PACKS, {
    scale: 1_000,
    seed: 1,
    importer: (s) => import(/* @vite-ignore */ s),
  });
  const codeMode = await createCodeMode({
    sources: opened.servers.map(({ name, server }) => ({ name, server })),
  });
  try {
    const tools: PackTool[] = codeMode.tools().map((t) => ({
      pack: t.server,
      name: t.name,
      description: t.description ?? t.title ?? "",
      inputSchema: t.inputSchema,
      ...(t.outputSchema ? { outputSchema: t.outputSchema } : {}),
    }));
    const texts: Record<string, string> = {
      "ours: declarations alone": codeMode.declarations(),
      "ours: compact declarations": await modelTools({
        execute: codeModeTool(codeMode, { inlineDeclarationsUpTo: Number.POSITIVE_INFINITY }),
      }),
      "ours: search mode": await modelTools(codeModeTools(codeMode, { inlineDeclarationsUpTo: 0 })),
    };
    const errors: Record<string, string> = {};
    for (const [id, render] of Object.entries(PEER_RENDERERS)) {
      try {
        texts[id] = await render(tools);
      } catch (err) {
        errors[id] = err instanceof Error ? err.message : String(err);
      }
    }
    const base = countTokens(texts["ours: compact declarations"] as string);
    const rows: PromptRow[] = [
      { id: "ours: compact declarations", what: "`execute` with every declaration inlined (one round trip)" },
      {
        id: "ours: declarations alone",
        what: "the compact TypeScript declarations of every tool, without the tool around them",
      },
      {
        id: "ours: search mode",
        what: "`execute` without declarations + `search_tools` (declarations fetched on demand)",
      },
      ...Object.keys(PEER_RENDERERS).map((id) => ({
        id,
        what: PEER_WHAT[id as keyof typeof PEER_RENDERERS],
      })),
    ].map(({ id, what }) => {
      const text = texts[id];
      if (text === undefined)
        return { id, what, tokens: Number.NaN, ratio: Number.NaN, error: errors[id] ?? "not rendered" };
      const tokens = countTokens(text);
      return { id, what, tokens, ratio: tokens / base };
    });
    return { packs: [...PACKS], tools: tools.length, rows, texts };
  } finally {
    await codeMode.close();
    await opened.close();
  }
}
