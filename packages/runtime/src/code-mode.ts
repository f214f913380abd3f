/**
 * `createCodeMode`: typed declarations of every tool of every connected MCP server, a
 * search over them, and `execute(code)` that runs one model-written program in a sandbox
 * whose only door is the bridge to those tools.
 */
import { decode } from "./codec/wire.js";
import { ErrorCodes, ProgramError } from "./errors.js";
import { byteLength, programTooLarge } from "./executors/guard.js";
import { createQuickJSExecutor } from "./executors/quickjs/executor.js";
import {
  DEFAULT_MAX_ARGUMENT_BYTES,
  DEFAULT_MAX_IN_FLIGHT_ARGUMENT_BYTES,
  DEFAULT_MAX_PROGRAM_BYTES,
  type Executor,
  type LogEntry,
  type SandboxLimits,
} from "./executors/types.js";
import { defaultIntake, IntakeStopped, type ProgramIntake } from "./intake/intake.js";
import { type PreparedProgram, typecheckSource } from "./intake/prepare.js";
import { TypecheckCancelled, type TypeDiagnostic, typecheckFiles } from "./intake/typecheck.js";
import { assignIdentifiers } from "./naming/assign.js";
import { RESERVED_GLOBALS, RESERVED_WORDS } from "./naming/identifier.js";
import { type CallRecord, createBridge } from "./pipeline/bridge.js";
import type {
  Preflight,
  ProgramInfo,
  ToolCallMiddleware,
  ToolInfo,
  ToolReference,
} from "./pipeline/types.js";
import { cutResult, type Truncation } from "./result/cut.js";
import { type RunWarning, TrimmedAnswers } from "./result/trimmed-answers.js";
import type { ClientPeer } from "./sources/client-peer.js";
import { McpSource } from "./sources/mcp-source.js";
import type { SourceConfig } from "./sources/types.js";
import {
  type DeclarationsOptions,
  declareTool,
  renderDeclarations,
  SANDBOX_GLOBALS_DTS,
} from "./typegen/declarations.js";
import type { DeclarationDetail } from "./typegen/docs.js";
import { type SearchHit, searchTools } from "./typegen/search.js";

export const DEFAULT_LIMITS: SandboxLimits = {
  timeoutMs: 30_000,
  memoryMb: 64,
  maxToolCalls: 200,
  maxConcurrentCalls: 8,
  maxLogBytes: 65_536,
  maxResultBytes: 32_768,
  maxProgramBytes: DEFAULT_MAX_PROGRAM_BYTES,
  maxArgumentBytes: DEFAULT_MAX_ARGUMENT_BYTES,
  maxInFlightArgumentBytes: DEFAULT_MAX_IN_FLIGHT_ARGUMENT_BYTES,
};

export interface CodeModeOptions {
  /** MCP servers, each under its namespace. */
  sources: SourceConfig[];
  /** Where programs run. Default: the embedded QuickJS executor. */
  executor?: Executor;
  limits?: Partial<SandboxLimits>;
  /** Host-side tool-call pipeline, in order (governance hooks). */
  middleware?: ToolCallMiddleware[];
  /** Sees each program before it runs; may refuse it. */
  preflight?: Preflight;
  /** Makes run ids. Default: random UUIDs. */
  runId?: () => string;
  /** Type-check every program against the declarations before running it. Default false. */
  typecheck?: boolean;
  /**
   * Where programs are type-stripped and parsed. Default: a worker-thread pool shared by the
   * process (terminated at the run's deadline), or the calling thread where there are no worker
   * threads (workerd).
   */
  intake?: ProgramIntake;
  /** Last step of every run, whatever the outcome: may rewrite the result (governance redacts secrets here). */
  onResult?: (result: ExecuteResult) => ExecuteResult;
  /**
   * Applied to every text code mode shows outside a run (declarations, search hits, `status()`
   * errors) and to the unavailable-server error a program gets; pass `governance.redactor.text`
   * so a secret in a server URL or a tool description never reaches the model. Default: identity.
   */
  redact?: (text: string) => string;
}

