/**
 * Writes each code-mode run to `app_runs` for the inspector: who ran what, the outcome, every
 * call with its duration, and the token estimate. Programs are stored as sent (they hold no
 * secrets: the sandbox never sees any); results are kept to 8 KB.
 */
import type { ExecuteResult } from "@toolpacks/runtime";
import { estimateTokens } from "./tokens.js";

export interface RunRow {
  runId: string;
  principal: string | null;
  role: string | null;
  surface: "mcp" | "agent";
  program: string;
  result: ExecuteResult;
  schemaChars: number;
  declarationChars: number;
}

/** Inserts one run. */
export async function recordRun(db: D1Database, row: RunRow): Promise<void> {
  const { result } = row;
  const resultText = result.result === undefined ? null : safeJson(result.result).slice(0, 8192);
  const estimate = estimateTokens({
    schemaChars: row.schemaChars,
    declarationChars: row.declarationChars,
    programChars: row.program.length,
    resultChars: resultText?.length ?? 0,
    calls: result.calls,
  });
  await db
    .prepare(
      `INSERT OR REPLACE INTO app_runs (run_id, ts, principal, role, surface, program, ok, error_code, error_message, result,
        calls, wall_ms, code_mode_tokens, classic_tokens) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      row.runId,
      new Date().toISOString(),
      row.principal,
      row.role,
      row.surface,
      row.program,
      result.ok ? 1 : 0,
      result.error?.code ?? null,
      result.error?.message ?? null,
      resultText,
      JSON.stringify(result.calls),
      result.stats.wallMs,
      estimate.codeMode,
      estimate.classic,
    )
    .run();
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v)) ?? "null";
  } catch {
    return '"[unserialisable]"';
  }
}
