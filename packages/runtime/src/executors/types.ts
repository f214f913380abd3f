/**
 * The seam between the runtime and executors (docs/contracts.md, section 1).
 *
 * An executor runs plain JavaScript (already type-stripped by the runtime) in an isolate
 * and knows nothing about MCP. The runtime gives it the code, the names it may call and
 * one async bridge.
 */

export interface SandboxLimits {
  /** Wall time; the clock may pause while a host tool call is in flight. */
  timeoutMs: number;
  memoryMb: number;
  maxToolCalls: number;
  maxConcurrentCalls: number;
  maxLogBytes: number;
  maxResultBytes: number;
  /**
   * Largest program accepted, in UTF-8 bytes, checked before any parsing: the model's source at
   * intake, and the JavaScript an executor is given. Default 256 KiB (DEFAULT_MAX_PROGRAM_BYTES).
   * Over it the run fails with PROGRAM_TOO_LARGE.
   */
  maxProgramBytes?: number;
  /**
   * Largest encoded arguments of one tool call, in UTF-8 bytes, checked before they are decoded.
   * Default 1 MiB (DEFAULT_MAX_ARGUMENT_BYTES). Over it the call fails with ARGUMENTS_TOO_LARGE
   * (the program can catch it).
   */
  maxArgumentBytes?: number;
  /**
   * Bytes of tool arguments one run may hold on the host at once: calls running and calls queued
   * behind maxConcurrentCalls. Default 8 MiB (DEFAULT_MAX_IN_FLIGHT_ARGUMENT_BYTES). A call that
   * would go over it fails at once with ARGUMENTS_IN_FLIGHT_LIMIT (the program can catch it and
   * await earlier calls first).
   */
  maxInFlightArgumentBytes?: number;
}

/** Default of SandboxLimits.maxProgramBytes: 256 KiB. */
export const DEFAULT_MAX_PROGRAM_BYTES = 256 * 1024;
/** Default of SandboxLimits.maxArgumentBytes: 1 MiB. */
export const DEFAULT_MAX_ARGUMENT_BYTES = 1024 * 1024;
/** Default of SandboxLimits.maxInFlightArgumentBytes: 8 MiB. */
export const DEFAULT_MAX_IN_FLIGHT_ARGUMENT_BYTES = 8 * 1024 * 1024;

export interface SandboxRequest {
  /** Body of an async function: top-level await and `return` allowed. Plain JS. */
  code: string;
  /** JS namespace identifier -> JS tool identifiers callable as `ns.tool(input)`. */
  bindings: Record<string, string[]>;
  limits: SandboxLimits;
  /** Host bridge. Arguments and results are strings in the runtime's wire codec
   *  (JSON with tags for BigInt, Date, Map, Set, undefined and cycles). Rejects with a
   *  ToolCallError-shaped `{ code, message }` encoded the same way. */
  callTool(ns: string, tool: string, encodedArgs: string): Promise<string>;
  /**
   * Told of every call the executor refused before it reached `callTool` (arguments over
   * `maxArgumentBytes`, or past `maxInFlightArgumentBytes`), so the host can audit it. `args` is
   * the encoded arguments when the executor held them, else (too large, never copied out of the
   * sandbox, never sent across) their length in UTF-16 units, a lower bound of their bytes.
   */
  onRefusedCall?: RefusedCallListener;
  /**
   * Cancels the run: the executor stops the program as soon as it can (at the latest at its next
   * interrupt check) and answers with ABORTED. Everything the run holds is released.
   */
  signal?: AbortSignal;
}

/** See `SandboxRequest.onRefusedCall`. */
export type RefusedCallListener = (
  ns: string,
  tool: string,
  refusal: { code: string; message: string },
  args: string | number,
) => void;

export type LogLevel = "log" | "info" | "warn" | "error";

export interface LogEntry {
  level: LogLevel;
  text: string;
}

export interface SandboxResponse {
  ok: boolean;
  /** Codec-encoded return value. */
  encodedResult?: string;
  logs: Array<{ level: "log" | "info" | "warn" | "error"; text: string }>;
  /** `retryAfterMs`: with BUSY, when trying again is likely to find room. */
  error?: { code: string; message: string; line?: number; column?: number; retryAfterMs?: number };
  stats: { wallMs: number; toolCalls: number };
}

export interface Executor {
  /** "quickjs", "worker-loader". */
  readonly name: string;
  run(request: SandboxRequest): Promise<SandboxResponse>;
}