export interface ExecuteOptions {
  limits?: Partial<SandboxLimits>;
  typecheck?: boolean;
  runId?: string;
  /** Sent as MCP request `_meta` on every call of this run (e.g. `toolpacks.dev/principal`). */
  meta?: Record<string, unknown>;
  signal?: AbortSignal;
  /**
   * JavaScript the sandbox runs in front of the program, on its first line (it must be one line
   * and declare nothing). Durable runs put their replayable clock and PRNG here
   * (`determinismPrologue`); positions in errors stay those of the model's code.
   */
  sandboxPrologue?: string;
  /**
   * The MCP client this run answers to: a source configured with `forward` sends its roots,
   * elicitation and sampling requests during this run's calls there (audited by governance), and
   * to no other run's client. The gateway sets it from the session that sent `execute`; the
   * program cannot. Unset: such requests are refused (`CLIENT_CAPABILITY_UNAVAILABLE`).
   */
  peer?: ClientPeer;
}

/** What `CodeMode.declarations()` renders. */
export type CodeModeDeclarationsOptions = Pick<DeclarationsOptions, "detail">;

/** What `CodeMode.search()` returns. */
export interface SearchOptions {
  /** At most this many hits, best first. Default 8. */
  limit?: number;
  /** How each hit's `declaration` is written: `compact` (default) or `full` JSDoc. */
  detail?: DeclarationDetail;
}

export interface ExecuteError {
  code: string;
  message: string;
  line?: number;
  column?: number;
  /** Compiler errors, when the program failed type-checking. */
  diagnostics?: TypeDiagnostic[];
  /** With BUSY: when trying again is likely to find room. */
  retryAfterMs?: number;
}

export interface ExecuteResult {
  ok: boolean;
  /** The program's return value (BigInt, Date, Map … kept), or a JSON cut of it when over budget. */
  result?: unknown;
  logs: LogEntry[];
  calls: Array<Omit<CallRecord, "position" | "error"> & { error?: { code: string; message: string } }>;
  error?: ExecuteError;
  /** Present when the result was cut to fit maxResultBytes. */
  truncated?: Truncation;
  /**
   * Present when something the program could not see went wrong: `ANSWER_TRIMMED` when a tool's
   * answer was cut to fit its budget (result `_meta["toolpacks.dev/trimmed"]`), so the program
   * worked on fewer items than the page held. Each warning is also a `warn` line in `logs`.
   */
  warnings?: RunWarning[];
  stats: {
    runId: string;
    executor: string;
    wallMs: number;
    toolCalls: number;
    resultBytes: number;
    logBytes: number;
  };
}

export interface SourceStatusInfo {
  server: string;
  namespace: string;
  status: string;
  error?: string;
  tools: number;
}

const NS_RESERVED = new Set([...RESERVED_WORDS, ...RESERVED_GLOBALS]);

export class CodeMode {
  readonly executor: Executor;
  private readonly intake: ProgramIntake;
  private readonly sources: McpSource[];
  private readonly namespaces: Map<string, string>;
  private toolIndex = new Map<string, Map<string, ToolInfo>>();
  private toolList: ToolInfo[] = [];
  private declCache = new Map<DeclarationDetail, string>();
  private snippetCache = new Map<DeclarationDetail, Map<ToolInfo, string>>();
  private readonly limits: SandboxLimits;

  constructor(private readonly options: CodeModeOptions) {
    const names = options.sources.map((s) => s.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup !== undefined) throw new ProgramError("CONFIG_ERROR", `two sources are named "${dup}"`);
    this.sources = options.sources.map((s) => new McpSource(s));
    // A source whose server changed its tools is indexed again: later runs, declarations and
    // search see the new list (a run already type-checked keeps the one it was checked against).
    for (const source of this.sources) source.onToolsChanged = () => this.reindex();
    this.namespaces = assignIdentifiers(names, NS_RESERVED);
    this.executor = options.executor ?? createQuickJSExecutor();
    this.intake = options.intake ?? defaultIntake();
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
  }

