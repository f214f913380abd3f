/**
 * Code intake: TypeScript or JavaScript, fenced or not, as a script (top-level await and
 * return), an async arrow / function expression, or `export default`. Types are stripped
 * with sucrase; the result is the plain-JS function body an executor runs, plus a way to
 * map sandbox positions back into the model's own code.
 */
import { type Node as AcornNode, parse as acornParse } from "acorn";
import { transform } from "sucrase";
import { ProgramError } from "../errors.js";
import { originalPosition, parseMappings } from "./sourcemap.js";

export interface Position {
  line: number;
  column: number;
}

export interface PreparedProgram {
  /** The program as given. */
  source: string;
  /** The code inside the fence (or all of it), with `export default` turned into `return`. */
  code: string;
  /** Lines of `source` before `code` starts (fence header). */
  lineOffset: number;
  /** Plain-JS function body for the sandbox. */
  js: string;
  /** `ns.tool` references (JS identifiers) with positions in `source`. */
  references: Array<{ namespace: string; tool: string; line: number; column: number }>;
  /** Maps a 1-based position in `js` to a 1-based position in `source`. */
  toSource(pos: Position): Position;
}

const FENCE = /```[ \t]*([\w+-]*)[^\n]*\n([\s\S]*?)(?:```|$)/g;
const CODE_LANGS = new Set(["", "ts", "typescript", "js", "javascript", "tsx", "jsx", "mjs", "cjs", "mts"]);
const HEAD = "async function __toolpacks_program__() {\n";

/** Picks the program out of a markdown reply: the first ts/js fence, else the whole text. */
export function extractCode(source: string): { code: string; lineOffset: number } {
  for (const m of source.matchAll(FENCE)) {
    if (!CODE_LANGS.has((m[1] ?? "").toLowerCase())) continue;
    const start = (m.index ?? 0) + m[0].indexOf("\n") + 1;
    return { code: m[2] ?? "", lineOffset: source.slice(0, start).split("\n").length - 1 };
  }
  return { code: source, lineOffset: 0 };
}

/** `export default X` -> `return X` (padded so columns stay put); other `export ` keywords are blanked. */
function rewriteExports(code: string): string {
  return code
    .replace(
      /^([ \t]*)export[ \t]+default[ \t]+/gm,
      (_m, indent: string) => `${indent}return${" ".repeat(_m.length - indent.length - 6)}`,
    )
    .replace(
      /^([ \t]*)export[ \t]+(?=(async[ \t]+)?(function|const|let|var|class)\b)/gm,
      (_m, indent: string) => `${indent}${" ".repeat(_m.length - indent.length)}`,
    );
}

/**
 * What intake computes, as plain data (it crosses a thread boundary): everything in a
 * `PreparedProgram` except `source` and the `toSource` function, which `programFromParts` rebuilds.
 */
export interface PreparedParts {
  code: string;
  lineOffset: number;
  js: string;
  references: PreparedProgram["references"];
  /** The type-stripper's source-map `mappings`. */
  mappings: string;
  /** Text inserted into `js` after stripping: [body line (0-based), column, length]. */
  inserted: Array<[number, number, number]>;
}

/** Intake on this thread: type-stripping, parsing, shaping. Throws ProgramError for a bad program. */
export function prepareProgram(source: string, namespaces: ReadonlySet<string> = new Set()): PreparedProgram {
  return programFromParts(source, prepareProgramParts(source, namespaces));
}

/** A `PreparedProgram` from the parts intake computed (possibly on another thread). */
export function programFromParts(source: string, parts: PreparedParts): PreparedProgram {
  let map: ReturnType<typeof parseMappings> | undefined;
  const inserted = insertionsByLine(parts.inserted);
  const { mappings, inserted: _i, ...rest } = parts;
  return {
    source,
    ...rest,
    // Parsed on first use: most runs never map a position back.
    toSource: (pos) => {
      map ??= parseMappings(mappings);
      return mapToSource(map, inserted, parts.lineOffset, pos);
    },
  };
}

function insertionsByLine(list: PreparedParts["inserted"]): Map<number, Array<[number, number]>> {
  const byLine = new Map<number, Array<[number, number]>>();
  for (const [line, col, len] of list) {
    const at = byLine.get(line) ?? [];
    at.push([col, len]);
    byLine.set(line, at);
  }
  return byLine;
}

function mapToSource(
  map: ReturnType<typeof parseMappings>,
  inserted: Map<number, Array<[number, number]>>,
  lineOffset: number,
  pos: Position,
): Position {
  let col0 = pos.column - 1;
  for (const [at, len] of inserted.get(pos.line - 1) ?? []) if (at < col0) col0 = Math.max(at, col0 - len);
  const orig = originalPosition(map, pos.line, col0); // body line L is generated line L (0-based: L)
  return { line: orig.line + lineOffset, column: orig.column + 1 };
}

