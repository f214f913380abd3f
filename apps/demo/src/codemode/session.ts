import { type OpenedPacks, openPacks } from "@toolpacks/pack-kit/node";
import {
  type CodeMode,
  createCodeMode,
  type Preflight,
  type SandboxLimits,
  type ToolCallMiddleware,
} from "@toolpacks/runtime";
import { codeModeTool, codeModeTools } from "@toolpacks/runtime/ai";
import { asSchema, type Tool } from "ai";

/** Options of `openCodeModeSession`. */
export interface CodeModeSessionOptions {
  /** SQLite file shared by the packs (created and seeded when empty); default in memory. */
  db?: string;
  scale?: number;
  seed?: number;
  /** Host-side tool-call middleware, in order (governance first). */
  middleware?: ToolCallMiddleware[];
  preflight?: Preflight;
  limits?: Partial<SandboxLimits>;
}

/** Code mode over packs opened on one store, with the AI SDK tools a model is given. */
export interface CodeModeSession {
  readonly codeMode: CodeMode;
  readonly opened: OpenedPacks;
  /** `execute` (declarations inlined in its description) and `search_tools`. */
  readonly tools: ReturnType<typeof codeModeTools>;
  close(): Promise<void>;
}

/**
 * Opens the packs on one store (seeding the world when it is empty) and connects code mode to
 * their MCP servers in process, with the embedded QuickJS executor.
 */
export async function openCodeModeSession(
  packs: readonly string[],
  options: CodeModeSessionOptions = {},
): Promise<CodeModeSession> {
  const opened = await openPacks(packs, {
    ...(options.db ? { db: options.db } : {}),
    ...(options.scale ? { scale: options.scale } : {}),
    ...(options.seed ? { seed: options.seed } : {}),
    importer: (specifier) => import(/* @vite-ignore */ specifier),
  });
  const codeMode = await createCodeMode({
    sources: opened.servers.map(({ name, server }) => ({ name, server })),
    ...(options.middleware ? { middleware: options.middleware } : {}),
    ...(options.preflight ? { preflight: options.preflight } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
  });
  return {
    codeMode,
    opened,
    tools: codeModeTools(codeMode),
    async close() {
      await codeMode.close();
      await opened.close();
    },
  };
}

/**
 * Tool definitions as a model API receives them (name, description, input JSON Schema), as one
 * JSON text to count: the same shape the classic tools are counted in.
 */
export async function renderModelTools(tools: Record<string, Tool>): Promise<string> {
  const definitions = [];
  for (const [name, tool] of Object.entries(tools)) {
    definitions.push({
      name,
      description: tool.description ?? "",
      input_schema: await asSchema(tool.inputSchema).jsonSchema,
    });
  }
  return JSON.stringify(definitions);
}

/** The one-round-trip surface as the model receives it: `execute` with every declaration inlined. */
export function renderInlineExecute(codeMode: CodeMode): Promise<string> {
  return renderModelTools({
    execute: codeModeTool(codeMode, { inlineDeclarationsUpTo: Number.POSITIVE_INFINITY }),
  });
}

/** The search-based surface as the model receives it: `execute` without declarations, and `search_tools`. */
export function renderSearchSurface(codeMode: CodeMode): Promise<string> {
  return renderModelTools(codeModeTools(codeMode, { inlineDeclarationsUpTo: 0 }));
}
