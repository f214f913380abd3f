/**
 * The TypeScript declarations the model reads: one `declare const <namespace>: { ... }` per
 * MCP server, one method per tool, typed from the input AND output JSON Schemas, with JSDoc
 * from descriptions, defaults and ranges. Local `$ref`s become type aliases.
 */
import { freshName } from "../naming/assign.js";
import type { ToolInfo } from "../pipeline/types.js";
import { compactDoc, type DeclarationDetail, docText, oneLine, renderDoc, schemaDocLines } from "./docs.js";
import { commentLine, commentLines, stringLiteral } from "./escape.js";
import { type JsonSchema, refersToItself, resolvePointer, schemaToType } from "./schema.js";
import { collectSharedEnums } from "./shared-enums.js";
import { collectSharedNotes, type FieldSide } from "./shared-notes.js";
import { summarize } from "./summary.js";

export interface ToolDeclaration {
  tool: ToolInfo;
  /** Aliases this tool's types use (`type crm_pipeline_summary_Stage = ...;`). */
  aliases: string[];
  /** The method as it appears inside `declare const ns: { ... }` (JSDoc included, indented by 2). */
  member: string;
  /** A standalone form for search results: aliases + `ns.tool(input): Promise<...>`. */
  snippet: string;
}

/** The only identifiers declarations write: what `assignIdentifiers` makes (ASCII, no server text). */
const SAFE_IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function pascal(s: string): string {
  return s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join("");
}

/** How one tool (or a whole file) is declared. */
export interface DeclareOptions {
  /** `compact` (default; what code mode sends) or `full` (every constraint as JSDoc). */
  detail?: DeclarationDetail;
  /** Whether a field's description is stated once for the file (compact only), so left off the field. */
  shared?: (side: FieldSide, key: string, description: string) => boolean;
  /** The file's name for an enum it declares once (compact only). */
  enumName?: (values: readonly unknown[]) => string | undefined;
  /** The description such an enum's alias carries (compact only). */
  enumNote?: (values: readonly unknown[]) => string | undefined;
}

/** Declares one tool. `taken` keeps alias names unique across the whole file. */
export function declareTool(
  tool: ToolInfo,
  taken: Set<string>,
  options: DeclareOptions = {},
): ToolDeclaration {
  for (const id of [tool.namespace, tool.identifier])
    if (!SAFE_IDENTIFIER.test(id))
      throw new Error(
        `declarations take JS identifiers from naming/assign, not ${JSON.stringify(id)} (tool ${JSON.stringify(tool.name)})`,
      );
  const detail = options.detail ?? "compact";
  const aliases: string[] = [];
  const typeFor = (root: JsonSchema | undefined, part: "Input" | "Output"): string => {
    if (root === undefined) return "unknown";
    const names = new Map<string, string>();
    const pending: Array<[string, string]> = [];
    const refName = (pointer: string): string | undefined => {
      const existing = names.get(pointer);
      if (existing) return existing;
      if (pointer === "#") return undefined;
      const target = resolvePointer(root, pointer);
      if (target === undefined) return undefined;
      const last = pointer.split("/").filter(Boolean).pop() ?? part;
      const name = freshName(`${tool.namespace}_${tool.identifier}_${pascal(last) || part}`, taken);
      names.set(pointer, name);
      pending.push([pointer, name]);
      return name;
    };
    const side: FieldSide = part === "Input" ? "input" : "output";
    const covers = options.shared;
    const shared = covers && ((key: string, text: string) => covers(side, key, text));
    const ctx = {
      root,
      refName,
      depth: 0,
      detail,
      shared,
      enumName: options.enumName,
      enumNote: options.enumNote,
    };
    const main = schemaToType(root, ctx, "  ");
    // Emit aliases (which may discover more refs) until none are left.
    for (let i = 0; i < pending.length; i++) {
      const [pointer, name] = pending[i] as [string, string];
      const target = resolvePointer(root, pointer) as JsonSchema;
      const docLines = detail === "full" ? schemaDocLines(target) : [compactDoc(target) ?? ""];
      const doc = renderDoc(docLines.filter(Boolean), "");
      const body = refersToItself(root, pointer) ? "unknown" : schemaToType(target, ctx, "");
      aliases.push(`${doc}type ${name} = ${body};`);
    }
    return main;
  };

  const input = typeFor(tool.inputSchema as JsonSchema, "Input");
  const output = tool.outputSchema ? typeFor(tool.outputSchema as JsonSchema, "Output") : "unknown";
  const required = Array.isArray((tool.inputSchema as { required?: unknown }).required)
    ? (tool.inputSchema as { required: unknown[] }).required.length > 0
    : false;
  const param = `input${required ? "" : "?"}: ${input}`;
  const doc = toolDocLines(tool, detail);
  const member = `${renderDoc(doc, "  ")}  ${tool.identifier}(${param}): Promise<${output}>;`;
  // A search hit is where the model reads a tool in depth: it keeps the whole description.
  const flat = `${renderDoc(toolDocLines(tool, detail, true), "")}${tool.namespace}.${tool.identifier}(${param.replace(/\n {2}/g, "\n")}): Promise<${output.replace(/\n {2}/g, "\n")}>`;
  // A search hit stands alone: it carries the `int` alias itself when it uses it.
  const body = [...aliases, flat].join("\n");
  const snippet = detail === "compact" && /\bint\b/.test(body) ? `${INT_ALIAS}\n${body}` : body;
  return { tool, aliases, member, snippet };
}

