import { z } from "zod";

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
};

/** Shows a received value without echoing a hostile or huge string back in full. */
export function preview(value: unknown): string {
  let text: string;
  try {
    text = typeof value === "bigint" ? `${value}` : (JSON.stringify(value) ?? String(value));
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** One line describing what a field accepts, from its JSON Schema: type, allowed values, range. */
export function describeAllowed(schema: JsonSchema | undefined): string {
  if (!schema) return "";
  if (schema.anyOf) return schema.anyOf.map(describeAllowed).filter(Boolean).join(" or ");
  if (schema.enum) return `one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}`;
  if (schema.const !== undefined) return `exactly ${JSON.stringify(schema.const)}`;
  const parts: string[] = [];
  const type = Array.isArray(schema.type) ? schema.type.join(" or ") : schema.type;
  if (type) parts.push(schema.format ? `${type} (${schema.format})` : type);
  const low = schema.minimum ?? schema.exclusiveMinimum;
  const high = schema.maximum ?? schema.exclusiveMaximum;
  if (low !== undefined && high !== undefined) parts.push(`from ${low} to ${high}`);
  else if (low !== undefined) parts.push(`at least ${low}`);
  else if (high !== undefined) parts.push(`at most ${high}`);
  if (schema.minLength !== undefined || schema.maxLength !== undefined) {
    parts.push(`${schema.minLength ?? 0} to ${schema.maxLength ?? "any number of"} characters`);
  }
  if (schema.minItems !== undefined || schema.maxItems !== undefined) {
    parts.push(`${schema.minItems ?? 0} to ${schema.maxItems ?? "any number of"} items`);
  }
  if (schema.pattern && !schema.format) parts.push(`matching /${schema.pattern}/`);
  return parts.join(", ");
}

function fieldSchema(root: JsonSchema, path: readonly PropertyKey[]): JsonSchema | undefined {
  let node: JsonSchema | undefined = root;
  for (const key of path) {
    if (!node) return undefined;
    node = typeof key === "number" ? node.items : node.properties?.[String(key)];
  }
  return node;
}

const cache = new WeakMap<z.ZodType, JsonSchema>();
function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  let json = cache.get(schema);
  if (!json) {
    try {
      json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
    } catch {
      json = {};
    }
    cache.set(schema, json);
  }
  return json;
}

function fieldName(path: readonly PropertyKey[]): string {
  return path
    .map((k) => (typeof k === "number" ? `[${k}]` : String(k)))
    .join(".")
    .replace(/\.\[/g, "[");
}

/**
 * Turns zod issues into one message a model can act on: each offending field, what it got,
 * why that is wrong and what the field accepts (type, allowed values, range).
 */
export function formatInputIssues(
  toolName: string,
  schema: z.ZodObject,
  issues: readonly z.core.$ZodIssue[],
): string {
  const root = jsonSchemaOf(schema);
  const lines = issues.slice(0, 5).map((issue) => {
    const field = fieldName(issue.path);
    if (issue.code === "unrecognized_keys") {
      const allowed = Object.keys(schema.shape).join(", ");
      return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}; allowed fields: ${allowed}`;
    }
    const allowed = describeAllowed(fieldSchema(root, issue.path));
    const missing = issue.code === "invalid_type" && "input" in issue && issue.input === undefined;
    if (missing) return `"${field}" is required but missing${allowed ? `, expected ${allowed}` : ""}`;
    const got = "input" in issue && issue.input !== undefined ? `got ${preview(issue.input)}` : "is invalid";
    // zod's own wording only where the schema cannot say it (refinements, unions, formats).
    const plain = ["invalid_type", "too_small", "too_big", "invalid_value"].includes(issue.code) && allowed;
    const why = plain ? "" : ` (${issue.message})`;
    return `"${field || "(arguments)"}" ${got}${why}${allowed ? `, expected ${allowed}` : ""}`;
  });
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more problems)` : "";
  return `Invalid arguments for ${toolName}: ${lines.join("; ")}${more}. Fix: correct ${issues.length > 1 ? "these fields" : "this field"} and call ${toolName} again.`;
}