  /** Connects every source (failures are kept per source, never thrown) and indexes tools. */
  async connect(): Promise<void> {
    const warm = (this.executor as { warmup?: () => Promise<void> }).warmup;
    await Promise.all([
      ...this.sources.map((s) => s.connect()),
      // Load the sandbox ahead of the first run when the executor can (QuickJS: WASM + a prepared sandbox).
      warm ? warm.call(this.executor).catch(() => {}) : undefined,
      this.intake.warmup?.().catch(() => {}),
    ]);
    this.reindex();
  }

  private reindex(): void {
    const index = new Map<string, Map<string, ToolInfo>>();
    const list: ToolInfo[] = [];
    for (const source of this.sources) {
      const namespace = this.namespaces.get(source.name) as string;
      const ids = assignIdentifiers(source.tools.map((t) => t.name));
      const byId = new Map<string, ToolInfo>();
      for (const t of source.tools) {
        const info: ToolInfo = {
          server: source.name,
          namespace,
          identifier: ids.get(t.name) as string,
          ...t,
        };
        byId.set(info.identifier, info);
        list.push(info);
      }
      index.set(namespace, byId);
    }
    this.toolIndex = index;
    this.toolList = list;
    this.declCache.clear();
    this.snippetCache.clear();
  }

  /** Every tool, with its schemas, annotations, `_meta` and JS names. */
  tools(): ToolInfo[] {
    return this.toolList;
  }

  /** Each source's connection state. */
  status(): SourceStatusInfo[] {
    return this.sources.map((s) => ({
      server: s.name,
      namespace: this.namespaces.get(s.name) as string,
      status: s.status,
      ...(s.error ? { error: this.shown(s.error) } : {}),
      tools: s.tools.length,
    }));
  }

  /**
   * The TypeScript declarations the model reads. `detail: "compact"` (default) is what code mode
   * sends: one-line field comments, an `int` alias, repeated descriptions and string enums
   * stated once. `detail: "full"` spells every description, default, range and format out as
   * JSDoc on each field (the four packs: about 1.5 times the tokens of compact). Both declare
   * the same types; programs are type-checked against the compact form.
   */
  declarations(options: CodeModeDeclarationsOptions = {}): string {
    const detail = options.detail ?? "compact";
    let text = this.declCache.get(detail);
    if (text === undefined) {
      const unavailable: Record<string, string> = {};
      for (const s of this.sources) {
        if (s.status !== "ready" && s.tools.length === 0) {
          unavailable[this.namespaces.get(s.name) as string] = s.error ?? s.status;
        }
      }
      const taskOnly: Record<string, string[]> = {};
      for (const s of this.sources) {
        if (s.taskOnlyTools.length) taskOnly[this.namespaces.get(s.name) as string] = s.taskOnlyTools;
      }
      text = this.shown(renderDeclarations(this.toolList, { detail, unavailable, taskOnly }));
      this.declCache.set(detail, text);
    }
    return text;
  }

  /** Tools matching a query, best first, each with its declaration (`detail`: compact by default). */
  search(query: string, options: SearchOptions = {}): SearchHit[] {
    const detail = options.detail ?? "compact";
    let cache = this.snippetCache.get(detail);
    if (!cache) {
      const taken = new Set<string>();
      cache = new Map(this.toolList.map((t) => [t, declareTool(t, taken, { detail }).snippet]));
      this.snippetCache.set(detail, cache);
    }
    const snippets = cache;
    return searchTools(
      this.toolList.map((tool) => ({ tool, declaration: snippets.get(tool) ?? "" })),
      query,
      options.limit ?? 8,
    ).map((h) => ({
      ...h,
      declaration: this.shown(h.declaration),
      description: h.description && this.shown(h.description),
    }));
  }

