/**
 * Stable error codes. A code never changes meaning; messages may improve.
 * Every error the runtime throws or reports carries one of these.
 */
export const ErrorCodes = {
  /** The program is not valid JavaScript/TypeScript. */
  SYNTAX_ERROR: "SYNTAX_ERROR",
  /** The program does not type-check against the declarations (only when type-checking is on). */
  TYPE_ERROR: "TYPE_ERROR",
  /** The program threw (or rejected with) something it did not catch. */
  RUNTIME_ERROR: "RUNTIME_ERROR",
  /** The program ran longer than `timeoutMs` (time in host tool calls excluded). */
  TIMEOUT: "TIMEOUT",
  /** The program used more than `memoryMb`. */
  MEMORY_LIMIT: "MEMORY_LIMIT",
  /** The program recursed too deeply. */
  STACK_OVERFLOW: "STACK_OVERFLOW",
  /** The program awaited a promise that nothing can ever settle. */
  UNSETTLED: "UNSETTLED",
  /** The program made more than `maxToolCalls` calls. */
  TOOL_CALL_LIMIT: "TOOL_CALL_LIMIT",
  /** A tool reported an error (MCP `isError`, or a JSON-RPC error). */
  TOOL_ERROR: "TOOL_ERROR",
  /** The program called a tool that does not exist. */
  UNKNOWN_TOOL: "UNKNOWN_TOOL",
  /** The tool's arguments could not be sent (not serialisable, too deep). */
  INVALID_ARGUMENTS: "INVALID_ARGUMENTS",
  /** The MCP server behind a namespace failed to start, timed out or died. */
  SERVER_UNAVAILABLE: "SERVER_UNAVAILABLE",
  /** A tool call took longer than the per-call timeout. */
  TOOL_TIMEOUT: "TOOL_TIMEOUT",
  /** A tool's answer was larger than the source's `maxAnswerBytes`; it was dropped unread, the server stays connected. */
  ANSWER_TOO_LARGE: "ANSWER_TOO_LARGE",
  /** A tool's answer could not be checked against its output schema in time (a schema too costly to evaluate). */
  OUTPUT_SCHEMA_TIMEOUT: "OUTPUT_SCHEMA_TIMEOUT",
  /**
   * The tool's server asked for roots, elicitation or sampling during the call, and the run has no
   * MCP client that declared that capability (library or CLI use, or a gateway client without it).
   * Nothing was sent to any client.
   */
  CLIENT_CAPABILITY_UNAVAILABLE: "CLIENT_CAPABILITY_UNAVAILABLE",
  /**
   * The MCP client answered a request the tool's server made during the call (roots, elicitation,
   * sampling) with an answer too large or not of the request's result shape. The answer was
   * dropped: nothing of it reached the server.
   */
  CLIENT_ANSWER_INVALID: "CLIENT_ANSWER_INVALID",
  /** Middleware or preflight refused the call or the program. */
  POLICY_DENIED: "POLICY_DENIED",
  /** The run was cancelled by its caller. */
  ABORTED: "ABORTED",
  /** The gateway's run queue (or the thread executor's) is full; nothing ran. Retry after the error's `retryAfterMs`. */
  BUSY: "BUSY",
  /** The program's return value could not be encoded. */
  RESULT_ENCODING: "RESULT_ENCODING",
  /** The program's source (or the JavaScript made from it) is larger than `maxProgramBytes`. */
  PROGRAM_TOO_LARGE: "PROGRAM_TOO_LARGE",
  /** One tool call's encoded arguments are larger than `maxArgumentBytes`. */
  ARGUMENTS_TOO_LARGE: "ARGUMENTS_TOO_LARGE",
  /** The run's calls in flight (running and queued) already hold `maxInFlightArgumentBytes` of arguments. */
  ARGUMENTS_IN_FLIGHT_LIMIT: "ARGUMENTS_IN_FLIGHT_LIMIT",
  /** A bug or an unexpected failure in the runtime itself. */
  INTERNAL_ERROR: "INTERNAL_ERROR",
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes] | (string & {});

/** Base class of every error the runtime throws. `code` is stable. */
export class ToolpacksError extends Error {
  override name = "ToolpacksError";
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** A tool call failed. Middleware throws these to refuse a call (e.g. code `POLICY_DENIED`). */
export class ToolCallError extends ToolpacksError {
  override name = "ToolCallError";
  readonly server: string | undefined;
  readonly tool: string | undefined;
  constructor(
    code: ErrorCode,
    message: string,
    options?: { server?: string; tool?: string; cause?: unknown },
  ) {
    super(code, message, options);
    this.server = options?.server;
    this.tool = options?.tool;
  }
}

/** An MCP server could not be reached, failed to start, timed out or died. */
export class ServerUnavailableError extends ToolCallError {
  override name = "ServerUnavailableError";
  constructor(server: string, message: string, options?: { tool?: string; cause?: unknown }) {
    super(ErrorCodes.SERVER_UNAVAILABLE, message, { server, ...options });
  }
}

/** The program could not be accepted (syntax, type errors, preflight refusal). */
export class ProgramError extends ToolpacksError {
  override name = "ProgramError";
  readonly line: number | undefined;
  readonly column: number | undefined;
  constructor(code: ErrorCode, message: string, position?: { line?: number; column?: number }) {
    super(code, message);
    this.line = position?.line;
    this.column = position?.column;
  }
}

/** Invalid configuration given to the runtime (bad source, bad limits). */
export class ConfigError extends ToolpacksError {
  override name = "ConfigError";
  constructor(message: string) {
    super("CONFIG_ERROR", message);
  }
}
