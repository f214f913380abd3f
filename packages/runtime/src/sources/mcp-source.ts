/**
 * One MCP server under a namespace: connects, lists tools (all pages), calls tools, and
 * reports failures as errors naming the server. A server that dies is reconnected once on
 * the next call.
 */
import {
  type CallToolResult,
  CLIENT_CAPABILITIES_META_KEY,
  Client,
  isInputRequiredResult,
  ProtocolError,
  ProtocolErrorCode,
  SdkError,
  SdkErrorCode,
  type Tool,
  type Transport,
} from "@modelcontextprotocol/client";
import { ServerUnavailableError, ToolCallError } from "../errors.js";
import {
  AnswerTooLargeError,
  DEFAULT_MAX_ANSWER_BYTES,
  isTooLargeData,
  type TooLarge,
  tooLargeMaker,
} from "./answer-cap.js";
import { cappedFetch } from "./capped-fetch.js";
import { capStdio } from "./capped-stdio.js";
import { CappedTransport } from "./capped-transport.js";
import {
  auditedPeer,
  type CallPeer,
  FORWARDED_METHODS,
  type ForwardedMethod,
  ForwardRefusedError,
} from "./client-peer.js";
import { isInteractiveAuthorization } from "./oauth/interactive.js";
import { createOutputCheck, type OutputCheck } from "./output-check.js";
import { PeerGate } from "./peer-gate.js";
import { PRESENCE_ONLY } from "./schema-validator.js";
import { StderrTail, withStderr } from "./stderr-tail.js";
import { textValue } from "./text-value.js";
import { type ConnectableServer, describeSource, type SourceConfig } from "./types.js";
import { type ProtocolChoice, versionNegotiation } from "./version-negotiation.js";

export type SourceStatus = "idle" | "connecting" | "ready" | "failed" | "closed";

export interface ListedTool {
  name: string;
  title?: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
  annotations?: Tool["annotations"];
  _meta?: Record<string, unknown>;
}

export interface CallOptions {
  meta?: Record<string, unknown>;
  signal?: AbortSignal;
  timeoutMs?: number;
  /**
   * Where the server's roots / elicitation / sampling requests during this call go (the run's
   * client, audited; see `auditedPeer`). Unset: every such request is refused (`NO_CLIENT`).
   * Used only by a source configured with `forward: true`.
   */
  peer?: CallPeer;
}

/** What a forwarding source declares to its server; each request is then checked against the run's own client. */
const FORWARDING_CAPABILITIES = { roots: {}, elicitation: { form: {} }, sampling: {} };

/** The most `input_required` rounds one 2026-07-28 tool call may take before it fails. */
const MAX_INPUT_ROUNDS = 8;

const CLIENT_INFO = { name: "toolpacks-runtime", version: "0.0.0" };

/** A tool call's default time limit (`callTimeoutMs`). */
const DEFAULT_CALL_TIMEOUT_MS = 60_000;

/** The most pages one tool listing may take (a server whose cursor never ends fails to connect). */
const MAX_LIST_PAGES = 1000;

export class McpSource {
  status: SourceStatus = "idle";
  /** Why the server is unavailable, when it is. */
  error: string | undefined;
  tools: ListedTool[] = [];
  /** Tools the server lists with `execution.taskSupport: "required"`, left out of `tools`. */
  taskOnlyTools: string[] = [];
  instructions: string | undefined;
  /** The MCP revision spoken with the server once connected (e.g. "2026-07-28" or "2025-11-25"). */
  protocolVersion: string | undefined;
  private client: Client | undefined;
  private inProcess: ConnectableServer | undefined;
  private connecting: Promise<void> | undefined;
  /** Output schemas by tool name, from the last listing. */
  private outputSchemas = new Map<string, Record<string, unknown>>();
  private readonly outputCheck: OutputCheck;
  /** The most one message from the server may hold (`maxAnswerBytes`). */
  readonly maxAnswerBytes: number;
  /** Marks this source's stand-ins for oversized answers (a server cannot guess it). */
  private readonly nonce = crypto.randomUUID();
  private readonly tooLarge: TooLarge;
  /** The stdio server's last stderr lines (the current process), for errors. */
  private stderrTail: StderrTail | undefined;
  /** Called after the server changed its tools and `tools` holds the new listing. */
  onToolsChanged: (() => void) | undefined;
  /** One client session at a time on a forwarding 2025-11-25 connection (see `PeerGate`). */
  private readonly gate = new PeerGate();
  /** The signal of each call on the connection, for the requests forwarded during it. */
  private readonly callSignals = new Map<CallPeer, AbortSignal | undefined>();
  /** The forwarded request each call had refused, so its failure reads as the refusal. */
  private readonly refusals = new Map<CallPeer, ForwardRefusedError>();

