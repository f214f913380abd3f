import type { CallToolResult } from "@modelcontextprotocol/server";
import { expect } from "vitest";
import { z } from "zod";
import { ERROR_CODE_META, TOKENS_META, TRIMMED_META } from "../meta-keys.js";
import { definePack, type PackDefinition } from "../pack/define-pack.js";
import type { AnyToolDefinition } from "../tool/types.js";
import type { ConformanceSession } from "./conformance-world.js";

/** One call at the largest page a read tool's input schema accepts. */
export interface FullPageCall {
  /** The input field set to its maximum: `limit` or an id list. */
  field: string;
  /** What was maxed, for messages: `limit: 25` or `order_ids: 20 ids`. */
  label: string;
  args: Record<string, unknown>;
}

type Property = {
  type?: string | string[];
  maximum?: number;
  maxItems?: number;
  items?: { type?: string | string[] };
};

const hasType = (p: Property | undefined, type: string) =>
  p !== undefined && (Array.isArray(p.type) ? p.type.includes(type) : p.type === type);

function inputProperties(tool: AnyToolDefinition): Record<string, Property> {
  const schema = z.toJSONSchema(tool.input, { io: "input", unrepresentable: "any" }) as {
    properties?: Record<string, Property & { anyOf?: Property[] }>;
  };
  return Object.fromEntries(
    Object.entries(schema.properties ?? {}).map(([field, raw]) => [
      field,
      raw.anyOf?.find((p) => p.type && p.type !== "null") ?? raw,
    ]),
  );
}

/**
 * More ids like the given ones, counting up their trailing number with its width kept
 * (`SO-0000001` -> `SO-0000002`, ...): generated worlds number their records, so these exist.
 * `undefined` when no id ends in digits.
 */
export function countUpIds(ids: readonly string[], count: number): string[] | undefined {
  const out = [...new Set(ids)].slice(0, count);
  const base = ids.map((id) => /^(.*?)(\d+)$/.exec(id)).find((m) => m !== null);
  if (!base) return out.length >= count ? out : undefined;
  const [, prefix, digits] = base as unknown as [string, string, string];
  for (let n = Number(digits); out.length < count; n++) {
    const id = `${prefix}${String(n).padStart(digits.length, "0")}`;
    if (!out.includes(id)) out.push(id);
  }
  return out;
}

/**
 * The calls that ask a read tool for the largest page its schema allows, one per example: the
 * example with `limit` at its maximum, or, for a tool without `limit`, with each id list in it
 * filled to its `maxItems` (ids counted up from the example's, see `countUpIds`). Empty for a
 * tool with neither. Throws when an id list cannot be filled, so the pack passes its own calls.
 */
export function fullPageCalls(tool: AnyToolDefinition): FullPageCall[] {
  if (tool.kind !== "read") return [];
  const properties = inputProperties(tool);
  const limit = properties["limit"];
  const examples = tool.examples as Array<Record<string, unknown>>;
  if (hasType(limit, "integer") && limit?.maximum !== undefined) {
    const max = limit.maximum;
    return examples.map((example) => ({
      field: "limit",
      label: `limit: ${max}`,
      args: { ...example, limit: max },
    }));
  }
  const lists = Object.entries(properties).filter(
    ([, p]) => hasType(p, "array") && hasType(p.items, "string") && p.maxItems !== undefined,
  );
  const calls: FullPageCall[] = [];
  for (const [field, property] of lists) {
    const max = property.maxItems!;
    for (const example of examples) {
      const given = example[field];
      if (!Array.isArray(given)) continue;
      const ids = countUpIds(given.map(String), max);
      if (!ids) {
        throw new Error(
          `${tool.name}: cannot fill "${field}" to its ${max} items from the example's ids (${JSON.stringify(given)}). ` +
            `Fix: pass describePackConformance(pack, { fullPages: { calls: { ${tool.name}: [{ ${field}: [...${max} ids] }] } } }).`,
        );
      }
      calls.push({ field, label: `${field}: ${max} ids`, args: { ...example, [field]: ids } });
    }
  }
  return calls;
}

/** The pack with every budget lifted, so a call's answer is measured whole instead of refused. */
export function unbudgetedPack(pack: PackDefinition): PackDefinition {
  return definePack({
    ...pack,
    tools: pack.tools.map((t) => ({ ...t, budgetTokens: Number.MAX_SAFE_INTEGER }) as AnyToolDefinition),
  });
}

const textOf = (result: CallToolResult) => (result.content[0] as { text?: string } | undefined)?.text ?? "";

/**
 * Each full-page call answers within the tool's budget without the budget guard cutting it:
 * measured whole on `measure` (a session over `unbudgetedPack`), then called as at run time on
 * `runtime` (budget `"trim"`), where the answer must carry no trimmed marker. A cut page loses
 * data silently for a program that pages: `next_cursor` continues after the dropped items.
 */
export async function checkFullPages(
  tool: AnyToolDefinition,
  calls: readonly FullPageCall[],
  sessions: { measure: ConformanceSession; runtime: ConformanceSession },
): Promise<void> {
  const fix = (field: string) =>
    `Fix: lower the maximum of "${field}" (pageInputShape's maxLimit, or the list's .max()) until a full page fits, or raise budgetTokens if the answer is worth it.`;
  for (const { field, label, args } of calls) {
    const whole = await sessions.measure.client.call(tool.name, args);
    expect(
      whole.isError,
      `${tool.name} ${JSON.stringify(args)}: ${textOf(whole)} (${String(whole._meta?.[ERROR_CODE_META])})`,
    ).toBeFalsy();
    const tokens = Number(whole._meta?.[TOKENS_META]);
    expect(
      tokens,
      `${tool.name} at its largest page (${label}) answers ${tokens} tokens, over its ${tool.budgetTokens}-token budget: ` +
        `at run time the budget guard cuts the page and next_cursor skips what was cut. ${fix(field)}`,
    ).toBeLessThanOrEqual(tool.budgetTokens);
    const ran = await sessions.runtime.client.call(tool.name, args);
    expect(ran.isError, `${tool.name} ${JSON.stringify(args)}: ${textOf(ran)}`).toBeFalsy();
    expect(
      ran._meta?.[TRIMMED_META],
      `${tool.name} at its largest page (${label}) was trimmed to fit its ${tool.budgetTokens}-token budget ` +
        `(measured ${tokens} tokens whole). ${fix(field)}`,
    ).toBeUndefined();
  }
}
