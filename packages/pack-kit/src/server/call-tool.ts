import type { CallToolResult } from "@modelcontextprotocol/server";
import type { z } from "zod";
import type { PushResult } from "../connect/types.js";
import { PackKitError, ToolError } from "../errors.js";
import {
  DRY_RUN_META,
  ERROR_CODE_META,
  IDEMPOTENCY_KEY_META,
  MOVED_META,
  PRINCIPAL_META,
  REPLAYED_META,
  TOKENS_META,
  TRIMMED_META,
} from "../meta-keys.js";
import type { PackDefinition } from "../pack/define-pack.js";
import { getAsOf } from "../store/meta.js";
import { readOnlyView, type Store } from "../store/types.js";
import type { SourceWrite } from "../sync/types.js";
import type { AnyToolDefinition, ToolContext } from "../tool/types.js";
import { fitToBudget } from "./budget.js";
import { isConstraintViolation } from "./constraint-violation.js";
import { argumentsHash, findIdempotencyRecord, idempotencyInsert } from "./idempotency.js";

/** How many times one write call is planned at most when its commits keep losing races. */
export const MAX_PLANS = 5;

import { formatInputIssues } from "./input-errors.js";

/** How a pack server runs tool calls. */
export interface CallSettings {
  pack: PackDefinition;
  store: Store;
  /** `"trim"` (run time): cut an oversized answer to fit, with a note. `"error"` (tests): refuse it. */
  budget: "trim" | "error";
  countTokens: (text: string) => number;
  /** Receives unexpected errors (never shown to the client) with the reference quoted to it. */
  onError: (error: unknown, info: { tool: string; reference: string }) => void;
  /**
   * Write-back for a store synced from a system of record: called with each planned write (never
   * on a dry run, never for a plan that changes nothing) BEFORE the store commits it, with the
   * call's idempotency key (a fresh one when the call sent none). When it throws, the call
   * answers with its code and message and the store is not touched.
   */
  writeBack?: (write: SourceWrite, idempotencyKey: string) => Promise<PushResult>;
}

/** Builds an MCP tool error result carrying a stable code. */
export function toolErrorResult(code: string, message: string): CallToolResult {
  return { isError: true, content: [{ type: "text", text: message }], _meta: { [ERROR_CODE_META]: code } };
}

const strictCache = new WeakMap<z.ZodObject, z.ZodObject>();
function strictInput(schema: z.ZodObject): z.ZodObject {
  let strict = strictCache.get(schema);
  if (!strict) {
    strict = schema.strict();
    strictCache.set(schema, strict);
  }
  return strict;
}

function readRequestMeta(meta: Record<string, unknown> | undefined) {
  const key = meta?.[IDEMPOTENCY_KEY_META];
  const dryRun = meta?.[DRY_RUN_META];
  const principal = meta?.[PRINCIPAL_META];
  if (key !== undefined && (typeof key !== "string" || key.length < 1 || key.length > 200)) {
    throw new ToolError(
      "invalid_meta",
      `_meta["${IDEMPOTENCY_KEY_META}"] must be a string of 1 to 200 characters.`,
      {
        fix: "send a unique string per intended write (a UUID works), or leave the key out.",
      },
    );
  }
  if (dryRun !== undefined && typeof dryRun !== "boolean") {
    throw new ToolError(
      "invalid_meta",
      `_meta["${DRY_RUN_META}"] must be true or false, got ${typeof dryRun}.`,
      {
        fix: "send a boolean or leave it out.",
      },
    );
  }
  return {
    key: key as string | undefined,
    dryRun: dryRun === true,
    principal: typeof principal === "string" ? principal : undefined,
  };
}

function render(tool: AnyToolDefinition): (value: Record<string, unknown>) => string {
  // A write's render gets the author's result; the envelope is appended as one line.
  if (tool.kind === "write" && tool.render) {
    const renderResult = tool.render;
    return ({ dry_run, changes, ...result }) =>
      `${renderResult(result)}\n${dry_run ? "dry run, would change" : "changed"}: ${(changes as string[]).join("; ") || "nothing"}`;
  }
  return tool.render ? (tool.render as (v: Record<string, unknown>) => string) : (v) => JSON.stringify(v);
}

