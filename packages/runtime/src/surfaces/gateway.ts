/**
 * The code-mode gateway: an MCP server exposing `search` and `execute` over every tool of
 * every connected MCP server, so any MCP client gets code mode over any MCP servers.
 */
import { McpServer, type ServerContext } from "@modelcontextprotocol/server";
import { z } from "zod";
import type { CodeMode, ExecuteResult } from "../code-mode.js";
import type { Approver } from "../governance/approvals/approver.js";
import { ApprovalStateError } from "../governance/approvals/state-errors.js";
import type { DurableRuns, SuspendedRun } from "../governance/durable/durable-runs.js";
import { type ResultForm, resultAs } from "../result/for-model.js";
import { type ApprovalRunEvent, GatewayApprovals } from "./gateway-approvals.js";
import {
  approvalQuestions,
  declaredForwarding,
  declaresElicitation,
  isMrtrRevision,
  resumeApprovalRun,
  startApprovalRun,
  suspendedAnswer,
} from "./gateway-mrtr.js";
import { sessionPeer } from "./gateway-peer.js";
import { liftMedia } from "./media-blocks.js";
import { type ProgressTarget, reportProgress } from "./run-progress.js";
import { BusyError, QueuedRunAbortedError, type RunQueue } from "./run-queue.js";

export interface GatewayOptions {
  name?: string;
  version?: string;
  /** Put the full declarations in `execute`'s description when they are at most this long. Default 24 000 chars. */
  inlineDeclarationsUpTo?: number;
  /**
   * What `execute` returns: `model` (default) the result, logs, errors and failed calls, the
   * number of calls and the run id; `full` adds every call record and the run's stats.
   */
  result?: ResultForm;
  /**
   * Called when `execute` starts a run, with its run id and the MCP request's `extra` (e.g. to
   * ask this request's client through elicitation); the returned function runs when the run ends.
   */
  onExecute?: (run: {
    runId: string;
    extra: ServerContext;
    /** Whether the client declared elicitation support (so an approver can ask its user). */
    canElicit: boolean;
    /**
     * Set for a 2026-07-28 client that can answer elicitation: the approver that asks it through
     * multi round-trip requests (the run parks, `execute` answers `input_required`). Use it for
     * this run's approvals instead of elicitation.
     */
    approver?: Approver;
  }) => (() => void) | undefined;
  /**
   * Where runs park while a 2026-07-28 client decides their approvals, and the key ring of their
   * state tokens. Share one across the gateway's per-request servers (HTTP creates a server per
   * request); unset: one per `createGatewayServer`, which serves stdio and in-memory clients.
   */
  approvals?: GatewayApprovals;
  /**
   * Durable runs (`createDurableRuns`, whose hooks built `cm`, with `onExecute`): a run of a client
   * that can be asked neither over multi round-trip requests nor by elicitation suspends at its
   * approvals into the continuation store, and `execute` answers with its run id and pending calls
   * (`status: "suspended"`), to approve and resume with `toolpacks approve|resume RUN_ID` or
   * `runs.decide`/`runs.resume`. Unset: such a client's calls that need approval are refused.
   */
  durable?: Pick<DurableRuns, "execute">;
  /**
   * The queue every `execute` waits in (share one across the gateway's per-request servers).
   * A full queue answers at once with a `BUSY` tool error carrying `retryAfterMs`. Unset: runs
   * start as they come.
   */
  runQueue?: RunQueue;
  /** Who this server answers, for the queue's fairness (e.g. `token:…`, `address:…`). Default "local". */
  client?: string;
  /**
   * How often `execute` sends `notifications/progress` while a run waits or runs, to a client that
   * sent a `progressToken` (so it can keep waiting instead of timing out). Default 5000 ms; 0: never.
   */
  progressIntervalMs?: number;
}

/**
 * The tool result for a run the queue refused or gave up on before it started (nothing ran), or
 * for an approval state token the gateway refused (nothing was approved).
 */
