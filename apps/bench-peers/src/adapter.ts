/**
 * The one interface every code-mode project is driven through: run a program (the body of an
 * async function) with tool bindings `ns.tool(input)` that resolve in the host. Values cross as
 * JSON, the lowest common denominator of the peers; each adapter maps this onto its project's own
 * entry point without patching it.
 */

/** Host side of one tool call: the arguments the program passed, decoded. */
export type HostToolCall = (ns: string, tool: string, input: unknown) => Promise<unknown>;

/** Limits a run asks for; an adapter passes each to its project where the project has the knob. */
export interface PeerLimits {
  timeoutMs: number;
  memoryMb: number;
  /** Tool calls per run. */
  maxToolCalls: number;
  /** Tool calls in flight at once. */
  maxConcurrentCalls: number;
}

export interface PeerRunRequest {
  /** Body of an async function: `await ns.tool(input)` and `return` allowed. Plain JavaScript. */
  code: string;
  /** Namespace -> tool names, callable in the program as `ns.tool(input)`. */
  bindings: Record<string, string[]>;
  callTool: HostToolCall;
  limits: PeerLimits;
}

/** What a run produced, as far as the project reports it. */
export interface PeerRunResult {
  ok: boolean;
  value?: unknown;
  /** `code` only where the project reports one. */
  error?: { code?: string; message: string };
  logs: string[];
}

/** Where a project's sandbox runs: in the Node host, or inside workerd next to a host Worker. */
export type PeerEngine = "node" | "workerd";

/** A project's sandbox behind the common interface. */
export interface PeerAdapter {
  /** Stable id used in reports and on the command line, e.g. "vercel". */
  readonly id: string;
  /** Who it is and what isolates the program, e.g. "Vercel @ai-sdk/code-mode (QuickJS on worker threads)". */
  readonly label: string;
  /** The npm package measured and its installed version. */
  readonly pkg: { name: string; version: string };
  run(request: PeerRunRequest): Promise<PeerRunResult>;
  /** Releases pools, threads or processes the adapter holds. */
  close(): Promise<void>;
}

/** The default limits of a benchmark run: generous, so no limit is what gets measured. */
export const BENCH_LIMITS: PeerLimits = {
  timeoutMs: 30_000,
  memoryMb: 64,
  maxToolCalls: 100_000,
  maxConcurrentCalls: 1_000,
};

/** Reads a JSON-safe error message from whatever a project threw or returned. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === "string") return err;
  try {
    return JSON.stringify(err) ?? String(err);
  } catch {
    return String(err);
  }
}
