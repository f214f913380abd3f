import { codeModeTools } from "@toolpacks/runtime/ai";
import { openCodeModeSession, renderModelTools } from "../codemode/session.js";
import { countTokens } from "../tokens/tokenizer.js";
import type { Footprint } from "./economics-report.js";
import { type ListedToolLike, renderClassicTools } from "./prompts.js";

/**
 * Measures what a model is sent before it writes anything, over the given packs: every typed
 * declaration (what `execute` inlines), the search-based surface (`execute` without declarations
 * plus `search_tools`, the model looking tools up as it needs them), and the classic schemas.
 */
export async function measureFootprint(packs: readonly string[], db: string): Promise<Footprint> {
  const session = await openCodeModeSession(packs, { db });
  try {
    const tools = session.codeMode.tools();
    const search = await renderModelTools(codeModeTools(session.codeMode, { inlineDeclarationsUpTo: 0 }));
    const byPack = new Map<string, ListedToolLike[]>();
    for (const tool of tools) byPack.set(tool.server, [...(byPack.get(tool.server) ?? []), tool]);
    return {
      allDeclarations: countTokens(session.codeMode.declarations()),
      searchMode: countTokens(search),
      classicSchemas: countTokens(renderClassicTools(byPack, packs)),
      packs: [...packs],
      tools: tools.length,
    };
  } finally {
    await session.close();
  }
}
