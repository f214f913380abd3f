/** Stable codes of the demo's own errors. */
export type DemoErrorCode =
  | "tool_failed"
  | "unknown_pack"
  | "answers_differ"
  | "program_failed"
  | "model_key_missing"
  | "usage";

/** An error of the demo or the benchmarks, with a stable `code` and the underlying `cause`. */
export class DemoError extends Error {
  override readonly name = "DemoError";
  readonly code: DemoErrorCode;

  constructor(code: DemoErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
