import type { CodeMode } from "@toolpacks/runtime";
import type { SearchExchange } from "../economics/search-mode-cost.js";

/** Hits per search: enough to find the right tool among its neighbours, few enough to stay small. */
export const SEARCH_LIMIT = 3;

/**
 * The searches a model makes before writing a program in search mode, made for real against the
 * runtime's search: one per distinct tool the program calls, with the query a model would type
 * (the pack's name and the tool's title, e.g. "crm Deals closed in a period"), `SEARCH_LIMIT` hits.
 */
export function searchesFor(
  codeMode: CodeMode,
  used: ReadonlyArray<{ server: string; tool: string }>,
): SearchExchange[] {
  const seen = new Set<string>();
  const exchanges: SearchExchange[] = [];
  for (const { server, tool } of used) {
    if (seen.has(`${server}.${tool}`)) continue;
    seen.add(`${server}.${tool}`);
    const info = codeMode.tools().find((t) => t.server === server && t.name === tool);
    const query = `${server} ${info?.title ?? tool.replaceAll("_", " ")}`;
    const hits = codeMode.search(query, { limit: SEARCH_LIMIT });
    exchanges.push({
      call: JSON.stringify({ name: "search_tools", input: { query, limit: SEARCH_LIMIT } }),
      // The same shape the runtime's search_tools tool returns.
      answer: JSON.stringify({ hits: hits.map((h) => ({ call: h.call, declaration: h.declaration })) }),
      found: hits.some((h) => h.server === server && h.tool === tool),
    });
  }
  return exchanges;
}
