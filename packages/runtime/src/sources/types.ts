import type { OAuthClientProvider, Transport } from "@modelcontextprotocol/client";
import type { JsonSchemaValidator } from "./schema-validator.js";
import type { ProtocolChoice } from "./version-negotiation.js";

/** An MCP server object that can be connected in process (`McpServer` or the low-level `Server`). */
export interface ConnectableServer {
  connect(transport: Transport): Promise<void>;
  close(): Promise<void>;
}

interface SourceBase {
  /** Namespace as configured (e.g. "crm"); the program calls `crm.tool(...)`. */
  name: string;
  /**
   * Validator for structured tool results, run on the host thread on the output schema WITHOUT
   * `pattern`/`patternProperties` (a server's regex could block the host). Default: in Node, the
   * full schema is checked by Ajv in a worker thread bounded by `outputCheckTimeoutMs`; where there
   * are no worker threads or code generation is refused (Cloudflare Workers), @cfworker/json-schema
   * on the host thread, without those keywords.
   */
  schemaValidator?: JsonSchemaValidator;
  /**
   * Time one structured answer may take to check against its output schema in the worker thread
   * (Node, default validator): the thread's CPU time where Node reports it (a busy machine does not
   * count against the schema), capped at ten times this on the wall clock. Past it the call fails
   * with `OUTPUT_SCHEMA_TIMEOUT`. Default 2000 ms.
   */
  outputCheckTimeoutMs?: number;
  /** Time allowed to start and list tools. Default 15 s. */
  connectTimeoutMs?: number;
  /**
   * The most one message from the server may hold, in bytes (JSON characters for in-process and
   * custom transports). A larger answer is dropped as it arrives, never buffered whole, and the call
   * fails with `ANSWER_TOO_LARGE`; the server stays connected. Applies to every message, tool
   * listings included. Default 10 MiB.
   */
  maxAnswerBytes?: number;
  /** Time allowed for one tool call. Default 60 s. */
  callTimeoutMs?: number;
  /**
   * Which MCP revision to speak. `"auto"` (default) asks the server (`server/discover`) and speaks
   * 2026-07-28 when it offers it, else the 2025-11-25 `initialize` handshake (a stdio server that
   * exits on the question, as rmcp-based ones do, is started again for the 2025 handshake).
   * `"2025-11-25"` skips the question; `"2026-07-28"` requires that
   * revision and fails to connect otherwise. A server that never answers an unknown request
   * (against JSON-RPC) times out on the question: set `"2025-11-25"` for it.
   */
  protocol?: ProtocolChoice;
  /**
   * Declare roots, elicitation and sampling to this server and forward its `roots/list`,
   * `elicitation/create` and `sampling/createMessage` during a tool call to the client of the run
   * that made the call (`ExecuteOptions.peer`, set by the gateway from the session that sent
   * `execute`); refused (`CLIENT_CAPABILITY_UNAVAILABLE`) when the run has no client or its client
   * lacks the capability. On 2026-07-28 each call declares the run's client's own capabilities.
   * On 2025-11-25, which cannot tell which call a request belongs to, the connection carries calls
   * of one client session at a time (calls of other sessions wait their turn). Default false:
   * nothing is declared and every such request is refused.
   */
  forward?: boolean;
}

/** A server started as a child process speaking MCP over stdio (Node only). */
export interface StdioSource extends SourceBase {
  command: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** What to do with the child's stderr. Default "inherit". */
  stderr?: "inherit" | "pipe" | "ignore";
}

/** A server reached over Streamable HTTP. Headers and OAuth stay on the host. */
export interface HttpSource extends SourceBase {
  url: string | URL;
  headers?: Record<string, string>;
  authProvider?: OAuthClientProvider;
  fetch?: typeof fetch;
}

/** A server object in this process, connected through a linked in-memory transport pair. */
export interface InProcessSource extends SourceBase {
  server: ConnectableServer | (() => ConnectableServer | Promise<ConnectableServer>);
}

/** Any other client transport (a fresh one per connection). */
export interface TransportSource extends SourceBase {
  transport: () => Transport | Promise<Transport>;
}

export type SourceConfig = StdioSource | HttpSource | InProcessSource | TransportSource;

export function describeSource(s: SourceConfig): string {
  if ("command" in s) return `stdio: ${[s.command, ...(s.args ?? [])].join(" ")}`;
  if ("url" in s) return `http: ${String(s.url)}`;
  if ("server" in s) return "in-process server";
  return "custom transport";
}
