/** A compact keyword search over tools, returning each hit with its declaration. */
import type { ToolInfo } from "../pipeline/types.js";

export interface SearchHit {
  server: string;
  /** Exact MCP tool name. */
  tool: string;
  /** How the program calls it: `ns.identifier`. */
  call: string;
  description?: string;
  /** The tool's TypeScript declaration (aliases + signature with JSDoc). */
  declaration: string;
  score: number;
}

function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

export function searchTools(
  tools: Array<{ tool: ToolInfo; declaration: string }>,
  query: string,
  limit = 8,
): SearchHit[] {
  const q = words(query);
  const hits: SearchHit[] = [];
  for (const { tool, declaration } of tools) {
    let score = 0;
    if (q.length) {
      const name = new Set([...words(tool.name), ...words(tool.identifier)]);
      const ns = new Set([...words(tool.server), ...words(tool.namespace)]);
      const desc = words(`${tool.title ?? ""} ${tool.description ?? ""}`);
      const full = query.trim().toLowerCase();
      if (full === tool.name.toLowerCase() || full === `${tool.namespace}.${tool.identifier}`.toLowerCase())
        score += 20;
      for (const w of q) {
        if (name.has(w)) score += 4;
        else if ([...name].some((n) => n.startsWith(w) || w.startsWith(n))) score += 2;
        if (ns.has(w)) score += 3;
        if (desc.includes(w)) score += 1;
        else if (w.length > 3 && desc.some((d) => d.startsWith(w))) score += 0.5;
      }
      if (score === 0) continue;
    }
    const hit: SearchHit = {
      server: tool.server,
      tool: tool.name,
      call: `${tool.namespace}.${tool.identifier}`,
      declaration,
      score,
    };
    if (tool.description) hit.description = tool.description;
    hits.push(hit);
  }
  return hits.sort((a, b) => b.score - a.score).slice(0, Math.max(1, limit));
}