function answer(
  tool: AnyToolDefinition,
  structured: Record<string, unknown>,
  settings: CallSettings,
): CallToolResult {
  const fitted = fitToBudget(
    structured,
    tool.output,
    render(tool),
    settings.budget === "error" ? Number.POSITIVE_INFINITY : tool.budgetTokens,
    settings.countTokens,
  );
  if (!fitted || (settings.budget === "error" && fitted.tokens > tool.budgetTokens)) {
    const tokens = fitted?.tokens ?? "too many";
    return toolErrorResult(
      "budget_exceeded",
      `${tool.name} produced an answer of ${tokens} tokens, over its ${tool.budgetTokens}-token budget. Fix: ask a narrower question (a smaller "limit", a shorter period, a filter).`,
    );
  }
  const meta: Record<string, unknown> = { [TOKENS_META]: fitted.tokens };
  if (fitted.trimmed) meta[TRIMMED_META] = fitted.trimmed;
  return {
    content: [{ type: "text", text: fitted.text }],
    structuredContent: fitted.structured,
    _meta: meta,
  };
}

function invalidAnswer(tool: AnyToolDefinition, error: z.ZodError): Error {
  return new Error(
    `tool ${tool.name} returned an answer that does not match its output schema: ${error.message}`,
  );
}

async function runWrite(
  tool: Extract<AnyToolDefinition, { kind: "write" }>,
  input: unknown,
  context: ToolContext,
  request: { key: string | undefined; dryRun: boolean },
  settings: CallSettings,
): Promise<CallToolResult> {
  const { store, pack } = settings;
  const argsHash = await argumentsHash(input);
  const replay = async (): Promise<CallToolResult | undefined> => {
    if (!request.key) return undefined;
    const record = await findIdempotencyRecord(store, request.key);
    if (!record) return undefined;
    if (record.pack !== pack.name || record.tool !== tool.name || record.argsHash !== argsHash) {
      throw new ToolError(
        "idempotency_key_reused",
        `The idempotency key was already used for a different write (${record.pack}.${record.tool} with other arguments); nothing was written.`,
        { fix: "use a new key for a new write; reuse a key only to retry the exact same call." },
      );
    }
    const result = answer(tool, record.result, settings);
    return { ...result, _meta: { ...result._meta, [REPLAYED_META]: true } };
  };
  if (!request.dryRun) {
    const replayed = await replay();
    if (replayed) return replayed;
  }
  // Plan, then commit. A plan made before a concurrent write committed can hit a constraint that
  // write created (a second order for the same deal, stock another order reserved first). A new
  // plan against the store as it is now sees the winner's rows: it answers without writing
  // ("already there"), plans around them, or says what is short. With many writers on one row the
  // new plan can lose again, so planning goes on while the store keeps moving; a plan identical
  // to the one just refused would be refused again, which ends it, and so does `MAX_PLANS`.
  let refused: string | undefined;
  for (let attempt = 1; ; attempt++) {
    const plan = await tool.handler(input, context);
    const parsed = tool.resultOutput.safeParse(plan.result);
    if (!parsed.success) throw invalidAnswer(tool, parsed.error);
    const changes = plan.writes.map((w) => w.change);
    const structured = { ...(parsed.data as Record<string, unknown>), dry_run: request.dryRun, changes };
    const moved = movedOf(tool, plan.moves);
    if (request.dryRun) return withMoved(answer(tool, structured, settings), moved);
    const record = { pack: pack.name, tool: tool.name, argsHash, result: structured };
    const statements = plan.writes.map(({ sql, params }) => ({ sql, params }));
    const planned = JSON.stringify(statements);
    const pushed = await pushFirst(tool.name, input, parsed.data, changes, request.key, settings);
    try {
      await store.batch(request.key ? [idempotencyInsert(request.key, record), ...statements] : statements);
    } catch (error) {
      // A concurrent call with the same key won the primary key: answer with its result.
      const replayed = await replay();
      if (replayed) return replayed;
      if (isConstraintViolation(error) && attempt < MAX_PLANS && planned !== refused) {
        refused = planned;
        continue;
      }
      throw new ToolError(
        "write_rejected",
        pushed
          ? `The store rejected the write of ${tool.name} after the source system applied it (${pushed.sourceId}); the next sync brings it into the store.`
          : `The store rejected the write of ${tool.name} (a constraint or conflict); nothing was written.`,
        {
          fix: "check that the ids exist and the record was not changed meanwhile, then retry.",
          cause: error,
        },
      );
    }
    return withMoved(answer(tool, structured, settings), moved);
  }
}

