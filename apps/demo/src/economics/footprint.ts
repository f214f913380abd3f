import { openCodeModeSession, renderInlineExecute, renderSearchSurface } from "../codemode/session.js";
import { countTokens } from "../tokens/tokenizer.js";
import { type ListedToolLike, renderClassicTools } from "./prompts.js";

/** Prompt footprint: what the model is sent before it writes anything. */
export interface Footprint {
  /** Tokens of the typed declarations of every tool of the packs. */
  allDeclarations: number;
  /** Tokens of the `execute` tool definition with those declarations inlined (what code mode sends). */
  executeWithDeclarations: number;
  /** Tokens of the search-based discovery surface (tool descriptions and the pack index). */
  searchMode: number;
  /** Tokens of the classic tool schemas of the same packs, for reference. */
  classicSchemas: number;
  packs: string[];
  tools: number;
}

/**
 * Measures what a model is sent before it writes anything, over the given packs: every typed
 * declaration (what `execute` inlines), the search-based surface (`execute` without declarations
 * plus `search_tools`, the model looking tools up as it needs them), and the classic schemas.
 */
export async function measureFootprint(packs: readonly string[], db: string): Promise<Footprint> {
  const session = await openCodeModeSession(packs, { db });
  try {
    const tools = session.codeMode.tools();
    const search = await renderSearchSurface(session.codeMode);
    const byPack = new Map<string, ListedToolLike[]>();
    for (const tool of tools) byPack.set(tool.server, [...(byPack.get(tool.server) ?? []), tool]);
    return {
      allDeclarations: countTokens(session.codeMode.declarations()),
      executeWithDeclarations: countTokens(await renderInlineExecute(session.codeMode)),
      searchMode: countTokens(search),
      classicSchemas: countTokens(renderClassicTools(byPack, packs)),
      packs: [...packs],
      tools: tools.length,
    };
  } finally {
    await session.close();
  }
}