  constructor(readonly config: SourceConfig) {
    this.maxAnswerBytes = config.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
    this.tooLarge = tooLargeMaker(this.maxAnswerBytes, this.nonce);
    this.outputCheck = createOutputCheck({
      server: config.name,
      validator: config.schemaValidator,
      timeoutMs: config.outputCheckTimeoutMs,
    });
  }

  get name(): string {
    return this.config.name;
  }

  /** Connects and lists tools. Never throws: a failure is kept in `status`/`error`. */
  connect(): Promise<void> {
    if (this.status === "ready") return Promise.resolve();
    this.connecting ??= this.doConnect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async doConnect(): Promise<void> {
    this.status = "connecting";
    const timeoutMs = this.config.connectTimeoutMs ?? 15_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const choice = this.config.protocol ?? "auto";
    // The SDK would run each output schema on the host thread: it gets a validator that runs
    // nothing, and callTool checks answers through `outputCheck` instead.
    const newClient = (protocol: ProtocolChoice) => {
      const made: Client = new Client(CLIENT_INFO, {
        capabilities: this.config.forward ? FORWARDING_CAPABILITIES : {},
        jsonSchemaValidator: PRESENCE_ONLY,
        // The question may take the whole connect time: a server that starts slowly (npx) is
        // still asked, not taken for a 2025 one.
        versionNegotiation: versionNegotiation(protocol),
        listMaxPages: MAX_LIST_PAGES,
        // A server that adds or drops tools says so; the listing is taken again here (not by the
        // SDK) so task-only tools and output schemas are handled as on connect.
        listChanged: { tools: { autoRefresh: false, onChanged: () => void this.refreshTools(made) } },
      });
      if (this.config.forward) {
        for (const method of Object.keys(FORWARDED_METHODS) as ForwardedMethod[]) {
          made.setRequestHandler(method, (request, ctx) =>
            this.forwardInbound(method, (request.params ?? {}) as Record<string, unknown>, ctx.mcpReq.signal),
          );
        }
      }
      return made;
    };
    let client = newClient(choice);
    // The connect time limit does not run while a person signs in (the provider bounds that).
    let timeoutPaused = false;
    try {
      let expire!: () => void;
      const timeout = new Promise<never>((_, reject) => {
        expire = () =>
          reject(
            new Error(
              `no answer within ${timeoutMs} ms, the limit to start and list tools (connectTimeoutMs; CLI --connect-timeout-ms)`,
            ),
          );
      });
      const restartTimer = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          if (!timeoutPaused) expire();
        }, timeoutMs);
      };
      restartTimer();
      const work = (async () => {
        const transport = await this.makeTransport();
        try {
          await client.connect(transport, { timeout: timeoutMs });
        } catch (err) {
          const provider = "url" in this.config ? this.config.authProvider : undefined;
          if (isUnauthorized(err) && isInteractiveAuthorization(provider)) {
            // The SDK sent the user to the sign-in page: wait for the redirect, redeem it, connect again.
            timeoutPaused = true;
            const response = await provider.authorizationResponse();
            timeoutPaused = false;
            restartTimer();
            await (transport as unknown as { finishAuth(p: URLSearchParams): Promise<void> }).finishAuth(
              response,
            );
            await client.close().catch(() => {});
            client = newClient(choice);
            await client.connect(await this.makeTransport(), { timeout: timeoutMs });
          } else if (choice === "auto" && "command" in this.config && isNegotiationFailure(err)) {
            // A stdio server that exits on any request before `initialize` (servers built on rmcp
            // do) cannot be asked which revision it speaks: start it again for the 2025 handshake.
            await client.close().catch(() => {});
            client = newClient("2025-11-25");
            await client.connect(await this.makeTransport(), { timeout: timeoutMs });
          } else throw err;
        }
        // Without a cursor the SDK walks every page (at most MAX_LIST_PAGES); "refresh" stores the
        // listing the SDK's own call path reads (2026-07-28 header mirroring) and never serves a stale one.
        const listing = await client.listTools(undefined, { timeout: timeoutMs, cacheMode: "refresh" });
        return listing.tools;
      })();
      const listed = await Promise.race([work, timeout]);
      this.applyListing(listed);
      this.instructions = client.getInstructions();
      this.protocolVersion = client.getNegotiatedProtocolVersion();
      this.client = client;
      this.status = "ready";
      this.error = undefined;
      const tail = this.stderrTail;
      client.onclose = () => {
        if (this.client === client) {
          this.client = undefined;
          this.status = "closed";
          this.error = withStderr("the server closed the connection", tail?.snapshot() ?? "");
        }
      };
    } catch (err) {
      this.status = "failed";
      const said = (await this.stderrTail?.read()) ?? "";
      this.error = withStderr(`${describeSource(this.config)}: ${message(err)}`, said);
      await client.close().catch(() => {});
      await this.inProcess?.close().catch(() => {});
      this.inProcess = undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Takes a tool listing as the source's tools. */
  private applyListing(listed: Tool[]): void {
    // A tool that runs only as a task would be declared and then fail every call: it is left
    // out, and the declarations say so (code mode calls tools directly, never as tasks).
    this.taskOnlyTools = listed.filter(isTaskOnly).map((t) => t.name);
    this.tools = listed.filter((t) => !isTaskOnly(t)).map(toListed);
    this.outputSchemas = new Map(
      this.tools.flatMap((t) => (t.outputSchema ? [[t.name, t.outputSchema] as const] : [])),
    );
  }

  /**
   * Lists the tools again after the server's `notifications/tools/list_changed`, then tells
   * `onToolsChanged`. A listing that fails keeps the previous one (calls still reach the server,
   * which answers for tools it no longer has); one from a replaced connection is ignored.
   */
  private async refreshTools(client: Client): Promise<void> {
    if (this.client !== client) return;
    try {
      const timeout = this.config.connectTimeoutMs ?? 15_000;
      const listing = await client.listTools(undefined, { timeout, cacheMode: "refresh" });
      if (this.client !== client) return;
      this.applyListing(listing.tools);
    } catch {
      return;
    }
    this.onToolsChanged?.();
  }

  /** The transport to the server, with `maxAnswerBytes` enforced where its bytes arrive. */
  private async makeTransport(): Promise<Transport> {
    const c = this.config;
    const limit = this.maxAnswerBytes;
    if ("command" in c) {
      const { StdioClientTransport, getDefaultEnvironment } = await import(
        "@modelcontextprotocol/client/stdio"
      );
      // A subclass, so the SDK asks the revision on this process instead of starting a second
      // copy of the server for the question (doConnect starts it again if it exits on it).
      class AskInPlace extends StdioClientTransport {}
      const transport = new AskInPlace({
        command: c.command,
        args: c.args ?? [],
        env: { ...getDefaultEnvironment(), ...(c.env ?? {}) },
        cwd: c.cwd,
        // Always piped: its tail explains a failed start or a death; "inherit" still shows it live.
        stderr: "pipe",
      });
      const tail = new StderrTail();
      this.stderrTail = tail;
      const show = (c.stderr ?? "inherit") === "inherit";
      capStdio(transport, limit, this.tooLarge);
      const start = transport.start.bind(transport);
      transport.start = async () => {
        await start();
        tail.attach(transport.stderr as never, show ? (chunk) => process.stderr.write(chunk) : undefined);
      };
      return transport;
    }
    if ("url" in c) {
      const { StreamableHTTPClientTransport } = await import("@modelcontextprotocol/client");
      return new StreamableHTTPClientTransport(new URL(String(c.url)), {
        requestInit: c.headers ? { headers: c.headers } : undefined,
        authProvider: c.authProvider,
        fetch: cappedFetch(c.fetch ?? ((input, init) => fetch(input, init)), limit, this.tooLarge),
      });
    }
    if ("server" in c) {
      const { InMemoryTransport } = await import("@modelcontextprotocol/client");
      const server = typeof c.server === "function" ? await c.server() : c.server;
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      await server.close().catch(() => {});
      await server.connect(serverSide);
      this.inProcess = server;
      return new CappedTransport(clientSide, limit, this.tooLarge);
    }
    return new CappedTransport(await c.transport(), limit, this.tooLarge);
  }

  /** Calls a tool by its exact MCP name. Throws ToolCallError / ServerUnavailableError. */
  async callTool(tool: string, args: unknown, options: CallOptions = {}): Promise<CallToolResult> {
    if (this.status !== "ready") {
      // One reconnection attempt for a server that died or failed earlier.
      await this.connect();
    }
    const client = this.client;
    if (this.status !== "ready" || !client) {
      throw new ServerUnavailableError(
        this.name,
        `MCP server "${this.name}" is unavailable: ${this.error ?? "not connected"}`,
        { tool },
      );
    }
    // A forwarding source: every call answers to a client (or to none, and is refused).
    const peer = this.config.forward
      ? (options.peer ?? auditedPeer(undefined, undefined, this.name, tool))
      : undefined;
    let leave: (() => void) | undefined;
    try {
      if (peer) {
        this.callSignals.set(peer, options.signal);
        if (!isModern(this.protocolVersion)) leave = await this.gate.enter(peer, options.signal);
      }
      const result = await this.sendCall(client, tool, args, options, peer).catch(async (err: unknown) => {
        if (!("url" in this.config) || !isSessionGone(err)) throw err;
        // The server restarted and forgot our session (404 / "Session not found"): the spec says
        // start a new session; the call is sent once more on it, never more.
        if (this.client === client) {
          this.client = undefined;
          this.status = "idle";
          await client.close().catch(() => {});
        }
        await this.connect();
        const fresh = this.client as Client | undefined;
        if (this.status !== "ready" || !fresh) throw err;
        return this.sendCall(fresh, tool, args, options, peer);
      });
      const refused = peer && this.refusals.get(peer);
      if (refused && result.isError) throw this.refusalError(tool, refused, resultErrorText(result));
      await this.checkOutput(tool, result);
      return result;
    } catch (err) {
      const refused = peer && this.refusals.get(peer);
      if (refused && !(err instanceof ToolCallError)) throw this.refusalError(tool, refused, message(err));
      // SDK 2.x reports a caller's abort as a RequestTimeout: the signal tells them apart.
      if (options.signal?.aborted && !(err instanceof ToolCallError)) {
        throw new ToolCallError("ABORTED", `${this.name}.${tool} was cancelled`, { server: this.name, tool });
      }
      // A dying process's last stderr lines can arrive just after the transport reports it closed.
      if (err instanceof SdkError && err.code === SdkErrorCode.ConnectionClosed)
        await this.stderrTail?.read();
      throw this.mapError(tool, err, this.callTimeoutMs(options));
    } finally {
      leave?.();
      if (peer) {
        this.callSignals.delete(peer);
        this.refusals.delete(peer);
      }
    }
  }

  /**
   * A request the server sent during a tool call on a 2025-11-25 connection: it goes to the client
   * of the calls on the connection (one session at a time, see `PeerGate`), or is refused.
   */
  private async forwardInbound(
    method: ForwardedMethod,
    params: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<never> {
    const call = this.gate.current();
    if (!call) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidRequest,
        `toolpacks answers ${method} only during a tool call, for the client of the run that made it; no call is in flight on this connection`,
      );
    }
    const callSignal = this.callSignals.get(call);
    try {
      return (await call.forward(
        method,
        params,
        callSignal ? AbortSignal.any([signal, callSignal]) : signal,
      )) as never;
    } catch (err) {
      if (!(err instanceof ForwardRefusedError)) throw err;
      this.refusals.set(call, err);
      throw new ProtocolError(ProtocolErrorCode.InvalidRequest, `${err.code}: ${err.message}`);
    }
  }

  /** The program's error for a call that failed after a request of its server was refused. */
  private refusalError(tool: string, refused: ForwardRefusedError, said: string): ToolCallError {
    const answer = refused.code === "ANSWER_INVALID" || refused.code === "ANSWER_TOO_LARGE";
    return new ToolCallError(
      answer ? "CLIENT_ANSWER_INVALID" : "CLIENT_CAPABILITY_UNAVAILABLE",
      // The server's own failure text usually repeats the refusal: it is added only when it says more.
      said && !said.includes(refused.message)
        ? `${refused.message} The call failed: ${said.slice(0, 500)}`
        : refused.message,
      { server: this.name, tool, cause: refused },
    );
  }

  /** One `tools/call` on `client` (its `input_required` rounds answered by `peer` on 2026-07-28). */
  private sendCall(
    client: Client,
    tool: string,
    args: unknown,
    options: CallOptions,
    peer?: CallPeer,
  ): Promise<CallToolResult> {
    if (peer && isModern(client.getNegotiatedProtocolVersion()))
      return this.sendAsking(client, tool, args, options, peer);
    return client.callTool(
      {
        name: tool,
        arguments: (args ?? {}) as Record<string, unknown>,
        ...(options.meta && Object.keys(options.meta).length ? { _meta: options.meta } : {}),
      },
      { signal: options.signal, timeout: this.callTimeoutMs(options) },
    );
  }

  /**
   * A `tools/call` on a 2026-07-28 connection that forwards: the request declares the run's client's
   * own capabilities, and each `input_required` round is answered by that client (through `peer`),
   * never by the SDK's shared handlers, so no other run's client is ever asked.
   */
  private async sendAsking(
    client: Client,
    tool: string,
    args: unknown,
    options: CallOptions,
    peer: CallPeer,
  ): Promise<CallToolResult> {
    const base = {
      name: tool,
      arguments: (args ?? {}) as Record<string, unknown>,
      _meta: { ...(options.meta ?? {}), [CLIENT_CAPABILITIES_META_KEY]: peer.capabilities },
    };
    const signal = options.signal ?? new AbortController().signal;
    let params: Record<string, unknown> = base;
    for (let round = 0; ; round++) {
      const answer: unknown = await client.callTool(params as typeof base, {
        signal: options.signal,
        timeout: this.callTimeoutMs(options),
        allowInputRequired: true,
      });
      if (!isInputRequiredResult(answer)) return answer as CallToolResult;
      if (round >= MAX_INPUT_ROUNDS) {
        throw new ToolCallError(
          "TOOL_ERROR",
          `MCP server "${this.name}" asked for input ${MAX_INPUT_ROUNDS} times during ${tool} without answering; the call was given up`,
          { server: this.name, tool },
        );
      }
      const responses: Record<string, unknown> = {};
      for (const [key, request] of Object.entries(answer.inputRequests ?? {})) {
        const { method, params: asked } = request as { method: string; params?: Record<string, unknown> };
        if (!(method in FORWARDED_METHODS)) {
          throw new ToolCallError(
            "TOOL_ERROR",
            `MCP server "${this.name}" asked for ${String(method).slice(0, 60)} during ${tool}, which no MCP client answers`,
            { server: this.name, tool },
          );
        }
        try {
          responses[key] = await peer.forward(method as ForwardedMethod, asked ?? {}, signal);
        } catch (err) {
          if (err instanceof ForwardRefusedError) throw this.refusalError(tool, err, "");
          throw err;
        }
      }
      params = {
        ...base,
        ...(Object.keys(responses).length > 0 ? { inputResponses: responses } : {}),
        ...(answer.requestState !== undefined ? { requestState: answer.requestState } : {}),
      };
    }
  }

  /** The per-call timeout: the call's own, else the source's `callTimeoutMs`, else 60 s. */
  private callTimeoutMs(options: CallOptions): number {
    return options.timeoutMs ?? this.config.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  }

  /** Checks structured content against the tool's output schema (off the host thread in Node). */
  private async checkOutput(tool: string, result: CallToolResult): Promise<void> {
    const schema = this.outputSchemas.get(tool);
    if (!schema || result.structuredContent === undefined) return;
    const problem = await this.outputCheck.check(tool, schema, result.structuredContent);
    if (problem !== undefined) {
      throw new ToolCallError(
        "TOOL_ERROR",
        `MCP server "${this.name}" answered ${tool} with structured content that does not match the tool's output schema: ${problem}`,
        { server: this.name, tool },
      );
    }
  }

  private mapError(tool: string, err: unknown, timeoutMs: number): Error {
    if (err instanceof ToolCallError) return err;
    if (
      (err instanceof ProtocolError && isTooLargeData(err.data, this.nonce)) ||
      err instanceof AnswerTooLargeError
    ) {
      return new ToolCallError(
        "ANSWER_TOO_LARGE",
        `MCP server "${this.name}" answered ${tool} with more than ${this.maxAnswerBytes} bytes, this source's ` +
          "maxAnswerBytes; the answer was dropped unread and the server stays connected. Ask for less (a filter, " +
          "a smaller page or limit), or raise the limit (maxAnswerBytes, CLI --max-answer-bytes).",
        { server: this.name, tool, cause: err },
      );
    }
    if ("url" in this.config && isConnectionLost(err)) {
      // The HTTP server went away mid-call: unavailable now, and reconnected on the next call.
      const client = this.client;
      this.client = undefined;
      this.status = "closed";
      this.error = `the connection was lost: ${message(err)}`;
      void client?.close().catch(() => {});
      return new ServerUnavailableError(
        this.name,
        `MCP server "${this.name}" went away during ${tool}: ${message(err)}`,
        { tool, cause: err },
      );
    }
    if (isInvalidParams(err)) {
      return new ToolCallError(
        "INVALID_ARGUMENTS",
        `MCP server "${this.name}" rejected the arguments of ${tool}: ${serverMessage(err)}`,
        { server: this.name, tool, cause: err },
      );
    }
    if (err instanceof SdkError) {
      if (err.code === SdkErrorCode.ConnectionClosed) {
        this.status = "closed";
        this.client = undefined;
        const said = this.stderrTail?.snapshot() ?? "";
        this.error = withStderr("the server closed the connection", said);
        return new ServerUnavailableError(
          this.name,
          withStderr(`MCP server "${this.name}" died during ${tool}: ${err.message}`, said),
          { tool, cause: err },
        );
      }
      if (err.code === SdkErrorCode.RequestTimeout) {
        return new ToolCallError(
          "TOOL_TIMEOUT",
          `MCP server "${this.name}" did not answer ${tool} within ${timeoutMs} ms, the per-call limit (callTimeoutMs; CLI --call-timeout-ms)`,
          {
            server: this.name,
            tool,
            cause: err,
          },
        );
      }
    }
    if (err instanceof ProtocolError) {
      return new ToolCallError("TOOL_ERROR", err.message, { server: this.name, tool, cause: err });
    }
    if ((err as { name?: string })?.name === "AbortError") {
      return new ToolCallError("ABORTED", `${this.name}.${tool} was cancelled`, { server: this.name, tool });
    }
    if (this.status !== "ready") {
      return new ServerUnavailableError(
        this.name,
        `MCP server "${this.name}" failed during ${tool}: ${message(err)}`,
        { tool, cause: err },
      );
    }
    return new ToolCallError("TOOL_ERROR", message(err), { server: this.name, tool, cause: err });
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.status = "closed";
    this.outputCheck.close();
    await client?.close().catch(() => {});
    await this.inProcess?.close().catch(() => {});
    this.inProcess = undefined;
  }
}

