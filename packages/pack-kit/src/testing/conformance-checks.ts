import type { CallToolResult, Tool } from "@modelcontextprotocol/client";
import { countMoves, parseMoves } from "@toolpacks/moves";
import { expect } from "vitest";
import { DRY_RUN_META, ERROR_CODE_META, IDEMPOTENCY_KEY_META, MOVED_META, MOVES_META } from "../meta-keys.js";
import { moneyFieldProblems } from "../money/fields.js";
import type { PackDefinition } from "../pack/define-pack.js";
import { toolNameProblem } from "../tool/naming.js";
import type { AnyToolDefinition } from "../tool/types.js";
import { badInputs } from "./bad-inputs.js";
import type { ConformanceSession } from "./conformance-world.js";
import { snapshotStore } from "./snapshot.js";

// Each check throws a vitest assertion error that says which tool and which input failed.

const textOf = (result: CallToolResult) => (result.content[0] as { text?: string } | undefined)?.text ?? "";

/** Unique snake_case names, 1-64 chars, unchanged as JS identifiers, matching the definitions. */
export function checkToolNames(pack: PackDefinition, listed: readonly Tool[]): void {
  const names = listed.map((t) => t.name);
  expect(new Set(names).size, "duplicate tool names").toBe(names.length);
  expect([...names].sort()).toEqual(pack.tools.map((t) => t.name).sort());
  for (const name of names) expect(toolNameProblem(name), `tool name "${name}"`).toBeUndefined();
}

/** A title, and a description within bounds that says what the tool returns. */
export function checkDescription(listed: Tool, bounds: { min: number; max: number }): void {
  const { title, description = "" } = listed;
  expect(title, `${listed.name}: title`).toBeTruthy();
  expect(description.length, `${listed.name}: description length`).toBeGreaterThanOrEqual(bounds.min);
  expect(description.length, `${listed.name}: description length`).toBeLessThanOrEqual(bounds.max);
  expect(description, `${listed.name}: the description should say what the tool returns`).toMatch(
    /\breturns?\b/i,
  );
}

/** Object input and output schemas, every input field described for the model. */
export function checkSchemas(listed: Tool): void {
  expect(listed.inputSchema.type).toBe("object");
  expect(listed.outputSchema?.type, `${listed.name}: output schema`).toBe("object");
  for (const [field, property] of Object.entries(listed.inputSchema.properties ?? {})) {
    const description = (property as { description?: string }).description;
    expect(description, `${listed.name}: input field "${field}" needs .describe()`).toBeTruthy();
  }
}

/**
 * Every money field (`*_minor`) of the input and output schemas says its currency: in its name
 * (`amount_usd_minor`), by a `currency` field beside it, or in its description. A model reading
 * `amount_minor` under a top-level `currency: "USD"` cannot tell whether it is USD or the row's
 * own currency.
 */
export function checkMoneyFields(listed: Tool): void {
  const problems = [
    ...moneyFieldProblems(listed.inputSchema).map((p) => `input ${p}`),
    ...moneyFieldProblems(listed.outputSchema).map((p) => `output ${p}`),
  ];
  if (problems.length > 0) {
    throw new Error(`${listed.name}: money fields without a stated currency:\n  ${problems.join("\n  ")}`);
  }
}

/** All four annotations, consistent with the tool's kind, and the contract `_meta`. */
export function checkAnnotations(listed: Tool, tool: AnyToolDefinition): void {
  const { annotations, _meta } = listed;
  for (const hint of ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"] as const) {
    expect(typeof annotations?.[hint], `${listed.name}: ${hint}`).toBe("boolean");
  }
  expect(annotations?.readOnlyHint).toBe(tool.kind === "read");
  if (tool.kind === "read") expect(annotations?.destructiveHint).toBe(false);
  expect(_meta?.["toolpacks.dev/scope"]).toBe(tool.scope);
  expect(_meta?.["toolpacks.dev/budgetTokens"]).toBe(tool.budgetTokens);
  if (tool.kind === "read") {
    expect(_meta?.[MOVES_META], `${listed.name}: a read tool moves nothing; drop "moves"`).toBeUndefined();
  }
}

