import type { Moves } from "@toolpacks/moves";
import type { z } from "zod";
import type { ReadStore, Statement } from "../store/types.js";

/** A zod object schema: MCP tool inputs and outputs are always JSON objects. */
export type ObjectSchema = z.ZodObject;

/** What every tool handler receives besides its parsed input. */
export interface ToolContext {
  /** Read access to the pack's store (writes go through the returned plan, never directly). */
  readonly store: ReadStore;
  /**
   * The date (`YYYY-MM-DD`) the pack's data is true as of, from provenance: the last import's
   * export date for imported data, the world's date for a seeded store. Answers are "as of" it.
   */
  readonly asOf: string;
  /** Who runs the program (request `_meta["toolpacks.dev/principal"]`), for audit; may be absent. */
  readonly principal: string | undefined;
  /** Aborted when the client cancels the call. */
  readonly signal: AbortSignal;
}

/** One statement of a write plan, with a one-line description of what it changes. */
export interface PlannedWrite extends Statement {
  /** What this statement changes, for dry-run answers and audit, e.g. `deal D-42: stage proposal -> won`. */
  change: string;
}

/**
 * What a write handler returns: the answer, and the statements that make it true. The kit runs
 * the statements atomically together with the idempotency record, or skips them on a dry run,
 * so a handler never writes by itself and a retry never writes twice.
 */
export interface WritePlan<O> {
  result: O;
  writes: PlannedWrite[];
  /**
   * Integer minor units this write moves (or would move, on a dry run), as the handler computed
   * them; sent as result `_meta["toolpacks.dev/moved"]`. The conformance kit checks the tool's
   * `moves` declaration against it, so a tool that declares a sum must report it.
   */
  moves?: number;
}

/** The four MCP annotations, always all set (clients assume the worst when one is missing). */
export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** Fields shared by read and write tool definitions. */
export interface ToolSpecBase<I extends ObjectSchema, O extends ObjectSchema> {
  /** snake_case, 1-64 chars, unique in the pack; stays the same as a JS identifier. */
  name: string;
  /** Short human title shown by clients. */
  title: string;
  /** Written for a model: what question the tool answers and what it returns. */
  description: string;
  /** Input schema; each field should carry `.describe()`. */
  input: I;
  /** Output schema of `structuredContent`. */
  output: O;
  /** Required scope, e.g. `crm:read` (tool `_meta["toolpacks.dev/scope"]`). */
  scope: string;
  /** Answer budget in tokens (tool `_meta["toolpacks.dev/budgetTokens"]`). */
  budgetTokens: number;
  /** Valid inputs; the conformance kit calls the tool with each of them. */
  examples?: Array<z.input<I>>;
  /** Compact text rendering of an answer; defaults to compact JSON of the structured content. */
  render?: (output: z.output<O>) => string;
}

/** A read tool as written by its author: a handler that only queries. */
export interface ReadToolSpec<I extends ObjectSchema, O extends ObjectSchema> extends ToolSpecBase<I, O> {
  /** Reads are closed-world unless they reach outside the store. */
  openWorld?: boolean;
  handler: (input: z.output<I>, context: ToolContext) => Promise<z.input<O>>;
}

/** A write tool as written by its author: a handler that plans statements and an answer. */
export interface WriteToolSpec<I extends ObjectSchema, O extends ObjectSchema> extends ToolSpecBase<I, O> {
  /** Whether the write can destroy or overwrite data (MCP `destructiveHint`). */
  destructive: boolean;
  /** Whether repeating the same arguments has no further effect even without a key (MCP `idempotentHint`). */
  idempotent: boolean;
  /**
   * What one call moves, in integer minor units, as data over the arguments (tool
   * `_meta["toolpacks.dev/moves"]`): `{ none: true }` for a write that moves no money, or e.g.
   * `{ sum: [{ each: "lines", product: ["quantity", "unit_price_minor"] }], currency: "currency" }`.
   * Money budgets count it before the call is sent; it must bound what the handler moves.
   */
  moves: Moves;
  openWorld?: boolean;
  handler: (input: z.output<I>, context: ToolContext) => Promise<WritePlan<z.input<O>>>;
}

/** Fields every defined tool carries, filled in by `defineTool` / `defineWriteTool`. */
interface DefinedToolBase<I extends ObjectSchema> {
  name: string;
  title: string;
  description: string;
  input: I;
  scope: string;
  budgetTokens: number;
  annotations: ToolAnnotations;
  examples: Array<z.input<I>>;
}

/** A read tool ready to be put in a pack. */
export interface ReadToolDefinition<
  I extends ObjectSchema = ObjectSchema,
  O extends ObjectSchema = ObjectSchema,
> extends DefinedToolBase<I> {
  kind: "read";
  /** Schema of `structuredContent`. */
  output: O;
  render: ((output: z.output<O>) => string) | undefined;
  handler: (input: z.output<I>, context: ToolContext) => Promise<z.input<O>>;
}

/** A write tool ready to be put in a pack. */
export interface WriteToolDefinition<
  I extends ObjectSchema = ObjectSchema,
  O extends ObjectSchema = ObjectSchema,
> extends DefinedToolBase<I> {
  kind: "write";
  /** Schema of `structuredContent`: the author's result plus `dry_run` and `changes`. */
  output: ObjectSchema;
  /** The author's result schema. */
  resultOutput: O;
  /** What one call moves (tool `_meta["toolpacks.dev/moves"]`). */
  moves: Moves;
  render: ((output: z.output<O>) => string) | undefined;
  handler: (input: z.output<I>, context: ToolContext) => Promise<WritePlan<z.input<O>>>;
}

/** Any defined tool, whatever its schemas (what a pack's tool list holds). */
// biome-ignore lint/suspicious/noExplicitAny: a heterogeneous tool list needs the widest schema types.
export type AnyToolDefinition = ReadToolDefinition<any, any> | WriteToolDefinition<any, any>;
