/** The parts of a listed tool a classic client sends to the model. */
export interface ListedToolLike {
  name: string;
  title?: string;
  description?: string;
  inputSchema: unknown;
}

/**
 * System prompt of the classic agent: one tool call per model turn. Kept short so the comparison
 * does not favour code mode through prompt padding.
 */
export const CLASSIC_SYSTEM =
  "You are an operations assistant for a company's CRM, ERP, warehouse and billing systems. Use the tools " +
  "to answer the user's request; call one tool at a time and read each result before the next call. When " +
  "you have everything, answer with the final result as JSON.";

/** System prompt of code mode: write one program against the declared bindings. */
export const CODE_MODE_SYSTEM =
  "You are an operations assistant for a company's CRM, ERP, warehouse and billing systems. Answer the " +
  "user's request with one call of the execute tool: one TypeScript program over the typed tools it " +
  "declares, combining the results in code and returning only the final result.";

/** The name a classic client gives a pack's tool: tool names repeat across packs, so prefix the pack. */
export const classicToolName = (pack: string, tool: string) => `${pack}__${tool}`;

/**
 * The tool definitions a classic agent sends with every request, in the shape model APIs take
 * (name, description, input JSON Schema). Output schemas are left out, as clients do, which keeps
 * the classic figure conservative.
 */
export function renderClassicTools(
  toolsByPack: ReadonlyMap<string, readonly ListedToolLike[]>,
  packs: readonly string[],
): string {
  const definitions = packs.flatMap((pack) =>
    (toolsByPack.get(pack) ?? []).map((tool) => ({
      name: classicToolName(pack, tool.name),
      description: tool.description ?? tool.title ?? "",
      input_schema: tool.inputSchema,
    })),
  );
  return JSON.stringify(definitions);
}