/** Variants of an example with one integer argument changed (`n -> 2n + 1`), at most `max`. */
function integerVariants(example: unknown, max: number): unknown[] {
  const variants: unknown[] = [];
  const visit = (value: unknown, replace: (v: unknown) => unknown) => {
    if (variants.length >= max) return;
    if (typeof value === "number" && Number.isSafeInteger(value)) variants.push(replace(value * 2 + 1));
    else if (Array.isArray(value)) {
      value.forEach((item, i) => {
        visit(item, (v) => replace(value.map((x, j) => (j === i ? v : x))));
      });
    } else if (value !== null && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) visit(item, (v) => replace({ ...value, [key]: v }));
    }
  };
  visit(example, (v) => v);
  return variants;
}

/**
 * A write declares what it moves (`{ none: true }` included) in its listed `_meta`, in a form
 * that parses and counts at least one example. Then each example, and variants of it with one
 * integer argument changed, is dry-run: what the handler reports moving (`WritePlan.moves`,
 * result `_meta["toolpacks.dev/moved"]`) must never exceed what the declaration counts for the
 * same arguments, a `none` write must report nothing, and a write that declares a sum must
 * report what it moves whenever its dry run plans changes.
 */
export async function checkMoves(
  listed: Tool,
  tool: AnyToolDefinition,
  { client }: ConformanceSession,
): Promise<void> {
  const raw = listed._meta?.[MOVES_META];
  expect(
    raw,
    `${tool.name}: a write tool must declare what it moves: moves: { none: true } when it moves no money, or a sum over its input such as { sum: [{ product: ["amount_minor"] }] }`,
  ).toBeDefined();
  const parsed = parseMoves(raw);
  expect(parsed.ok ? "" : parsed.problem, `${tool.name}: its moves declaration does not parse`).toBe("");
  if (!parsed.ok) return;
  const moves = parsed.moves;
  expect(tool.examples.length, `${tool.name}: add \`examples\` to the tool definition`).toBeGreaterThan(0);
  let counted = 0;
  for (const example of tool.examples) {
    const declared = countMoves(moves, example);
    if (!declared.ok) {
      // A valid call the declaration cannot count is refused under every money budget: allowed
      // only for an optional argument left out (e.g. a cap the caller may omit without a budget).
      expect(
        declared.problem,
        `${tool.name} ${JSON.stringify(example)}: the moves declaration cannot count this example: ${declared.path} ${declared.problem}`,
      ).toBe("is missing");
      continue;
    }
    counted += 1;
    for (const args of [example, ...integerVariants(example, 24)]) {
      const declaredHere = countMoves(moves, args);
      if (!declaredHere.ok) continue;
      const result = await client.call(tool.name, args, { [DRY_RUN_META]: true });
      if (result.isError) continue;
      const reported = result._meta?.[MOVED_META];
      const label = `${tool.name} dry run ${JSON.stringify(args)}`;
      if ("none" in moves) {
        expect(
          reported ?? 0,
          `${label}: declares moves: { none: true } but its handler reports moving ${String(reported)}`,
        ).toBe(0);
        continue;
      }
      const changes = (result.structuredContent as { changes?: unknown[] } | undefined)?.changes ?? [];
      if (changes.length > 0) {
        expect(
          typeof reported,
          `${label}: declares a sum, so its handler must return \`moves\` (what it moves) in its write plan`,
        ).toBe("number");
      }
      if (typeof reported === "number") {
        expect(
          reported,
          `${label}: the handler moves ${reported} but the moves declaration counts only ${declaredHere.minor}; the declaration must bound what the write moves`,
        ).toBeLessThanOrEqual(declaredHere.minor);
      }
    }
  }
  expect(counted, `${tool.name}: no example can be counted by its moves declaration`).toBeGreaterThan(0);
}

