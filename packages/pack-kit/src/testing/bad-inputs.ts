import { z } from "zod";
import type { AnyToolDefinition } from "../tool/types.js";

/** One hostile or malformed call the conformance kit makes. */
export interface BadInput {
  label: string;
  args: Record<string, unknown>;
  /** The schema alone must refuse it (wrong type, missing field, out of range, unknown field). */
  mustFail: boolean;
}

type Property = {
  type?: string | string[];
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  pattern?: string;
  format?: string;
};

/** Strings that break naive SQL, shells, HTML, JSON or Unicode handling. */
export const HOSTILE_STRINGS: readonly string[] = [
  "'; DROP TABLE IF EXISTS _migrations; --",
  '" OR 1=1 --',
  "%' OR '%'='",
  "\u0000null\u0000byte",
  "<script>alert(1)</script>",
  "../../../../etc/passwd",
  "\ud800 lone surrogate",
  "x".repeat(100_000),
];

/**
 * Malformed and hostile variants of a valid example, one field at a time: a missing required
 * field, wrong types, huge and fractional numbers, values outside an enum, hostile strings and
 * unknown fields (including `__proto__`).
 */
export function badInputs(tool: AnyToolDefinition, example: Record<string, unknown>): BadInput[] {
  const schema = z.toJSONSchema(tool.input, { io: "input", unrepresentable: "any" }) as {
    properties?: Record<string, Property & { anyOf?: Property[] }>;
    required?: string[];
  };
  const out: BadInput[] = [];
  const required = schema.required ?? [];
  for (const field of required) {
    const { [field]: _dropped, ...rest } = example;
    out.push({ label: `missing required "${field}"`, args: rest, mustFail: true });
  }
  for (const [field, raw] of Object.entries(schema.properties ?? {})) {
    const property: Property = raw.anyOf?.find((p) => p.type && p.type !== "null") ?? raw;
    const types = Array.isArray(property.type) ? property.type : [property.type];
    const variant = (label: string, value: unknown, mustFail: boolean) =>
      out.push({ label: `"${field}" ${label}`, args: { ...example, [field]: value }, mustFail });
    if (types.includes("string")) {
      variant("as a number", 12345, true);
      const constrained = Boolean(property.enum || property.pattern || property.format);
      for (const s of HOSTILE_STRINGS)
        variant(`= hostile ${JSON.stringify(s.slice(0, 20))}`, s, Boolean(property.enum));
      if (constrained) variant("outside its allowed values", "__not_allowed__", true);
    }
    if (types.includes("number") || types.includes("integer")) {
      variant("as a string", "12", true);
      variant("= 1e308", 1e308, property.maximum !== undefined || property.exclusiveMaximum !== undefined);
      variant("= -1e308", -1e308, property.minimum !== undefined || property.exclusiveMinimum !== undefined);
      if (types.includes("integer")) variant("= 0.5", 0.5, true);
    }
    if (types.includes("boolean")) variant("as a string", "yes", true);
    if (types.includes("array")) variant("as a string", "not-an-array", true);
    if (types.includes("object")) variant("as a number", 42, true);
  }
  out.push({ label: "with an unknown field", args: { ...example, unexpected_field: 1 }, mustFail: true });
  // The SDK's request parsing turns a `__proto__` key into the arguments' prototype before the
  // tool sees it; what matters is that nothing global is polluted (the kit checks that).
  out.push({
    label: "with a __proto__ field",
    args: { ...example, ...JSON.parse('{"__proto__": {"polluted": true}}') },
    mustFail: false,
  });
  return out;
}