/** The HTTP connection failed under the call (reset, refused, cut short), as a dying server does. */
function isConnectionLost(err: unknown): boolean {
  const text = `${message(err)} ${message((err as { cause?: unknown })?.cause ?? "")}`;
  return /fetch failed|ECONNRESET|ECONNREFUSED|EPIPE|socket hang up|other side closed|terminated|UND_ERR_SOCKET/i.test(
    text,
  );
}

/** The HTTP server no longer knows this session (it restarted): 404 or "Session not found". */
function isSessionGone(err: unknown): boolean {
  const e = err as { code?: unknown; status?: unknown } | undefined;
  return (
    e?.code === 404 || e?.status === 404 || /session not found|no valid session|\b404\b/i.test(message(err))
  );
}

/** 2026-07-28 and later: server-to-client input rides `input_required` results, per call. */
function isModern(version: string | undefined): boolean {
  return version !== undefined && version >= "2026-07-28";
}

function isTaskOnly(t: Tool): boolean {
  return (t as { execution?: { taskSupport?: unknown } }).execution?.taskSupport === "required";
}

function toListed(t: Tool): ListedTool {
  const out: ListedTool = {
    name: t.name,
    inputSchema: (t.inputSchema ?? { type: "object" }) as Record<string, unknown>,
  };
  if (t.title !== undefined) out.title = t.title;
  if (t.description !== undefined) out.description = t.description;
  if (t.outputSchema !== undefined) out.outputSchema = t.outputSchema as Record<string, unknown>;
  if (t.annotations !== undefined) out.annotations = t.annotations;
  if (t._meta !== undefined) out._meta = t._meta as Record<string, unknown>;
  return out;
}

