/**
 * JSON Schema (2020-12, plus draft-07 `definitions` and OpenAPI `nullable`) to TypeScript
 * type text for the declarations the model reads.
 */

import { compactDoc, type DeclarationDetail, inlineDoc, renderDoc, schemaDocLines } from "./docs.js";
import { propertyKey, stringLiteral } from "./escape.js";

export { propertyKey };

export type JsonSchema = boolean | Record<string, unknown>;

export interface TypeContext {
  /** The schema `$ref`s resolve against (the tool's input or output schema). */
  root: JsonSchema;
  /** Called for each local `$ref` target; returns the alias name to use. */
  refName(pointer: string): string | undefined;
  depth: number;
  /** `compact` (default): `int` for integers, one-line field comments, small objects on one line. */
  detail?: DeclarationDetail;
  /** Whether a field's description is stated once for the whole file (compact only), so left off the field. */
  shared?: (key: string, description: string) => boolean;
  /** The file's name for an enum it declares once (compact only). */
  enumName?: (values: readonly unknown[]) => string | undefined;
  /** The description a named enum states once on its alias (compact only), so left off its fields. */
  enumNote?: (values: readonly unknown[]) => string | undefined;
}

/** Nested objects whose one-line form fits this many characters are written on one line. */
const INLINE_WIDTH = 200;

const MAX_DEPTH = 16;

function literal(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "string") return stringLiteral(v);
  if (typeof v === "number") return Number.isFinite(v) ? (v < 0 ? `(${v})` : String(v)) : "number";
  if (typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return "unknown[]";
  if (typeof v === "object") return "Record<string, unknown>";
  return "unknown";
}

function union(parts: string[]): string {
  const uniq = [...new Set(parts)];
  if (uniq.includes("unknown")) return "unknown";
  if (uniq.length === 0) return "never";
  return uniq.length === 1 ? (uniq[0] as string) : uniq.map(paren).join(" | ");
}

function paren(t: string): string {
  return hasTopLevelOperator(t) ? `(${t})` : t;
}

/** Whether `t` has a `|` or `&` outside brackets, strings and comments (so `{ a: 1 | 2 }[]` needs no parentheses). */
function hasTopLevelOperator(t: string): boolean {
  let depth = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t[i];
    if (c === '"') {
      for (i++; i < t.length && t[i] !== '"'; i++) if (t[i] === "\\") i++;
    } else if (c === "/" && t[i + 1] === "*") {
      const end = t.indexOf("*/", i + 2);
      i = end < 0 ? t.length : end + 1;
    } else if (c === "{" || c === "(" || c === "[" || c === "<") depth++;
    else if (c === "}" || c === ")" || c === "]" || c === ">") depth--;
    else if (depth === 0 && (c === "|" || c === "&")) return true;
  }
  return false;
}

/** A string enum needs this many values before naming it once is cheaper than repeating it. */
const MIN_VALUES = 3;

/** The values of a string enum worth naming once (or of an array of them), if the field is one. */
export function stringEnum(schema: JsonSchema): string[] | undefined {
  if (typeof schema !== "object" || schema === null) return undefined;
  const values = Array.isArray(schema.enum) ? schema.enum : undefined;
  if (values && values.length >= MIN_VALUES && values.every((v) => typeof v === "string")) return values;
  return schema.type === "array" && schema.items !== undefined
    ? stringEnum(schema.items as JsonSchema)
    : undefined;
}

