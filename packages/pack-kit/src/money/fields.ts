/**
 * Naming rules for answer fields, checked over a tool's JSON Schemas: the conformance kit runs
 * `moneyFieldProblems` on every tool of a pack, and `pnpm conventions` runs `fieldConflicts`
 * over every tool of every pack (one field name, one type and one currency basis everywhere).
 */
import { z } from "zod";

/** A JSON Schema as the MCP tool list carries it. */
type Schema = Record<string, unknown>;

const isSchema = (v: unknown): v is Schema => v !== null && typeof v === "object" && !Array.isArray(v);

/** ISO 4217 codes a field name may carry (`amount_usd_minor`); Intl knows them all where it can. */
function currencyCodes(): Set<string> {
  const intl = Intl as { supportedValuesOf?: (key: string) => string[] };
  const codes = intl.supportedValuesOf?.("currency") ?? ["USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD"];
  return new Set(codes.map((c) => c.toLowerCase()));
}
const CODES = currencyCodes();

/** The ISO code a description names as a word (`USD`), if any. */
function codeIn(description: string): string | undefined {
  return (description.match(/\b[A-Z]{3}\b/g) ?? []).map((w) => w.toLowerCase()).find((w) => CODES.has(w));
}

/** The ISO code a money field's name carries (`amount_usd_minor` -> `usd`), if any. */
export function currencyInName(field: string): string | undefined {
  return field
    .split("_")
    .slice(0, -1)
    .find((part) => CODES.has(part));
}

/** Whether a field is a money field by the kit's naming convention (`*_minor`). */
export const isMoneyField = (field: string): boolean => /(^|_)minor$/.test(field);

/**
 * How a money field states its currency: `name:<code>` (in its name, `amount_usd_minor`),
 * `sibling` (a `currency` field beside it), `described:<code>` (its description names a code,
 * "USD cents"), `described` (its description names a currency, "in the invoice's currency"),
 * or `undefined` (it does not say).
 */
export function currencyBasis(
  field: string,
  property: unknown,
  siblings: readonly string[],
): string | undefined {
  const inName = currencyInName(field);
  if (inName) return `name:${inName}`;
  if (siblings.includes("currency")) return "sibling";
  const description = isSchema(property) ? property["description"] : undefined;
  if (typeof description !== "string") return undefined;
  const code = codeIn(description);
  if (code) return `described:${code}`;
  return /\bcurrenc(y|ies)\b/i.test(description) ? "described" : undefined;
}

/** A basis as a meaning: `fixed:usd` (always that currency), `native` (the row's own) or `unstated`. */
function moneyMeaning(basis: string | undefined): string {
  if (basis === undefined) return "unstated";
  const code = /^(?:name|described):(\w+)$/.exec(basis)?.[1];
  return code ? `fixed:${code}` : "native";
}

/** Calls `visit` for every property of every object (sub)schema, with its path and its siblings' names. */
export function visitFields(
  schema: unknown,
  visit: (path: string, field: string, property: Schema, siblings: string[]) => void,
  path = "",
  depth = 0,
): void {
  if (!isSchema(schema) || depth > 32) return;
  const properties = schema["properties"];
  if (isSchema(properties)) {
    const names = Object.keys(properties);
    for (const [field, property] of Object.entries(properties)) {
      if (!isSchema(property)) continue;
      const at = path ? `${path}.${field}` : field;
      visit(at, field, property, names);
      visitFields(property, visit, at, depth + 1);
    }
  }
  if (isSchema(schema["items"])) visitFields(schema["items"], visit, `${path}[]`, depth + 1);
  for (const key of ["anyOf", "oneOf", "allOf"] as const) {
    const list = schema[key];
    if (Array.isArray(list)) for (const sub of list) visitFields(sub, visit, path, depth + 1);
  }
  if (isSchema(schema["additionalProperties"]))
    visitFields(schema["additionalProperties"], visit, `${path}{}`, depth + 1);
}