/**
 * Applies a planned write at the source system first, when the store is synced from one: a
 * refusal (or a source that cannot be reached) becomes a tool error with the source's reason,
 * before the store is touched. A plan that changes nothing is not sent.
 */
async function pushFirst(
  tool: string,
  input: unknown,
  result: unknown,
  changes: string[],
  key: string | undefined,
  settings: CallSettings,
): Promise<PushResult | undefined> {
  if (!settings.writeBack || changes.length === 0) return undefined;
  const write = {
    tool,
    args: input as Record<string, unknown>,
    result: result as Record<string, unknown>,
    changes,
  };
  try {
    return await settings.writeBack(write, key ?? crypto.randomUUID());
  } catch (error) {
    if (error instanceof ToolError) throw error;
    const code =
      error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : undefined;
    if (code === undefined) throw error;
    throw new ToolError(
      code,
      `${tool} was not applied: ${(error as Error).message} Nothing was written to the store.`,
      { cause: error },
    );
  }
}

function movedOf(tool: AnyToolDefinition, moves: number | undefined): number | undefined {
  if (moves === undefined || (Number.isSafeInteger(moves) && moves >= 0)) return moves;
  throw new Error(`tool ${tool.name} planned moves: ${String(moves)}, which is not a non-negative integer`);
}

// What the handler says the write moves rides in the result `_meta` (not in the answer the
// model reads), for the conformance kit and audit.
function withMoved(result: CallToolResult, moved: number | undefined): CallToolResult {
  if (moved === undefined || result.isError) return result;
  return { ...result, _meta: { ...result._meta, [MOVED_META]: moved } };
}

/**
 * Runs one tool call end to end and always resolves to a `CallToolResult`: validation, the
 * handler, idempotent or dry-run writes, output validation and the budget guard. Handler
 * `ToolError`s become tool errors with their message; a store that cannot be reached
 * (`store_unreachable`) becomes a `store_unreachable` tool error that says to retry; anything else
 * becomes a generic tool error with a reference. The details go to `settings.onError` only (no
 * SQL, no address, no stack to clients).
 */
export async function callTool(
  tool: AnyToolDefinition,
  args: unknown,
  requestMeta: Record<string, unknown> | undefined,
  call: { signal: AbortSignal; authenticatedAs?: string | undefined },
  settings: CallSettings,
): Promise<CallToolResult> {
  try {
    const request = readRequestMeta(requestMeta);
    const parsed = strictInput(tool.input).safeParse(args ?? {}, { reportInput: true });
    if (!parsed.success) {
      return toolErrorResult(
        "invalid_arguments",
        formatInputIssues(tool.name, tool.input, parsed.error.issues),
      );
    }
    const context: ToolContext = {
      store: readOnlyView(settings.store),
      asOf: await getAsOf(settings.store, settings.pack.name),
      principal: request.principal ?? call.authenticatedAs,
      signal: call.signal,
    };
    if (tool.kind === "write") return await runWrite(tool, parsed.data, context, request, settings);
    const output = tool.output.safeParse(await tool.handler(parsed.data, context));
    if (!output.success) throw invalidAnswer(tool, output.error);
    return answer(tool, output.data as Record<string, unknown>, settings);
  } catch (error) {
    if (error instanceof ToolError) return toolErrorResult(error.code, error.message);
    const reference = crypto.randomUUID().slice(0, 8);
    settings.onError(error, { tool: tool.name, reference });
    // Not a bug in the pack but an outage the caller can wait out: say so (still without the
    // server's address or the driver's message, which stay with the operator).
    if (error instanceof PackKitError && error.code === "store_unreachable") {
      return toolErrorResult(
        "store_unreachable",
        `${tool.name} could not reach the pack's database (reference ${reference}); nothing was read or written. Fix: retry in a minute (a write's idempotency key makes the retry safe); if it persists, report the reference to the pack's operator.`,
      );
    }
    return toolErrorResult(
      "internal_error",
      `${tool.name} failed inside the pack (reference ${reference}); nothing was written. Fix: retry once; if it fails again, report the reference to the pack's operator.`,
    );
  }
}
