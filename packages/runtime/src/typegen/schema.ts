/**
 * JSON Schema (2020-12, plus draft-07 `definitions` and OpenAPI `nullable`) to TypeScript
 * type text for the declarations the model reads.
 */

export type JsonSchema = boolean | Record<string, unknown>;

export interface TypeContext {
  /** The schema `$ref`s resolve against (the tool's input or output schema). */
  root: JsonSchema;
  /** Called for each local `$ref` target; returns the alias name to use. */
  refName(pointer: string): string | undefined;
  depth: number;
}

const MAX_DEPTH = 16;
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function propertyKey(key: string): string {
  return IDENT.test(key) ? key : JSON.stringify(key);
}

/** A JSDoc-safe line: no comment terminator, no line breaks. */
export function docText(text: string): string {
  return text.replace(/\*\//g, "*\\/").replace(/\r/g, "");
}

/** JSDoc lines from a schema's description, default, ranges, formats and examples. */
export function schemaDocLines(schema: JsonSchema): string[] {
  if (typeof schema !== "object" || schema === null) return [];
  const s = schema as Record<string, unknown>;
  const lines: string[] = [];
  if (typeof s.title === "string" && typeof s.description !== "string")
    lines.push(...docText(s.title).split("\n"));
  if (typeof s.description === "string") lines.push(...docText(s.description).split("\n"));
  const facts: string[] = [];
  // Bounds that only restate the safe-integer range (zod's .int()) are noise for the reader.
  const num = (k: string) =>
    typeof s[k] === "number" && Math.abs(s[k] as number) < Number.MAX_SAFE_INTEGER
      ? (s[k] as number)
      : undefined;
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
  return lines.map((l) => l.replace(/\n/g, " "));
}

export function renderDoc(lines: string[], indent: string): string {
  if (lines.length === 0) return "";
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((l) => `${indent} * ${l}`).join("\n")}\n${indent} */\n`;
}

function safeJson(v: unknown): string {
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 200 ? `${s.slice(0, 200)}…` : s;
  } catch {
    return String(v);
  }
}

function literal(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "string") return JSON.stringify(v);
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
  return /[|&]/.test(t) ? `(${t})` : t;
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
  if (Array.isArray(s.enum)) return s.enum.length ? union(s.enum.map(literal)) : "never";
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
    case "integer":
      return "number";
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
  if (extra !== undefined && extra !== false) {
    index = extra === true ? "unknown" : schemaToType(extra as JsonSchema, ctx, `${indent}  `);
  }
  if (patterns.length) {
    const pt = union(patterns.map((p) => schemaToType(p, ctx, `${indent}  `)));
    index = index ? union([index, pt]) : pt;
  }
  if (keys.length === 0) {
    if (index !== undefined) return `Record<string, ${index}>`;
    return extra === false ? "Record<string, never>" : "Record<string, unknown>";
  }
  const inner = `${indent}  `;
  const lines: string[] = [];
  for (const key of keys) {
    const ps = props[key] as JsonSchema;
    const doc = renderDoc(schemaDocLines(ps), inner);
    const opt = required.has(key) ? "" : "?";
    lines.push(`${doc}${inner}${propertyKey(key)}${opt}: ${schemaToType(ps, ctx, inner)};`);
  }
  if (index !== undefined) {
    // Index signatures must admit every declared property type.
    lines.push(`${inner}[key: string]: unknown;`);
  }
  return `{\n${lines.join("\n")}\n${indent}}`;
}
