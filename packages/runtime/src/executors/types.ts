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
}

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
}

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
  error?: { code: string; message: string; line?: number; column?: number };
  stats: { wallMs: number; toolCalls: number };
}

export interface Executor {
  /** "quickjs", "worker-loader". */
  readonly name: string;
  run(request: SandboxRequest): Promise<SandboxResponse>;
}
