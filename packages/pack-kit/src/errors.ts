/**
 * Errors a pack author throws from a tool handler. The message is read by a model, so it says
 * what failed, why, and how to fix it; `code` is stable and travels in the result's `_meta`
 * (`toolpacks.dev/errorCode`) so a runtime can branch on it without parsing prose.
 */
export class ToolError extends Error {
  override readonly name = "ToolError";
  /** Stable, snake_case reason, e.g. `not_found`, `invalid_argument`, `conflict`. */
  readonly code: string;
  /** How to fix it, appended to the message as ` Fix: …`. */
  readonly fix: string | undefined;

  constructor(code: string, message: string, options: { fix?: string; cause?: unknown } = {}) {
    super(options.fix ? `${message} Fix: ${options.fix}` : message, { cause: options.cause });
    this.code = code;
    this.fix = options.fix;
  }
}

/**
 * Errors the kit raises at definition or start-up time (a bad tool name, a missing pack package,
 * an unsafe HTTP configuration). These are for the developer or operator, not for a model.
 */
export class PackKitError extends Error {
  override readonly name = "PackKitError";
  /** Stable, snake_case reason, e.g. `invalid_tool_name`, `pack_not_installed`. */
  readonly code: string;

  constructor(code: string, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
  }
}
