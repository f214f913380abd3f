/**
 * The comments the declarations carry for a schema: the full JSDoc block (every constraint
 * spelled out) or the compact one-liner code mode sends the model, which keeps only what the
 * TypeScript type does not already say.
 */
import { commentLine, commentLines } from "./escape.js";
import type { JsonSchema } from "./schema.js";

/** How much the declarations spell out: `compact` (what code mode sends) or `full` JSDoc. */
export type DeclarationDetail = "full" | "compact";

/** Server text as one comment-safe line (see `commentLine`). */
export const docText = commentLine;

/**
 * A comment block (one line when there is one line), each line prefixed by `indent`. Every line is
 * escaped here, where it lands, so no caller can put a comment delimiter or a line break in it.
 */
export function renderDoc(lines: string[], indent: string): string {
  if (lines.length === 0) return "";
  const safe = lines.map(commentLine);
  if (safe.length === 1) return `${indent}/** ${safe[0]} */\n`;
  return `${indent}/**\n${safe.map((l) => `${indent} * ${l}`).join("\n")}\n${indent} */\n`;
}

/** `/** text *\/ ` to put before a member on the same line, or nothing. The text is escaped. */
export function inlineDoc(text: string | undefined): string {
  return text ? `/** ${commentLine(text)} */ ` : "";
}

/** A schema's own number (ignoring bounds that only restate the safe-integer range zod's .int() adds). */
function bound(s: Record<string, unknown>, key: string): number | undefined {
  const v = s[key];
  return typeof v === "number" && Math.abs(v) < Number.MAX_SAFE_INTEGER ? v : undefined;
}

function safeJson(v: unknown, max = 200): string {
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > max ? `${s.slice(0, max)}…` : s;
  } catch {
    return String(v);
  }
}

/**
 * The one-line form compact comments use: the lines trimmed and joined by a space, escaped. No
 * regex over the whole text, so a megabyte of whitespace costs linear time.
 */
export function oneLine(text: string): string {
  return commentLine(
    commentLines(text)
      .map((l) => l.trim())
      .filter(Boolean)
      .join(" "),
  );
}

/** JSDoc lines from a schema's description, default, ranges, formats and examples. */
export function schemaDocLines(schema: JsonSchema): string[] {
  if (typeof schema !== "object" || schema === null) return [];
  const s = schema as Record<string, unknown>;
  const lines: string[] = [];
  if (typeof s.title === "string" && typeof s.description !== "string") lines.push(...commentLines(s.title));
  if (typeof s.description === "string") lines.push(...commentLines(s.description));
  const facts: string[] = [];
  const num = (k: string) => bound(s, k);
  if (num("minimum") !== undefined) facts.push(`>= ${num("minimum")}`);
  if (num("exclusiveMinimum") !== undefined) facts.push(`> ${num("exclusiveMinimum")}`);
  if (num("maximum") !== undefined) facts.push(`<= ${num("maximum")}`);
  if (num("exclusiveMaximum") !== undefined) facts.push(`< ${num("exclusiveMaximum")}`);
  if (num("multipleOf") !== undefined) facts.push(`multiple of ${num("multipleOf")}`);
  if (s.type === "integer") facts.push("integer");
  if (num("minLength") !== undefined) facts.push(`min length ${num("minLength")}`);
  if (num("maxLength") !== undefined) facts.push(`max length ${num("maxLength")}`);
  if (num("minItems") !== undefined) facts.push(`min items ${num("minItems")}`);
  if (num("maxItems") !== undefined) facts.push(`max items ${num("maxItems")}`);
  if (typeof s.format === "string") facts.push(`format: ${s.format}`);
  if (typeof s.pattern === "string") facts.push(`pattern: ${s.pattern}`);
  if (facts.length) lines.push(docText(facts.join(", ")));
  if (s.default !== undefined) lines.push(`@default ${docText(safeJson(s.default))}`);
  if (Array.isArray(s.examples) && s.examples.length)
    lines.push(`@example ${docText(safeJson(s.examples[0]))}`);
  if (s.deprecated === true) lines.push("@deprecated");
  return lines.map(commentLine);
}

/** Patterns longer than this cost more than they help: the pack rejects a bad value with a fix anyway. */
const SHORT_PATTERN = 24;

/**
 * One comment line for a field in compact declarations, or `undefined` when it would only repeat
 * the type: the description, then a range the description does not already state, a short format
 * or pattern, the default and `@deprecated`. Integer-ness is the `int` type, string lengths and
 * long patterns are left to the pack's validation.
 */
export function compactDoc(
  schema: JsonSchema,
  stated?: (description: string) => boolean,
): string | undefined {
  if (typeof schema !== "object" || schema === null) return undefined;
  const s = schema as Record<string, unknown>;
  const parts: string[] = [];
  const text = typeof s.description === "string" ? s.description : typeof s.title === "string" ? s.title : "";
  const described = oneLine(text);
  if (described && !stated?.(described)) parts.push(described);
  const facts: string[] = [];
  const lo = bound(s, "minimum") ?? bound(s, "exclusiveMinimum");
  const hi = bound(s, "maximum") ?? bound(s, "exclusiveMaximum");
  const states = (n: number) =>
    new RegExp(`(^|[^0-9.])${String(n).replace(".", "\\.")}([^0-9]|$)`).test(text);
  if (!(lo !== undefined && hi !== undefined && states(lo) && states(hi))) {
    const gt = bound(s, "exclusiveMinimum") !== undefined ? ">" : ">=";
    const lt = bound(s, "exclusiveMaximum") !== undefined ? "<" : "<=";
    if (lo !== undefined && hi !== undefined && gt === ">=" && lt === "<=") facts.push(`${lo}..${hi}`);
    else {
      if (lo !== undefined && !states(lo)) facts.push(`${gt} ${lo}`);
      if (hi !== undefined && !states(hi)) facts.push(`${lt} ${hi}`);
    }
  }
  if (bound(s, "multipleOf") !== undefined) facts.push(`multiple of ${bound(s, "multipleOf")}`);
  if (typeof s.format === "string") facts.push(oneLine(s.format));
  if (typeof s.pattern === "string" && s.pattern.length <= SHORT_PATTERN) facts.push(oneLine(s.pattern));
  if (s.default !== undefined) facts.push(`default ${oneLine(safeJson(s.default, 60))}`);
  if (s.deprecated === true) facts.push("@deprecated");
  if (facts.length) parts.push(facts.join(", "));
  return parts.length ? parts.join("; ") : undefined;
}