/**
 * The tool's comment. Full: title, whole description, every annotation and the MCP name when the
 * identifier differs. Compact: a one-line summary of the description (with `whole`, for search
 * hits, the whole description on one line) and, for a tool that may write, `(writes)` with its
 * destructive and idempotent hints. A tool without `readOnlyHint` counts as writing, as the
 * policy counts it.
 */
function toolDocLines(tool: ToolInfo, detail: DeclarationDetail, whole = false): string[] {
  const a = tool.annotations;
  if (detail === "compact") {
    const text = whole
      ? (tool.description && oneLine(tool.description)) || (tool.title ?? "")
      : summarize(tool.description ?? "", tool.title);
    const notes = a?.readOnlyHint
      ? []
      : [
          "writes",
          ...(a?.destructiveHint === false ? [] : ["destructive"]),
          ...(a?.idempotentHint ? ["idempotent"] : []),
        ];
    const line = [docText(text), notes.length ? `(${notes.join(", ")})` : ""].filter(Boolean).join(" ");
    const doc = line ? [line] : [];
    if (tool.identifier !== tool.name) doc.push(`MCP tool: ${stringLiteral(tool.name)}`);
    return doc;
  }
  const doc: string[] = [];
  if (tool.title && tool.title !== tool.name) doc.push(docText(tool.title));
  if (tool.description) doc.push(...commentLines(tool.description));
  const notes: string[] = [];
  if (a?.readOnlyHint) notes.push("read-only");
  if (a?.destructiveHint) notes.push("destructive");
  if (a?.idempotentHint) notes.push("idempotent");
  if (notes.length) doc.push(`(${notes.join(", ")})`);
  if (tool.identifier !== tool.name) doc.push(`MCP tool: ${stringLiteral(tool.name)}`);
  return doc;
}

export interface DeclarationsOptions {
  /** `compact` (default; what code mode sends the model) or `full` (every constraint spelled out as JSDoc). */
  detail?: DeclarationDetail;
  /** Per-namespace comment (e.g. the server's name and instructions). */
  namespaceDocs?: Record<string, string>;
  /** Namespaces whose server is unavailable, with the reason. */
  unavailable?: Record<string, string>;
  /**
   * Per namespace, the MCP names of tools left out because they require task-based execution
   * (`execution.taskSupport: "required"`), which code mode does not run; each namespace gets a note.
   */
  taskOnly?: Record<string, string[]>;
}

const SHARED_NOTES_HEAD = "Field notes shared by many tools (a field's own comment wins):";

/** The alias compact declarations use for JSON Schema integers. */
const INT_ALIAS = "type int = number;";

/** The full declarations file for these tools (grouped by namespace, in the given order). */
export function renderDeclarations(tools: ToolInfo[], options: DeclarationsOptions = {}): string {
  const detail = options.detail ?? "compact";
  const taken = new Set<string>();
  const notes = detail === "compact" ? collectSharedNotes(tools) : undefined;
  const enums = detail === "compact" ? collectSharedEnums(tools, taken) : undefined;
  const byNs = new Map<string, ToolInfo[]>();
  for (const t of tools) {
    const list = byNs.get(t.namespace) ?? [];
    list.push(t);
    byNs.set(t.namespace, list);
  }
  const out: string[] = [];
  for (const [ns, list] of byNs) {
    const decls = list.map((t) =>
      declareTool(t, taken, {
        detail,
        shared: notes?.covers,
        enumName: enums?.nameOf,
        enumNote: enums?.noteOf,
      }),
    );
    const server = list[0]?.server ?? ns;
    out.push(...decls.flatMap((d) => d.aliases));
    const doc = options.namespaceDocs?.[ns] ?? `Tools of the ${stringLiteral(server)} MCP server.`;
    out.push(
      `${renderDoc([commentLine(doc)], "")}declare const ${ns}: {\n${decls.map((d) => d.member).join("\n")}\n};`,
    );
  }
  for (const [ns, names] of Object.entries(options.taskOnly ?? {})) {
    // Tool names are server text: one escaped line each, so none can leave its `//`.
    out.push(
      `// ${commentLine(ns)}: left out, they run only as MCP tasks, which code mode does not run: ${names.map((n) => commentLine(n)).join(", ")}`,
    );
  }
  for (const [ns, reason] of Object.entries(options.unavailable ?? {})) {
    // The reason is server text (an error message): one escaped line, so it cannot leave its `//`.
    out.push(`// ${commentLine(ns)}: unavailable (${commentLine(reason)})`);
  }
  if (enums?.lines.length) out.unshift(enums.lines.join("\n"));
  if (notes?.lines.length) out.unshift(renderDoc([SHARED_NOTES_HEAD, ...notes.lines], "").trimEnd());
  if (detail === "compact" && tools.length) out.unshift(INT_ALIAS);
  return `${out.join("\n\n")}\n`;
}

/** Ambient declarations of what the sandbox provides besides the tools (for type-checking programs). */
export const SANDBOX_GLOBALS_DTS = `declare class ToolCallError extends Error {
  readonly code: string;
  readonly namespace: string;
  readonly tool: string;
  readonly data?: unknown;
}
declare const console: {
  log(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  debug(...args: unknown[]): void;
};
declare function setTimeout(fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]): number;
declare function clearTimeout(id?: number): void;
declare function setInterval(fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]): number;
declare function clearInterval(id?: number): void;
declare function queueMicrotask(fn: () => void): void;
`;