function notStarted(err: BusyError | QueuedRunAbortedError | ApprovalStateError) {
  const error = {
    code: err.code,
    message: err.message,
    ...(err instanceof BusyError ? { retryAfterMs: err.retryAfterMs } : {}),
  };
  return { content: [{ type: "text" as const, text: JSON.stringify({ ok: false, error }) }], isError: true };
}

/** `execute`'s answer for a run's result, in the configured form, media lifted into content blocks. */
function runResult(form: ResultForm | undefined, r: ExecuteResult) {
  const { value: json, blocks } = liftMedia(resultAs(form, r));
  return { content: [{ type: "text" as const, text: JSON.stringify(json) }, ...blocks], isError: !r.ok };
}

/** `execute`'s answer for an approval run's next event: its result, or the batch to decide. */
function approvalAnswer(form: ResultForm | undefined, event: ApprovalRunEvent) {
  if (event.kind === "batch") return approvalQuestions(event);
  if (event.kind === "done") return runResult(form, event.result);
  if (event.error instanceof BusyError || event.error instanceof QueuedRunAbortedError)
    return notStarted(event.error);
  throw event.error;
}

export const EXECUTE_GUIDE = `Run one TypeScript program against the tools below. The program is the body of an async function:
use top-level await, call tools as \`await ns.tool(input)\`, run independent calls in parallel with
Promise.all, and \`return\` the answer (JSON-like; keep it small). console.log output is returned too.
A failing tool call throws a ToolCallError (\`e.code\`, \`e.message\`). No network, files or imports.`;

/** Declarations up to this many characters go in `execute`'s description; past it, the model searches. */
export const INLINE_DECLARATIONS_UP_TO = 24_000;

/**
 * `execute`'s description: the guide and the declarations when they are short enough, else the
 * guide and a pointer to the search tool (`searchTool`, as this surface names it).
 */
export function executeDescription(
  cm: CodeMode,
  searchTool: string,
  inlineUpTo = INLINE_DECLARATIONS_UP_TO,
): string {
  const decl = cm.declarations();
  return decl.length <= inlineUpTo
    ? `${EXECUTE_GUIDE}\n\nAvailable tools:\n\`\`\`ts\n${decl}\`\`\``
    : `${EXECUTE_GUIDE}\n\nThere are ${cm.tools().length} tools; ${searchTool} to get their declarations.`;
}

