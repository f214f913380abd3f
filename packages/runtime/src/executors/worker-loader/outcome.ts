/**
 * Reading what a Worker Loader run produced: the prelude's encoded outcome, or the reason the
 * RPC into the isolate failed (the platform's CPU or memory limit, workerd's hang detection).
 */
import type { SandboxResponse } from "../types.js";

export type RunError = NonNullable<SandboxResponse["error"]>;
export type Outcome = { ok: true; encodedResult: string } | { ok: false; error: RunError };

const OK_HEAD = '{"ok":true,"value":';

/** Parses the prelude's `{ ok, value | error }` text without decoding the value itself. */
export function parseOutcome(text: unknown): Outcome {
  if (typeof text !== "string") return internal("the sandbox reported no outcome");
  if (text.startsWith(OK_HEAD) && text.endsWith("}"))
    return { ok: true, encodedResult: text.slice(OK_HEAD.length, -1) };
  try {
    const parsed = JSON.parse(text) as {
      error?: { code?: unknown; message?: unknown; line?: unknown; column?: unknown };
    };
    const e = parsed.error ?? {};
    const error: RunError = {
      code: typeof e.code === "string" ? e.code : "RUNTIME_ERROR",
      message: typeof e.message === "string" ? e.message : "the program failed",
    };
    if (typeof e.line === "number") error.line = e.line;
    if (typeof e.column === "number") error.column = e.column;
    return { ok: false, error };
  } catch {
    return internal("the sandbox reported an unreadable outcome");
  }
}

/** Maps a rejected `run` RPC to a stable error code. */
export function describeIsolateFailure(err: unknown): RunError {
  const message = err instanceof Error ? err.message : String(err);
  if (/exceeded CPU|CPU time limit/i.test(message)) {
    return { code: "TIMEOUT", message: "the program exceeded the isolate's CPU time limit" };
  }
  if (/memory limit|out of memory|exceeded memory/i.test(message)) {
    return { code: "MEMORY_LIMIT", message: "the program ran out of memory" };
  }
  if (/hung|never generate a response|never resolve/i.test(message)) {
    return { code: "UNSETTLED", message: "the program awaited a promise that can never settle" };
  }
  return { code: "INTERNAL_ERROR", message: `the sandbox isolate failed: ${message}` };
}

function internal(message: string): Outcome {
  return { ok: false, error: { code: "INTERNAL_ERROR", message } };
}