/**
 * Every money field (`*_minor`) of a schema that does not say its currency: not in its name
 * (`amount_usd_minor`), no sibling `currency` field, no description naming it. Each problem
 * reads `<path>: ...` with a fix.
 */
export function moneyFieldProblems(schema: unknown): string[] {
  const problems: string[] = [];
  visitFields(schema, (path, field, property, siblings) => {
    if (!isMoneyField(field) || currencyBasis(field, property, siblings)) return;
    problems.push(
      `${path}: a money field must say its currency: name it *_usd_minor (or another ISO code), put a "currency" field beside it, or describe it ("in the invoice's currency")`,
    );
  });
  return problems;
}

/** The JSON type of a property, `null` left out (`integer`, `string`, `array<object>`, `object`). */
function typeOf(property: Schema): string {
  const raw = property["type"];
  let types = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((t) => t !== "null");
  if (types.length === 0) {
    const variants = [property["anyOf"], property["oneOf"]].find(Array.isArray) as unknown[] | undefined;
    types = (variants ?? [])
      .filter(isSchema)
      .map((v) => v["type"])
      .filter((t) => t !== "null" && t !== undefined);
    if ("const" in property) types = [typeof property["const"]];
    if (Array.isArray(property["enum"])) types = [...new Set(property["enum"].map((v) => typeof v))];
  }
  const base = types.map(String).sort().join("|") || "any";
  if (base === "array" && isSchema(property["items"])) return `array<${typeOf(property["items"])}>`;
  return base;
}

/** One use of a field name: where, its JSON type and, for money, how it states its currency. */
export interface FieldUse {
  /** `pack.tool output path`, for messages. */
  where: string;
  field: string;
  type: string;
  /** For money fields: `fixed:usd` (always that currency), `native` (the row's own currency) or `unstated`. */
  money?: string;
}

/** Every leaf (non-object) field of a tool's schema, with its type and currency basis. */
export function fieldUses(where: string, schema: unknown): FieldUse[] {
  const uses: FieldUse[] = [];
  visitFields(schema, (path, field, property, siblings) => {
    const type = typeOf(property);
    if (type === "object" || type.startsWith("array<object")) return;
    const use: FieldUse = { where: `${where} ${path}`, field, type };
    if (isMoneyField(field)) {
      use.money = moneyMeaning(currencyBasis(field, property, siblings));
    }
    uses.push(use);
  });
  return uses;
}

/**
 * Field names used with more than one meaning across the given uses: a different JSON type
 * (`lines: integer` here, `lines: string` there) or, for money, a different currency basis
 * (`unit_cost_minor` in USD in one tool and in the supplier's currency in another). One message
 * per conflicting name, listing one place of each meaning.
 */
export function fieldConflicts(uses: readonly FieldUse[]): string[] {
  const byName = new Map<string, Map<string, string>>();
  for (const use of uses) {
    const meaning = use.money === undefined ? use.type : `${use.type}, currency ${use.money}`;
    const meanings = byName.get(use.field) ?? new Map<string, string>();
    if (!meanings.has(meaning)) meanings.set(meaning, use.where);
    byName.set(use.field, meanings);
  }
  const conflicts: string[] = [];
  for (const [field, meanings] of byName) {
    if (meanings.size < 2) continue;
    const seen = [...meanings].map(([meaning, where]) => `${meaning} (${where})`).join("; ");
    conflicts.push(`field "${field}" has ${meanings.size} meanings: ${seen}; use one name per meaning`);
  }
  return conflicts;
}

/** A tool's input and output as JSON Schemas (what its MCP listing carries), for the checks above. */
export function toolJsonSchemas(tool: { input: z.ZodType; output: z.ZodType }): {
  input: unknown;
  output: unknown;
} {
  return {
    input: z.toJSONSchema(tool.input, { io: "input", unrepresentable: "any" }),
    output: z.toJSONSchema(tool.output, { io: "output", unrepresentable: "any" }),
  };
}
