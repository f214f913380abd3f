import type { CodeModeSession } from "./session.js";

/** What the model gets back from one `execute` call, and the parts the demo reads from it. */
export interface ExecuteOutput {
  ok: boolean;
  /** The program's answer (plain JSON). */
  value: unknown;
  /** The exact JSON text `execute` hands back to the model. */
  text: string;
  output: Record<string, unknown>;
  toolCalls: number;
  /** The run id `execute` reported (it names the run in the audit trail). */
  runId: string;
  /** Wall time of the `execute` call as the host saw it. */
  wallMs: number;
  error?: { code: string; message: string; line?: number };
}

/**
 * Runs a program through the session's AI SDK `execute` tool, the same path a model's call takes,
 * so what is measured is exactly what a model would get back.
 */
export async function runProgram(session: CodeModeSession, code: string): Promise<ExecuteOutput> {
  const execute = session.tools.execute.execute;
  if (!execute) throw new Error("The runtime's execute tool has no execute function.");
  const started = performance.now();
  const output = (await execute(
    { code },
    { toolCallId: "toolpacks-demo", messages: [], context: {} },
  )) as Record<string, unknown>;
  const wallMs = performance.now() - started;
  const error = output.error as ExecuteOutput["error"];
  return {
    ok: output.ok === true,
    value: output.result,
    text: JSON.stringify(output),
    output,
    toolCalls: typeof output.tool_calls === "number" ? output.tool_calls : 0,
    runId: String(output.run_id),
    wallMs,
    ...(error ? { error } : {}),
  };
}