  /**
   * Runs one program. Never throws for a failing program: the failure is in the result.
   * `timeoutMs` starts here: intake (size check, type-stripping, parsing), type-checking,
   * preflight and the sandbox's compile all count against it, each stage checks it, and
   * `options.signal` cancels the run at any stage (ABORTED).
   */
  async execute(code: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    const runId = options.runId ?? this.options.runId?.() ?? crypto.randomUUID();
    const limits: SandboxLimits = { ...this.limits, ...options.limits };
    const started = performance.now();
    // Moved later by time spent waiting for an intake thread (the host's queue, not the program's cost).
    let deadline = started + limits.timeoutMs;
    const calls: CallRecord[] = [];
    const trimmed = new TrimmedAnswers();
    const finish = (partial: Omit<ExecuteResult, "stats" | "calls"> & { wallMs?: number }): ExecuteResult => {
      const warnings = trimmed.warnings();
      const logs = [...partial.logs, ...warnings.map((w) => ({ level: "warn" as const, text: w.message }))];
      const logBytes = logs.reduce((n, l) => n + byteLength(l.text), 0);
      const { wallMs, ...rest } = partial;
      const result: ExecuteResult = {
        ...rest,
        logs,
        ...(warnings.length ? { warnings } : {}),
        calls: calls
          .sort((a, b) => a.position - b.position)
          .map(({ position: _p, error, ...c }) => (error ? { ...c, error } : c)),
        stats: {
          runId,
          executor: this.executor.name,
          wallMs: Math.round((wallMs ?? performance.now() - started) * 1000) / 1000,
          toolCalls: calls.length,
          resultBytes: partial.result === undefined ? 0 : byteLength(safeStringify(partial.result)),
          logBytes,
        },
      };
      return this.options.onResult ? this.options.onResult(result) : result;
    };

    // Retry servers that are down, in the background, so a later run can use them.
    for (const s of this.sources) {
      if (s.status === "failed" || s.status === "closed") {
        void s.connect().then(() => {
          if (s.status === "ready") this.reindex();
        });
      }
    }

    // Measured before anything parses it: the cap is what bounds every later stage's work.
    const tooLarge = programTooLarge(code, limits);
    if (tooLarge) return finish({ ok: false, logs: [], error: tooLarge });
    /** The refusal once the run is cancelled or out of time before its program started, else undefined. */
    const stageOver = (stage: string): ExecuteError | undefined => {
      if (options.signal?.aborted)
        return { code: ErrorCodes.ABORTED, message: `the run was cancelled during ${stage}` };
      if (performance.now() > deadline)
        return {
          code: ErrorCodes.TIMEOUT,
          message: `the run used its ${limits.timeoutMs} ms before the program started (${stage} took ${Math.round(performance.now() - started)} ms in all): send a smaller program or raise timeoutMs`,
        };
      return undefined;
    };
    const early = stageOver("intake");
    if (early) return finish({ ok: false, logs: [], error: early });

    let program: PreparedProgram;
    try {
      const intake = await this.intake.prepare(code, [...this.toolIndex.keys()], {
        budgetMs: deadline - performance.now(),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      program = intake.program;
      deadline += intake.waitedMs;
    } catch (err) {
      if (err instanceof IntakeStopped) {
        const error = stageOver("intake") ?? {
          code: err.code,
          message:
            err.reason === "aborted"
              ? "the run was cancelled during intake"
              : `the run used its ${limits.timeoutMs} ms before the program started (type-stripping and parsing did not finish): send a smaller program or raise timeoutMs`,
        };
        return finish({ ok: false, logs: [], error });
      }
      if (err instanceof ProgramError)
        return finish({ ok: false, logs: [], error: positioned(err.code, err.message, err) });
      return finish({
        ok: false,
        logs: [],
        error: {
          code: ErrorCodes.INTERNAL_ERROR,
          message: `intake failed: ${String((err as Error)?.message ?? err)}`,
        },
      });
    }

    const stripped = stageOver("type-stripping");
    if (stripped) return finish({ ok: false, logs: [], error: stripped });

    if (options.typecheck ?? this.options.typecheck ?? false) {
      const { text, lineDelta } = typecheckSource(program);
      let diags: TypeDiagnostic[];
      try {
        diags = await typecheckFiles(
          {
            "/declarations.d.ts": this.declarations(),
            "/sandbox.d.ts": SANDBOX_GLOBALS_DTS,
            "/program.ts": text,
          },
          { deadline, ...(options.signal ? { signal: options.signal } : {}) },
        );
      } catch (err) {
        const over = err instanceof TypecheckCancelled ? stageOver("type-checking") : undefined;
        if (over) return finish({ ok: false, logs: [], error: over });
        return finish({
          ok: false,
          logs: [],
          error: { code: ErrorCodes.INTERNAL_ERROR, message: String((err as Error).message ?? err) },
        });
      }
      const mine = diags
        .filter((d) => d.file === "/program.ts")
        .map((d) => ({ ...d, file: "program.ts", line: d.line + lineDelta }));
      if (mine.length) {
        const first = mine[0] as TypeDiagnostic;
        return finish({
          ok: false,
          logs: [],
          error: {
            code: ErrorCodes.TYPE_ERROR,
            message: mine.map((d) => `${d.line}:${d.column} ${d.message}`).join("\n"),
            line: first.line,
            column: first.column,
            diagnostics: mine,
          },
        });
      }
    }

    const meta = { ...(options.meta ?? {}) };
    if (this.options.preflight) {
      const references: ToolReference[] = [];
      for (const r of program.references) {
        const info = this.toolIndex.get(r.namespace)?.get(r.tool);
        if (info)
          references.push({
            server: info.server,
            tool: info.name,
            tool_info: info,
            line: r.line,
            column: r.column,
          });
      }
      const info: ProgramInfo = {
        runId,
        source: code,
        js: program.js,
        references,
        tools: this.toolList,
        meta,
      };
      let verdict: Awaited<ReturnType<Preflight>>;
      try {
        verdict = await withinStage(this.options.preflight(info), deadline, options.signal);
      } catch (err) {
        const over = err === STAGE_OVER ? stageOver("preflight") : undefined;
        if (over) return finish({ ok: false, logs: [], error: over });
        verdict = {
          allow: false,
          code: (err as { code?: string }).code,
          reason: String((err as Error).message ?? err),
        };
      }
      if (!verdict.allow) {
        return finish({
          ok: false,
          logs: [],
          error: { code: verdict.code ?? ErrorCodes.POLICY_DENIED, message: verdict.reason },
        });
      }
      if (verdict.meta) Object.assign(meta, verdict.meta);
    }
    const late = stageOver("type-checking and preflight");
    if (late) return finish({ ok: false, logs: [], error: late });

    const abort = new AbortController();
    const onAbort = () => abort.abort(options.signal?.reason);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const bindings: Record<string, string[]> = {};
    for (const [ns, tools] of this.toolIndex) bindings[ns] = [...tools.keys()];
    // The sandbox gets what the earlier stages left of timeoutMs (its compile counts too).
    const sandboxMs = Math.max(1, Math.floor(deadline - performance.now()));
    const bySource = new Map(this.sources.map((s) => [s.name, s]));
    const namespaceServer = new Map([...this.namespaces].map(([server, ns]) => [ns, server]));
    const prologue = options.sandboxPrologue ?? "";
    const bridge = createBridge({
      runId,
      meta,
      signal: abort.signal,
      middleware: this.options.middleware ?? [],
      calls,
      trimmed,
      lookup: (ns, id) => this.toolIndex.get(ns)?.get(id),
      source: (server) => bySource.get(server),
      ...(options.peer ? { peer: options.peer } : {}),
    });
    try {
      let response: Awaited<ReturnType<Executor["run"]>>;
      try {
        response = await this.executor.run({
          code: prologue + program.js,
          bindings,
          limits: { ...limits, timeoutMs: sandboxMs },
          signal: abort.signal,
          onRefusedCall: bridge.refused,
          callTool: async (ns, tool, args) => {
            if (abort.signal.aborted)
              throw JSON.stringify({ code: ErrorCodes.ABORTED, message: "the run was cancelled" });
            const server = namespaceServer.get(ns);
            const source = server === undefined ? undefined : bySource.get(server);
            if (source && source.tools.length === 0 && source.status !== "ready") {
              throw JSON.stringify({
                code: ErrorCodes.SERVER_UNAVAILABLE,
                message: this.shown(
                  `MCP server "${source.name}" is unavailable: ${source.error ?? source.status}`,
                ),
              });
            }
            return bridge(ns, tool, args);
          },
        });
      } catch (err) {
        await bridge.settled();
        return finish({
          ok: false,
          logs: [],
          error: {
            code: ErrorCodes.INTERNAL_ERROR,
            message: `the ${this.executor.name} executor failed: ${String((err as Error)?.message ?? err)}`,
          },
        });
      }
      // Calls refused before the pipeline are audited before the run ends.
      await bridge.settled();
      const logs = response.logs;
      if (!response.ok) {
        const e = response.error ?? {
          code: ErrorCodes.INTERNAL_ERROR,
          message: "the executor reported no error",
        };
        // The prologue sits in front of the program's first line: columns there move back by its length.
        const column = (e.column ?? 1) - (e.line === 1 ? prologue.length : 0);
        const pos = e.line !== undefined ? program.toSource({ line: e.line, column }) : undefined;
        const error: ExecuteError = { code: e.code, message: e.message };
        // Worth saying only when the earlier stages took a noticeable share of the budget.
        if (e.code === ErrorCodes.TIMEOUT && limits.timeoutMs - sandboxMs >= 100) {
          error.message += ` (the run's timeoutMs is ${limits.timeoutMs} ms; ${limits.timeoutMs - sandboxMs} ms of it went to the stages before the program started)`;
        }
        if (e.retryAfterMs !== undefined) error.retryAfterMs = e.retryAfterMs;
        if (pos && pos.line >= 1) {
          error.line = pos.line;
          if (e.column !== undefined) error.column = pos.column;
        }
        return finish({ ok: false, logs, error });
      }
      let value: unknown;
      try {
        value = response.encodedResult === undefined ? undefined : decode(response.encodedResult);
      } catch (err) {
        return finish({ ok: false, logs, error: { code: ErrorCodes.RESULT_ENCODING, message: String(err) } });
      }
      const cut = cutResult(value, limits.maxResultBytes);
      const out: Omit<ExecuteResult, "stats" | "calls"> & { wallMs?: number } = {
        ok: true,
        result: cut.value,
        logs,
      };
      if (cut.truncated) out.truncated = cut.truncated;
      return finish(out);
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
      abort.abort(new Error("run finished"));
    }
  }

  private shown(text: string): string {
    return this.options.redact ? this.options.redact(text) : text;
  }

  async close(): Promise<void> {
    await Promise.all(this.sources.map((s) => s.close()));
  }
}

const STAGE_OVER = Symbol("stage over");

/**
 * Settles with `work`, or rejects with STAGE_OVER once the deadline passes or the signal aborts
 * (work that ignores them keeps running, but the run no longer waits for it).
 */
function withinStage<T>(work: T | Promise<T>, deadline: number, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const over = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", over);
      reject(STAGE_OVER);
    };
    if (signal?.aborted) return over();
    const timer = setTimeout(over, Math.max(0, deadline - performance.now()) + 1);
    signal?.addEventListener("abort", over, { once: true });
    Promise.resolve(work).then(
      (value) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", over);
        resolve(value);
      },
      (err) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", over);
        reject(err);
      },
    );
  });
}

function positioned(code: string, message: string, pos: { line?: number; column?: number }): ExecuteError {
  const out: ExecuteError = { code, message };
  if (pos.line !== undefined) out.line = pos.line;
  if (pos.column !== undefined) out.column = pos.column;
  return out;
}

function safeStringify(v: unknown): string {
  try {
    return JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x)) ?? "";
  } catch {
    return "";
  }
}

/** Connects the sources and returns a ready code mode. A source that fails is reported in `status()`, not thrown. */
export async function createCodeMode(options: CodeModeOptions): Promise<CodeMode> {
  const cm = new CodeMode(options);
  await cm.connect();
  return cm;
}