/** Every example answers without error, within budget, valid, and the store is unchanged. */
export async function checkReadExamples(
  tool: AnyToolDefinition,
  { store, client }: ConformanceSession,
): Promise<void> {
  expect(tool.examples.length, `${tool.name}: add \`examples\` to the tool definition`).toBeGreaterThan(0);
  const before = await snapshotStore(store);
  for (const example of tool.examples) {
    const result = await client.call(tool.name, example);
    expect(result.isError, `${tool.name} ${JSON.stringify(example)}: ${textOf(result)}`).toBeFalsy();
    expect(tool.output.safeParse(result.structuredContent).success, `${tool.name}: output schema`).toBe(true);
    expect(textOf(result).length, `${tool.name}: text rendering`).toBeGreaterThan(0);
  }
  expect(await snapshotStore(store), `${tool.name}: a read-only tool changed the store`).toBe(before);
}

/** A dry run answers with `dry_run: true` and `changes`, and the file stays byte-for-byte equal. */
export async function checkDryRun(
  tool: AnyToolDefinition,
  { client, digest }: ConformanceSession,
): Promise<void> {
  expect(tool.examples.length, `${tool.name}: add \`examples\` to the tool definition`).toBeGreaterThan(0);
  for (const example of tool.examples) {
    const before = await digest();
    const result = await client.call(tool.name, example, { [DRY_RUN_META]: true });
    expect(result.isError, `${tool.name} dry run ${JSON.stringify(example)}: ${textOf(result)}`).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ dry_run: true });
    expect(Array.isArray((result.structuredContent as { changes?: unknown }).changes)).toBe(true);
    expect(await digest(), `${tool.name}: a dry run changed the database`).toBe(before);
  }
}

/** The same key twice gives the same answer and one write. */
export async function checkIdempotency(
  tool: AnyToolDefinition,
  { client, store }: ConformanceSession,
): Promise<void> {
  expect(tool.examples.length, `${tool.name}: add \`examples\` to the tool definition`).toBeGreaterThan(0);
  for (const [i, example] of tool.examples.entries()) {
    const key = { [IDEMPOTENCY_KEY_META]: `conformance-${tool.name}-${i}` };
    const first = await client.call(tool.name, example, key);
    expect(first.isError, `${tool.name} ${JSON.stringify(example)}: ${textOf(first)}`).toBeFalsy();
    expect(first.structuredContent).toMatchObject({ dry_run: false });
    const afterFirst = await snapshotStore(store);
    const second = await client.call(tool.name, example, key);
    expect(second.structuredContent, `${tool.name}: a retry returns the first answer`).toEqual(
      first.structuredContent,
    );
    expect(await snapshotStore(store), `${tool.name}: a retry with the same key wrote again`).toBe(
      afterFirst,
    );
  }
}

/** Malformed and hostile input: a tool error (never a crash, an internal error or a half write). */
export async function checkBadInputs(
  tool: AnyToolDefinition,
  { client, store }: ConformanceSession,
): Promise<void> {
  const example = tool.examples[0] as Record<string, unknown> | undefined;
  expect(example, `${tool.name}: add \`examples\` to the tool definition`).toBeDefined();
  for (const bad of badInputs(tool, example!)) {
    const before = await snapshotStore(store);
    let result: CallToolResult;
    try {
      result = await client.call(tool.name, bad.args, {
        [IDEMPOTENCY_KEY_META]: `bad-${crypto.randomUUID()}`,
      });
    } catch (error) {
      throw new Error(
        `${tool.name} ${bad.label}: the call crashed instead of answering a tool error: ${String(error)}`,
      );
    }
    const polluted = ({} as Record<string, unknown>)["polluted"];
    expect(polluted, `${tool.name} ${bad.label}: polluted Object.prototype`).toBeUndefined();
    const code = result._meta?.[ERROR_CODE_META];
    expect(code, `${tool.name} ${bad.label}: internal error instead of a tool error`).not.toBe(
      "internal_error",
    );
    if (bad.mustFail) expect(result.isError, `${tool.name} ${bad.label}: accepted`).toBe(true);
    if (result.isError)
      expect(await snapshotStore(store), `${tool.name} ${bad.label}: failed but wrote`).toBe(before);
  }
}