export function createGatewayServer(cm: CodeMode, options: GatewayOptions = {}): McpServer {
  const approvals = options.approvals ?? new GatewayApprovals();
  // Names this server's client session: its runs' sources ask this session, and no other.
  const sessionId = crypto.randomUUID();
  const server = new McpServer({
    name: options.name ?? "toolpacks-code-mode",
    version: options.version ?? "0.0.0",
  });
  const namespaces = [...new Set(cm.tools().map((t) => t.namespace))];
  server.registerTool(
    "search",
    {
      title: "Search tools",
      description: `Find tools by keywords; returns each match with its TypeScript declaration. Namespaces: ${namespaces.join(", ") || "(none)"}.`,
      inputSchema: {
        query: z.string().describe("keywords, e.g. 'overdue invoices'"),
        limit: z.number().int().min(1).max(50).optional(),
      },
      annotations: { readOnlyHint: true },
    },
    async ({ query, limit }) => {
      const hits = cm.search(query, { limit: limit ?? 8 });
      const text = hits.length
        ? hits.map((h) => h.declaration).join("\n\n")
        : `No tool matches "${query}". Namespaces: ${namespaces.join(", ")}.`;
      return {
        content: [{ type: "text", text }],
        structuredContent: {
          hits: hits.map(({ server, tool, call, description, declaration }) => ({
            server,
            tool,
            call,
            description: description ?? "",
            declaration,
          })),
        },
      };
    },
  );
  server.registerTool(
    "execute",
    {
      title: "Execute a program",
      description: executeDescription(cm, "use the search tool", options.inlineDeclarationsUpTo),
      inputSchema: {
        code: z.string().describe("TypeScript or JavaScript program"),
        typecheck: z.boolean().optional().describe("type-check against the declarations first"),
      },
    },
    async ({ code, typecheck }, extra) => {
      let phase: "queued" | "running" = "queued";
      const progressTarget: ProgressTarget = {
        ...(extra.mcpReq._meta ? { _meta: extra.mcpReq._meta } : {}),
        sendNotification: (notification) => extra.mcpReq.notify(notification),
      };
      const stopProgress = reportProgress(progressTarget, () => phase, options.progressIntervalMs);
      // A 2026-07-28 client that can answer elicitation decides approvals over multi round-trip
      // requests: the run parks and this request is answered `input_required`; the client's retry
      // (same request, the state token and its decisions) resumes it.
      const requestState = extra.mcpReq.requestState();
      // A 2026-07-28 client that declares roots, elicitation or sampling also answers its run's
      // sources' requests of them this way (unless a durable store suspends runs of a client that
      // cannot be asked approvals, which it then cannot be).
      const mrtr = isMrtrRevision(server.server.getNegotiatedProtocolVersion());
      const forwardable = Object.keys(declaredForwarding(extra)).length > 0;
      if (
        mrtr &&
        (typeof requestState === "string" ||
          (options.onExecute && declaresElicitation(extra)) ||
          (forwardable && !(options.durable && options.onExecute)))
      ) {
        const attach = {
          approvals,
          cm,
          code,
          typecheck: typecheck ?? false,
          client: options.client ?? "local",
          extra,
          runQueue: options.runQueue,
          ...(options.onExecute ? { onExecute: options.onExecute } : {}),
          onStart: () => {
            phase = "running";
          },
        };
        try {
          const event =
            typeof requestState === "string"
              ? await resumeApprovalRun(requestState, attach)
              : await startApprovalRun(attach);
          return approvalAnswer(options.result, event);
        } catch (err) {
          if (err instanceof ApprovalStateError) return notStarted(err);
          throw err;
        } finally {
          stopProgress();
        }
      }
      const run = async () => {
        phase = "running";
        // The run id is chosen here only when a hook needs it; otherwise code mode picks it.
        const runId = options.onExecute ? crypto.randomUUID() : undefined;
        const canElicit = server.server.getClientCapabilities()?.elicitation !== undefined;
        const done = runId === undefined ? undefined : options.onExecute?.({ runId, extra, canElicit });
        try {
          // A client that cannot be asked: with a durable store, the run suspends at its
          // approvals and the answer names it, instead of each call being refused.
          if (options.durable && runId !== undefined && !canElicit) {
            const outcome = await options.durable.execute(code, {
              typecheck: typecheck ?? false,
              signal: extra.mcpReq.signal,
              runId,
              onApproval: "suspend",
            });
            return outcome.status === "suspended" ? outcome : outcome.result;
          }
          const peer = isMrtrRevision(server.server.getNegotiatedProtocolVersion())
            ? undefined
            : sessionPeer(server, extra, sessionId);
          return await cm.execute(code, {
            typecheck: typecheck ?? false,
            signal: extra.mcpReq.signal,
            runId,
            ...(peer ? { peer } : {}),
          });
        } finally {
          done?.();
        }
      };
      let r: ExecuteResult | SuspendedRun;
      try {
        r = options.runQueue
          ? await options.runQueue.run(options.client ?? "local", run, extra.mcpReq.signal)
          : await run();
      } catch (err) {
        if (err instanceof BusyError || err instanceof QueuedRunAbortedError) return notStarted(err);
        throw err;
      } finally {
        stopProgress();
      }
      return "status" in r ? suspendedAnswer(r) : runResult(options.result, r);
    },
  );
  return server;
}
