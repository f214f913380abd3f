/**
 * The host-side tool-call pipeline (docs/contracts.md, section 2). Governance
 * (policy, preflight, approvals, idempotency, audit) is built from these hooks only.
 */
import type { CallToolResult, ToolAnnotations } from "@modelcontextprotocol/client";
import type { CanonicalArgs } from "../codec/canonical-call.js";
import type { ForwardedRequest } from "../sources/client-peer.js";

/** One tool as listed by an MCP server (`tools/list`), with its JS names. */
export interface ToolInfo {
  /** Namespace as configured (e.g. "billing"). */
  server: string;
  /** Exact MCP tool name. */
  name: string;
  /** JS identifier of the namespace in the sandbox (e.g. `billing`). */
  namespace: string;
  /** JS identifier of the tool within its namespace (e.g. `create_invoice`). */
  identifier: string;
  title?: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
  annotations?: ToolAnnotations;
  /** The tool's `_meta` from tools/list (e.g. `toolpacks.dev/scope`). */
  _meta?: Record<string, unknown>;
}

/** What an MCP `tools/call` returns. Middleware may return one without calling `next`. */
export type ToolResult = CallToolResult;

export interface ToolCall {
  runId: string;
  /** 0-based order in which the program issued the call (deterministic). */
  position: number;
  /** Namespace as configured (e.g. "billing"). */
  server: string;
  /** Exact MCP tool name. */
  tool: string;
  /**
   * The canonical call's arguments (codec/canonical-call.ts): made once at the bridge from what
   * the program passed, deep-frozen plain JSON. Every middleware, and the MCP request, sees
   * exactly this value; a middleware cannot change it, and a replacement it passes to `next`
   * that was not made by `canonicalizeArgs` is made canonical again before it is sent.
   */
  args: CanonicalArgs;
  /** Schemas + annotations + _meta from tools/list. */
  tool_info: ToolInfo;
  /** Sent as MCP request `_meta`; middleware may add keys. */
  meta: Record<string, unknown>;
  signal: AbortSignal;
}

/**
 * A call refused before the pipeline ran: by the bridge (arguments it could not read or make
 * canonical) or by the executor's guard (arguments over `maxArgumentBytes`, or past the run's
 * `maxInFlightArgumentBytes`). Nothing was sent; the program got the error `code`. The arguments
 * themselves are not here, only their size and digest.
 */
export interface RefusedCall {
  runId: string;
  position: number;
  server: string;
  tool: string;
  tool_info: ToolInfo;
  /** What the program was told: `ARGUMENTS_TOO_LARGE`, `ARGUMENTS_IN_FLIGHT_LIMIT` or `INVALID_ARGUMENTS`. */
  code: string;
  message: string;
  /**
   * UTF-8 bytes of the encoded arguments; for `ARGUMENTS_TOO_LARGE`, a lower bound (arguments over
   * the cap are not read to the end, and the embedded executor never copies them out of the sandbox).
   */
  argsBytes: number;
  /**
   * SHA-256 (hex) of the encoded arguments as the program sent them (the wire text: there is no
   * canonical value to digest), or undefined when the host never held them (over the cap).
   */
  argsDigest?: string;
  meta: Record<string, unknown>;
  /** The run's signal (aborted when the run ends). */
  signal: AbortSignal;
}

/**
 * A step of the host-side pipeline: sees every call, may refuse it (throw), answer it itself, or
 * pass it on with `next`. `refused`, when present, is told of every call refused before the
 * pipeline (`RefusedCall`): the run waits for it before it ends, so governance can audit them.
 */
export type ToolCallMiddleware = ((
  call: ToolCall,
  next: (call: ToolCall) => Promise<ToolResult>,
) => Promise<ToolResult>) & {
  refused?: (call: RefusedCall) => Promise<void> | void;
  /**
   * Told of each roots / elicitation / sampling request `call`'s server makes of the run's client,
   * before it is sent (or, with `request.refusal`, instead of being sent). Throwing refuses it
   * (fail closed); the returned function is told how it went.
   */
  forwarded?: (
    call: ToolCall,
    request: ForwardedRequest,
  ) =>
    | Promise<((outcome: { ok: boolean; error?: string }) => Promise<void> | void) | undefined>
    | ((outcome: { ok: boolean; error?: string }) => Promise<void> | void)
    | undefined;
};

/** A tool the program refers to as `ns.tool`, found by static analysis before it runs. */
export interface ToolReference {
  server: string;
  tool: string;
  tool_info: ToolInfo;
  /** 1-based line and column in the model's own code. */
  line: number;
  column: number;
}

/** What preflight sees of a program before it runs. */
export interface ProgramInfo {
  runId: string;
  /** The program as the model sent it. */
  source: string;
  /** The plain JavaScript the sandbox will run (types stripped, wrapped as a function body). */
  js: string;
  /** Every `ns.tool` the program mentions, in source order (a tool may appear more than once). */
  references: ToolReference[];
  /** Every tool available in this code mode. */
  tools: ToolInfo[];
  /** Per-run `meta` given to `execute` (e.g. principal, dryRun). */
  meta: Record<string, unknown>;
}

export type PreflightVerdict =
  | { allow: true; meta?: Record<string, unknown> }
  | { allow: false; code?: string; reason: string };

export type Preflight = (program: ProgramInfo) => PreflightVerdict | Promise<PreflightVerdict>;
