import type { ExecuteResult } from "@toolpacks/runtime";
import type { CodeModeSession } from "./session.js";

/**
 * Runs a program with a chosen run id (the same id again means the same idempotency keys, so the
 * packs answer repeated writes from their records). Never throws for a failing program.
 */
export function executeWithRunId(
  session: CodeModeSession,
  code: string,
  runId: string,
): Promise<ExecuteResult> {
  return session.codeMode.execute(code, { runId });
}
