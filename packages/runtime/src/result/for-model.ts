/**
 * The two JSON forms of a run. The model gets what it can act on; the host and the CLI get the
 * whole record. Per-call records cost the model tokens on every call (an order-to-cash run makes
 * 88) and tell it nothing it can use, so they stay with the host (audit trail, `resultToJson`).
 */
import type { ExecuteResult } from "../code-mode.js";
import { toJsonValue } from "../codec/json.js";

/** Which form a surface returns: `model` (default for `execute`) or `full` (every call record and stat). */
export type ResultForm = "model" | "full";

/** The whole run as plain JSON: result, logs, every call record and the stats. */
export function resultToJson(r: ExecuteResult): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ok: r.ok,
    result: toJsonValue(r.result),
    logs: r.logs,
    calls: r.calls,
    stats: r.stats,
  };
  if (r.error) out.error = r.error;
  if (r.truncated) out.truncated = r.truncated;
  if (r.warnings) out.warnings = r.warnings;
  return out;
}

/**
 * What `execute` hands the model: the result; logs, the error, failed calls (`ns.tool` with the
 * error's code and message), a cut result and warnings only when there are any; how many tool
 * calls ran; and the run id, which names the run in the audit trail and the inspector.
 */
export function resultForModel(r: ExecuteResult): Record<string, unknown> {
  const out: Record<string, unknown> = { ok: r.ok, result: toJsonValue(r.result) };
  if (r.error) out.error = r.error;
  if (r.logs.length) out.logs = r.logs;
  const failed = r.calls
    .filter((c) => !c.ok)
    .map((c) => ({ tool: `${c.server}.${c.tool}`, ...(c.error ?? {}) }));
  if (failed.length) out.failed_calls = failed;
  if (r.truncated) out.truncated = r.truncated;
  if (r.warnings) out.warnings = r.warnings;
  out.tool_calls = r.stats.toolCalls;
  out.run_id = r.stats.runId;
  return out;
}

/** The run in the chosen form. */
export const resultAs = (form: ResultForm | undefined, r: ExecuteResult) =>
  form === "full" ? resultToJson(r) : resultForModel(r);