/** The SDK could not settle a revision (e.g. the server exited on the `server/discover` question). */
function isNegotiationFailure(err: unknown): boolean {
  return err instanceof SdkError && err.code === SdkErrorCode.EraNegotiationFailed;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The value a program receives from a tool result: structured content, else each content block's
 * value (text as `textValue` reads it: JSON only when parsing loses nothing).
 */
export function resultValue(result: CallToolResult): unknown {
  if (result.structuredContent !== undefined) return result.structuredContent;
  const content = result.content ?? [];
  const values = content.map((c) => {
    if (c.type === "text") return textValue(c.text);
    return c;
  });
  if (values.length === 0) return undefined;
  return values.length === 1 ? values[0] : values;
}

/** JSON-RPC "Invalid params": the server refused the tool's arguments. */
const INVALID_PARAMS = -32602;

function isInvalidParams(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === INVALID_PARAMS;
}

/** The server's own words, without the SDK's `MCP error -32602: ` prefix. */
function serverMessage(err: unknown): string {
  return message(err).replace(/^MCP error -?\d+:\s*/, "");
}

/**
 * The code of an `isError` result: `INVALID_ARGUMENTS` when the server reports that it refused the
 * arguments (SDK servers answer a failed input validation with an `isError` result whose text is
 * `MCP error -32602: Input validation error: …`), else `TOOL_ERROR`.
 */
export function resultErrorCode(result: CallToolResult): "INVALID_ARGUMENTS" | "TOOL_ERROR" {
  const text = resultErrorText(result);
  return /^(?:MCP error -32602\b|Input validation error\b|Invalid arguments for tool\b)/.test(text)
    ? "INVALID_ARGUMENTS"
    : "TOOL_ERROR";
}

/** The error text of an `isError` result. */
export function resultErrorText(result: CallToolResult): string {
  const texts = (result.content ?? [])
    .filter((c) => c.type === "text")
    .map((c) => (c as { text: string }).text);
  return texts.join("\n") || "the tool reported an error";
}

/** The SDK's refusal when the server wants a sign-in the provider has not finished (401 / 403 scope). */
function isUnauthorized(err: unknown): boolean {
  return (
    err instanceof Error && (err.name === "UnauthorizedError" || err.constructor.name === "UnauthorizedError")
  );
}