/** The work of intake, as data: see `prepareProgram`. */
export function prepareProgramParts(
  source: string,
  namespaces: ReadonlySet<string> = new Set(),
): PreparedParts {
  const { code: extracted, lineOffset } = extractCode(source);
  const code = rewriteExports(extracted);
  const importLine = /^[ \t]*import[ \t]+[\w*{]/m.exec(code);
  if (importLine) {
    const line = code.slice(0, importLine.index).split("\n").length + lineOffset;
    throw new ProgramError(
      "SYNTAX_ERROR",
      "import statements are not available in the sandbox: the tools are globals (e.g. `await crm.tool(input)`)",
      { line, column: 1 },
    );
  }

  let compiled: { code: string; sourceMap?: { mappings: string } };
  try {
    compiled = transform(`${HEAD}${code}\n}`, {
      transforms: ["typescript"],
      disableESTransforms: true,
      keepUnusedImports: true,
      filePath: "program.ts",
      sourceMapOptions: { compiledFilename: "program.js" },
    }) as { code: string; sourceMap?: { mappings: string } };
  } catch (err) {
    const loc = (err as { loc?: { line: number; column: number } }).loc;
    const msg = String((err as Error).message ?? err).replace(/ \(\d+:\d+\)$/, "");
    throw new ProgramError(
      "SYNTAX_ERROR",
      `SyntaxError: ${msg}`,
      loc ? { line: loc.line - 1 + lineOffset, column: loc.column + 1 } : undefined,
    );
  }
  const mappings = compiled.sourceMap?.mappings ?? "";
  const map = parseMappings(mappings);
  const lines = compiled.code.split("\n");
  // Drop the wrapper's first and last lines; sucrase keeps line numbers.
  let body = lines.slice(1, lines.length - 1).join("\n");

  // Insertions made below, per body line (0-based): [column, length].
  const inserted = new Map<number, Array<[number, number]>>();
  const toSource = (pos: Position): Position => mapToSource(map, inserted, lineOffset, pos);

  let ast: AcornNode & { body: AcornNode[] };
  const parseBody = (text: string) => {
    const wrapped = acornParse(`(async function () {\n${text}\n})`, {
      ecmaVersion: "latest",
      sourceType: "script",
      locations: true,
    });
    const fn = (wrapped.body[0] as unknown as { expression: { body: { body: AcornNode[] } } }).expression;
    return fn.body as unknown as AcornNode & { body: AcornNode[] };
  };
  try {
    ast = parseBody(body);
  } catch (err) {
    const loc = (err as { loc?: { line: number; column: number } }).loc;
    const msg = String((err as Error).message ?? err).replace(/ \(\d+:\d+\)$/, "");
    throw new ProgramError(
      "SYNTAX_ERROR",
      `SyntaxError: ${msg}`,
      loc ? toSource({ line: loc.line - 1, column: loc.column + 1 }) : undefined,
    );
  }

  // Shape: a lone function expression is called; a returned function is called; a script
  // without a top-level return returns its last expression.
  const edits: Array<{ at: number; text: string }> = [];
  const offset = "(async function () {\n".length;
  const stmts = ast.body as Array<
    AcornNode & {
      type: string;
      expression?: AcornNode & { type: string };
      argument?: AcornNode & { type: string };
    }
  >;
  const isFn = (n?: { type: string }) =>
    n?.type === "ArrowFunctionExpression" || n?.type === "FunctionExpression";
  const last = stmts[stmts.length - 1];
  const topReturn = stmts.find((s) => s.type === "ReturnStatement");
  if (stmts.length === 1 && last?.type === "ExpressionStatement" && isFn(last.expression)) {
    const e = last.expression as AcornNode;
    edits.push({ at: e.start - offset, text: "return await (" }, { at: e.end - offset, text: ")()" });
  } else if (topReturn && isFn(topReturn.argument)) {
    const e = topReturn.argument as AcornNode;
    edits.push({ at: e.start - offset, text: "await (" }, { at: e.end - offset, text: ")()" });
  } else if (!topReturn && last?.type === "ExpressionStatement" && last.expression) {
    const e = last.expression;
    edits.push({ at: e.start - offset, text: "return (" }, { at: e.end - offset, text: ")" });
  }
  edits.sort((a, b) => b.at - a.at);
  for (const e of edits) {
    const before = body.slice(0, e.at);
    const line = before.split("\n").length - 1;
    const col = e.at - (before.lastIndexOf("\n") + 1);
    const list = inserted.get(line) ?? [];
    list.push([col, e.text.length]);
    inserted.set(line, list);
    body = before + e.text + body.slice(e.at);
  }

  const references: PreparedProgram["references"] = [];
  if (namespaces.size) {
    walk(ast, (n) => {
      if (n.type !== "MemberExpression") return;
      const m = n as unknown as {
        object: { type: string; name?: string };
        property: { type: string; name?: string; value?: unknown };
        computed: boolean;
        loc: { start: { line: number; column: number } };
      };
      if (m.object.type !== "Identifier" || !namespaces.has(m.object.name as string)) return;
      const tool =
        !m.computed && m.property.type === "Identifier"
          ? m.property.name
          : m.property.type === "Literal" && typeof m.property.value === "string"
            ? m.property.value
            : undefined;
      if (tool === undefined) return;
      const pos = toSource({ line: m.loc.start.line - 1, column: m.loc.start.column + 1 });
      references.push({ namespace: m.object.name as string, tool, ...pos });
    });
  }

  const insertedList: PreparedParts["inserted"] = [];
  for (const [line, list] of inserted) for (const [col, len] of list) insertedList.push([line, col, len]);
  return { code, lineOffset, js: body, references, mappings, inserted: insertedList };
}

/** Visits every node, iteratively: a hostile program nests deep enough to overflow a recursive walk. */
function walk(root: unknown, visit: (n: AcornNode) => void): void {
  const stack: unknown[] = [root];
  while (stack.length) {
    const node = stack.pop();
    if (!node || typeof node !== "object") continue;
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push(node[i]);
      continue;
    }
    const n = node as AcornNode;
    if (typeof n.type === "string") visit(n);
    // Children pushed last-first, so they are visited in source order (as a recursive walk would).
    const keys = Object.keys(n);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i] as string;
      if (key === "loc" || key === "start" || key === "end") continue;
      stack.push((n as unknown as Record<string, unknown>)[key]);
    }
  }
}

/** The TypeScript text the type-checker sees, and how its lines map back to `source`. */
export function typecheckSource(program: PreparedProgram): { text: string; lineDelta: number } {
  return { text: `${HEAD}${program.code}\n}\n`, lineDelta: program.lineOffset - 1 };
}
