import { type Moves, parseMoves } from "@toolpacks/moves";
import { z } from "zod";
import { PackKitError } from "../errors.js";
import { toolNameProblem } from "./naming.js";
import type {
  ObjectSchema,
  ReadToolDefinition,
  ReadToolSpec,
  ToolSpecBase,
  WriteToolDefinition,
  WriteToolSpec,
} from "./types.js";

/** Keys the kit adds to every write answer; a write tool's own output may not use them. */
const WRITE_ENVELOPE_KEYS = ["dry_run", "changes"] as const;

function checkBase<I extends ObjectSchema, O extends ObjectSchema>(spec: ToolSpecBase<I, O>): void {
  const problem = toolNameProblem(spec.name);
  if (problem) {
    throw new PackKitError("invalid_tool_name", `Tool name "${spec.name}" ${problem}; rename the tool.`);
  }
  if (!(spec.input instanceof z.ZodObject) || !(spec.output instanceof z.ZodObject)) {
    throw new PackKitError(
      "invalid_tool_schema",
      `Tool "${spec.name}" needs z.object(...) input and output schemas: MCP tool arguments and structured results are JSON objects.`,
    );
  }
  if (!Number.isInteger(spec.budgetTokens) || spec.budgetTokens < 1) {
    throw new PackKitError("invalid_budget", `Tool "${spec.name}" needs a positive integer budgetTokens.`);
  }
  if (!spec.scope.trim()) {
    throw new PackKitError("invalid_scope", `Tool "${spec.name}" needs a scope such as "crm:read".`);
  }
}

/**
 * A write must say what it moves, in a declaration that parses and names input fields the tool
 * has (a typo would make every money budget refuse the tool).
 */
function checkMoves<I extends ObjectSchema, O extends ObjectSchema>(spec: WriteToolSpec<I, O>): Moves {
  const parsed = parseMoves((spec as { moves?: unknown }).moves);
  if (!parsed.ok) {
    throw new PackKitError(
      "invalid_moves",
      `Tool "${spec.name}" must declare what it moves: moves: { none: true } for a write that moves no money, or a sum over its input such as { sum: [{ product: ["amount_minor"] }] } (${parsed.problem}).`,
    );
  }
  if ("sum" in parsed.moves) {
    const fields = Object.keys(spec.input.shape);
    const roots = parsed.moves.sum.flatMap((term) =>
      term.each !== undefined ? [term.each] : term.product.filter((f): f is string => typeof f === "string"),
    );
    if (parsed.moves.currency !== undefined) roots.push(parsed.moves.currency);
    const unknown = roots.map((path) => path.split(".")[0]!).find((root) => !fields.includes(root));
    if (unknown) {
      throw new PackKitError(
        "invalid_moves",
        `Tool "${spec.name}" declares moves over "${unknown}", which is not one of its input fields (${fields.join(", ")}).`,
      );
    }
  }
  return parsed.moves;
}

/**
 * Defines a read tool: it queries the store and answers; the kit marks it read-only,
 * non-destructive and idempotent. Throws `PackKitError` on an invalid name, non-object schemas,
 * a missing scope or a non-positive budget.
 */
export function defineTool<I extends ObjectSchema, O extends ObjectSchema>(
  spec: ReadToolSpec<I, O>,
): ReadToolDefinition<I, O> {
  checkBase(spec);
  return {
    kind: "read",
    name: spec.name,
    title: spec.title,
    description: spec.description,
    input: spec.input,
    output: spec.output,
    scope: spec.scope,
    budgetTokens: spec.budgetTokens,
    examples: spec.examples ?? [],
    render: spec.render,
    annotations: {
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: spec.openWorld ?? false,
    },
    handler: spec.handler,
  };
}

/**
 * Defines a write tool. Its handler returns a plan (`{ result, writes, moves? }`); the kit runs
 * the writes atomically with the idempotency record, or only reports them on a dry run. `moves`
 * declares what one call moves (required: `{ none: true }` when it moves no money); an invalid
 * declaration throws `PackKitError` `invalid_moves`. The wire
 * output is the result plus `dry_run` (boolean) and `changes` (one line per planned statement).
 */
export function defineWriteTool<I extends ObjectSchema, O extends ObjectSchema>(
  spec: WriteToolSpec<I, O>,
): WriteToolDefinition<I, O> {
  checkBase(spec);
  const clash = WRITE_ENVELOPE_KEYS.find((key) => key in spec.output.shape);
  if (clash) {
    throw new PackKitError(
      "invalid_tool_schema",
      `Tool "${spec.name}" output uses "${clash}", which the kit adds to every write answer; rename that field.`,
    );
  }
  return {
    kind: "write",
    name: spec.name,
    title: spec.title,
    description: spec.description,
    input: spec.input,
    resultOutput: spec.output,
    output: spec.output.extend({
      dry_run: z.boolean().describe("true when nothing was written because the call was a dry run"),
      changes: z.array(z.string()).describe("what the write changed (or would change, on a dry run)"),
    }),
    scope: spec.scope,
    budgetTokens: spec.budgetTokens,
    moves: checkMoves(spec),
    examples: spec.examples ?? [],
    render: spec.render,
    annotations: {
      readOnlyHint: false,
      destructiveHint: spec.destructive,
      idempotentHint: spec.idempotent,
      openWorldHint: spec.openWorld ?? false,
    },
    handler: spec.handler,
  };
}
