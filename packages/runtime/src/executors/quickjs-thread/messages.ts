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

/** Thread → host: the program calls a tool. */
export interface CallMessage {
  type: "call";
  id: number;
  ns: string;
  tool: string;
  args: string;
}

/** Thread → host: the run ended. */
export interface DoneMessage {
  type: "done";
  response: SandboxResponse;
}

export type ToThread = RunMessage | CallAnswer;
export type FromThread = CallMessage | DoneMessage;