/** Resolves a local JSON pointer (`#/$defs/X`) against the root schema. */
export function resolvePointer(root: JsonSchema, pointer: string): JsonSchema | undefined {
  if (!pointer.startsWith("#")) return undefined;
  const parts = pointer
    .slice(1)
    .split("/")
    .filter(Boolean)
    .map((p) => decodeURIComponent(p).replace(/~1/g, "/").replace(/~0/g, "~"));
  let cur: unknown = root;
  for (const p of parts) {
    if (cur === null || typeof cur !== "object" || !Object.hasOwn(cur as object, p)) return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return typeof cur === "boolean" || (cur !== null && typeof cur === "object")
    ? (cur as JsonSchema)
    : undefined;
}

/**
 * Whether the schema at `pointer` reaches itself through `$ref`s alone (or `anyOf`/`oneOf`/`allOf`),
 * with no object or array in between: TypeScript rejects such an alias as circular.
 */
export function refersToItself(root: JsonSchema, pointer: string): boolean {
  const seen = new Set<string>();
  const reaches = (schema: JsonSchema | undefined): boolean => {
    if (typeof schema !== "object" || schema === null) return false;
    const s = schema as Record<string, unknown>;
    if (typeof s.$ref === "string") {
      if (s.$ref === pointer) return true;
      if (!seen.has(s.$ref)) {
        seen.add(s.$ref);
        if (reaches(resolvePointer(root, s.$ref))) return true;
      }
    }
    for (const k of ["anyOf", "oneOf", "allOf"])
      if (Array.isArray(s[k]) && (s[k] as JsonSchema[]).some(reaches)) return true;
    return false;
  };
  return reaches(resolvePointer(root, pointer));
}

/** The TypeScript type for a schema. `indent` is the indentation of the line the type starts on. */
export function schemaToType(schema: JsonSchema | undefined, ctx: TypeContext, indent = ""): string {
  if (schema === undefined || schema === true) return "unknown";
  if (schema === false) return "never";
  if (typeof schema !== "object" || schema === null) return "unknown";
  if (ctx.depth > MAX_DEPTH) return "unknown";
  const inner: TypeContext = { ...ctx, depth: ctx.depth + 1 };
  const s = schema as Record<string, unknown>;
  let t = baseType(s, inner, indent);
  if (s.nullable === true && t !== "unknown") t = union([t, "null"]);
  return t;
}

function baseType(s: Record<string, unknown>, ctx: TypeContext, indent: string): string {
  if (typeof s.$ref === "string") {
    const name = ctx.refName(s.$ref);
    if (name) return name;
    return "unknown";
  }
  if (Object.hasOwn(s, "const")) return literal(s.const);
  if (Array.isArray(s.enum))
    return ctx.enumName?.(s.enum) ?? (s.enum.length ? union(s.enum.map(literal)) : "never");
  const variants = (Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : undefined) as
    | JsonSchema[]
    | undefined;
  if (variants) {
    const rest = { ...s };
    delete rest.anyOf;
    delete rest.oneOf;
    const base = hasTypeInfo(rest) ? schemaToType(rest, ctx, indent) : undefined;
    const u = union(variants.map((v) => schemaToType(v, ctx, indent)));
    return base && base !== "unknown" && u !== "unknown" ? `${paren(base)} & (${u})` : u;
  }
  if (Array.isArray(s.allOf)) {
    const parts = (s.allOf as JsonSchema[])
      .map((v) => schemaToType(v, ctx, indent))
      .filter((p) => p !== "unknown");
    const rest = { ...s };
    delete rest.allOf;
    if (hasTypeInfo(rest)) parts.unshift(schemaToType(rest, ctx, indent));
    return parts.length === 0 ? "unknown" : [...new Set(parts)].map(paren).join(" & ");
  }
  const type = s.type;
  if (Array.isArray(type)) return union(type.map((one) => schemaToType({ ...s, type: one }, ctx, indent)));
  switch (type) {
    case "string":
      return "string";
    case "number":
      return "number";
    case "integer":
      return ctx.detail === "full" ? "number" : "int";
    case "boolean":
      return "boolean";
    case "null":
      return "null";
    case "array":
      return arrayType(s, ctx, indent);
    case "object":
      return objectType(s, ctx, indent);
  }
  if (s.properties || s.additionalProperties || s.patternProperties) return objectType(s, ctx, indent);
  if (s.items || s.prefixItems) return arrayType(s, ctx, indent);
  return "unknown";
}

function hasTypeInfo(s: Record<string, unknown>): boolean {
  return ["type", "properties", "items", "enum", "const", "$ref", "additionalProperties"].some((k) =>
    Object.hasOwn(s, k),
  );
}

function arrayType(s: Record<string, unknown>, ctx: TypeContext, indent: string): string {
  if (Array.isArray(s.prefixItems)) {
    const items = (s.prefixItems as JsonSchema[]).map((p) => schemaToType(p, ctx, indent));
    if (s.items !== false) {
      const rest = s.items ? paren(schemaToType(s.items as JsonSchema, ctx, indent)) : "unknown";
      items.push(`...${rest}[]`);
    }
    return `[${items.join(", ")}]`;
  }
  if (Array.isArray(s.items)) {
    // draft-07 tuple form
    return `[${(s.items as JsonSchema[]).map((p) => schemaToType(p, ctx, indent)).join(", ")}]`;
  }
  const item = schemaToType(s.items as JsonSchema | undefined, ctx, indent);
  return `${paren(item)}[]`;
}

function objectType(s: Record<string, unknown>, ctx: TypeContext, indent: string): string {
  const props = (s.properties && typeof s.properties === "object" ? s.properties : {}) as Record<
    string,
    JsonSchema
  >;
  const required = new Set(Array.isArray(s.required) ? (s.required as unknown[]).map(String) : []);
  const keys = Object.keys(props);
  const extra = s.additionalProperties;
  const patterns =
    s.patternProperties && typeof s.patternProperties === "object"
      ? Object.values(s.patternProperties as Record<string, JsonSchema>)
      : [];
  let index: string | undefined;
  // `Record<string, Alias>` inside that alias would be circular; an index signature is not.
  let aliased = false;
  const probe: TypeContext = {
    ...ctx,
    refName: (pointer) => {
      const name = ctx.refName(pointer);
      aliased ||= name !== undefined;
      return name;
    },
  };
  if (extra !== undefined && extra !== false) {
    index = extra === true ? "unknown" : schemaToType(extra as JsonSchema, probe, `${indent}  `);
  }
  if (patterns.length) {
    const pt = union(patterns.map((p) => schemaToType(p, probe, `${indent}  `)));
    index = index ? union([index, pt]) : pt;
  }
  if (keys.length === 0) {
    if (index !== undefined) return aliased ? `{ [key: string]: ${index} }` : `Record<string, ${index}>`;
    return extra === false ? "Record<string, never>" : "Record<string, unknown>";
  }
  const inner = `${indent}  `;
  if (ctx.detail === "full") {
    const lines: string[] = [];
    for (const key of keys) {
      const ps = props[key] as JsonSchema;
      const doc = renderDoc(schemaDocLines(ps), inner);
      const opt = required.has(key) ? "" : "?";
      lines.push(`${doc}${inner}${propertyKey(key)}${opt}: ${schemaToType(ps, ctx, inner)};`);
    }
    // Index signatures must admit every declared property type.
    if (index !== undefined) lines.push(`${inner}[key: string]: unknown;`);
    return `{\n${lines.join("\n")}\n${indent}}`;
  }
  const members = keys.map((key) => {
    const ps = props[key] as JsonSchema;
    const opt = required.has(key) ? "" : "?";
    const values = stringEnum(ps);
    const stated = (d: string) =>
      (ctx.shared?.(key, d) ?? false) || (values !== undefined && ctx.enumNote?.(values) === d);
    return `${inlineDoc(compactDoc(ps, stated))}${propertyKey(key)}${opt}: ${schemaToType(ps, ctx, inner)};`;
  });
  if (index !== undefined) members.push("[key: string]: unknown;");
  // The tool's own input and output (depth 1) keep one member per line; nested objects that fit go on one.
  const flat = `{ ${members.map((m) => m.slice(0, -1)).join("; ")} }`;
  if (ctx.depth > 1 && flat.length <= INLINE_WIDTH && !flat.includes("\n")) return flat;
  return `{\n${members.map((m) => inner + m).join("\n")}\n${indent}}`;
}
