/** The messages between the host and a QuickJS worker thread (one run at a time per thread). */
import type { SandboxLimits, SandboxResponse } from "../types.js";

/** Host → thread: run a program. */
export interface RunMessage {
  type: "run";
  code: string;
  bindings: Record<string, string[]>;
  limits: SandboxLimits;
}

/** Host → thread: the answer to one tool call, codec-encoded (or the encoded error). */
export interface CallAnswer {
  type: "answer";
  id: number;
  ok: boolean;
  value: string;
}

/** Host → thread: cancel the run in progress (it ends with ABORTED). */
export interface AbortMessage {
  type: "abort";
}

/** Host → thread: report what the thread holds (active handles, heap). */
export interface ProbeMessage {
  type: "probe";
  id: number;
}

/** Thread → host: the program calls a tool. */
export interface CallMessage {
  type: "call";
  id: number;
  ns: string;
  tool: string;
  args: string;
}

/**
 * Thread → host: the thread's guard refused a call for its arguments (`SandboxRequest.onRefusedCall`):
 * `args` is the encoded arguments, or only their length when they were over the per-call cap.
 */
export interface RefusedMessage {
  type: "refused";
  ns: string;
  tool: string;
  code: string;
  message: string;
  args: string | number;
}

/** Thread → host: the run's program starts now (the thread has booted and taken the run). */
export interface StartedMessage {
  type: "started";
}

/** Thread → host: the run ended. */
export interface DoneMessage {
  type: "done";
  response: SandboxResponse;
}

/** Thread → host: the answer to a probe. */
export interface ProbeAnswer {
  type: "probe";
  id: number;
  resources: ThreadResources;
}

/** What one sandbox thread holds: its event loop's active handles and its JS heap. */
export interface ThreadResources {
  /** `process.getActiveResourcesInfo()` of the thread (timers, message ports …). */
  handles: string[];
  /** `process.memoryUsage().heapUsed` of the thread's isolate, after a GC when one can be forced. */
  heapUsed: number;
}

export type ToThread = RunMessage | CallAnswer | AbortMessage | ProbeMessage;
export type FromThread = CallMessage | DoneMessage | ProbeAnswer | StartedMessage | RefusedMessage;
