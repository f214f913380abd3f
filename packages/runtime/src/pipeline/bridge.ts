/**
 * The host side of the bridge: decodes a call from the sandbox, runs it through the
 * middleware pipeline (contracts section 2) and the MCP client, records it, and encodes
 * the answer for the sandbox.
 */
import { type CanonicalArgs, canonicalizeArgs, ensureCanonicalArgs } from "../codec/canonical-call.js";
import { decode, encode } from "../codec/wire.js";
import { ErrorCodes, ToolCallError } from "../errors.js";
import { byteLength } from "../executors/guard.js";
import { sha256Hex } from "../governance/idempotency/digest.js";
import type { TrimmedAnswers } from "../result/trimmed-answers.js";
import { auditedPeer, type ClientPeer, type ForwardAudit } from "../sources/client-peer.js";
import { type McpSource, resultErrorCode, resultErrorText, resultValue } from "../sources/mcp-source.js";
import type { RefusedCall, ToolCall, ToolCallMiddleware, ToolInfo, ToolResult } from "./types.js";

export interface CallRecord {
  /** 0-based order in which the program issued the call. */
  position: number;
  server: string;
  tool: string;
  ms: number;
  ok: boolean;
  /** Bytes of the arguments as sent from the sandbox. */
  bytesIn: number;
  /** Bytes of the answer sent back to the sandbox. */
  bytesOut: number;
  error?: { code: string; message: string };
}

export function composeMiddleware(
  middleware: ToolCallMiddleware[],
  final: (call: ToolCall) => Promise<ToolResult>,
): (call: ToolCall) => Promise<ToolResult> {
  return middleware.reduceRight<(call: ToolCall) => Promise<ToolResult>>(
    (next, mw) => (call) => mw(call, next),
    final,
  );
}

export interface BridgeContext {
  runId: string;
  meta: Record<string, unknown>;
  signal: AbortSignal;
  lookup(namespace: string, identifier: string): ToolInfo | undefined;
  source(server: string): McpSource | undefined;
  middleware: ToolCallMiddleware[];
  calls: CallRecord[];
  /** Collects answers a pack's budget guard cut, for the run's warnings. */
  trimmed?: TrimmedAnswers;
  /** The client this run answers to (its sources' roots / elicitation / sampling requests go there). */
  peer?: ClientPeer;
}

/** The bridge: a call from the sandbox in, its encoded answer (or encoded error) out. */
export interface Bridge {
  (ns: string, tool: string, encodedArgs: string): Promise<string>;
  /**
   * A call the executor refused for its arguments (`SandboxRequest.onRefusedCall`): recorded in
   * the run's calls and passed to each middleware's `refused` hook, like the bridge's own refusals.
   */
  refused(ns: string, tool: string, refusal: { code: string; message: string }, args: string | number): void;
  /** Settles once every middleware has been told of every refusal so far (the run awaits it before it ends). */
  settled(): Promise<void>;
}

export function createBridge(ctx: BridgeContext): Bridge {
  let position = 0;
  const telling: Array<Promise<void>> = [];
  const hooks = ctx.middleware.filter((mw) => typeof mw.refused === "function");
  /** Tells each middleware's `refused` hook; the digest is taken here, so no hook holds the payload. */
  const tell = (record: CallRecord, info: ToolInfo | undefined, args: string | number) => {
    if (!info || hooks.length === 0) return;
    const { code, message } = record.error as { code: string; message: string };
    const refusal = (async () => {
      const call: RefusedCall = {
        runId: ctx.runId,
        position: record.position,
        server: info.server,
        tool: info.name,
        tool_info: info,
        code,
        message,
        argsBytes: typeof args === "number" ? args : byteLength(args),
        meta: { ...ctx.meta },
        signal: ctx.signal,
      };
      // Arguments over the cap are never hashed: reading them is what the cap avoids.
      if (typeof args === "string" && code !== ErrorCodes.ARGUMENTS_TOO_LARGE)
        call.argsDigest = await sha256Hex(args);
      for (const mw of hooks) {
        try {
          await mw.refused?.(call);
        } catch {
          // The call is refused whatever a hook does; a failing audit reports itself.
        }
      }
    })();
    telling.push(refusal);
  };
  const record = (
    ns: string,
    identifier: string,
    info: ToolInfo | undefined,
    bytesIn: number,
  ): CallRecord => {
    const r: CallRecord = {
      position: position++,
      server: info?.server ?? ns,
      tool: info?.name ?? identifier,
      ms: 0,
      ok: false,
      bytesIn,
      bytesOut: 0,
    };
    ctx.calls.push(r);
    return r;
  };
  const final = async (call: ToolCall): Promise<ToolResult> => {
    const source = ctx.source(call.server);
    if (!source)
      throw new ToolCallError(ErrorCodes.SERVER_UNAVAILABLE, `no MCP server named "${call.server}"`, call);
    // The canonical arguments go out as they are: the request carries the value every
    // middleware saw (a replacement a middleware made is made canonical by the same rules).
    return source.callTool(call.tool, ensureCanonicalArgs(call.args), {
      meta: call.meta,
      signal: call.signal,
      peer: auditedPeer(ctx.peer, forwardAudit(call), call.server, call.tool),
    });
  };
  const forwarders = ctx.middleware.filter((mw) => typeof mw.forwarded === "function");
  /** Each middleware's `forwarded` hook for the requests `call`'s server makes of the run's client. */
  const forwardAudit = (call: ToolCall): ForwardAudit | undefined =>
    forwarders.length === 0
      ? undefined
      : async (request) => {
          const outcomes: Array<(outcome: { ok: boolean; error?: string }) => Promise<void> | void> = [];
          for (const mw of forwarders) {
            const told = await mw.forwarded?.(call, request);
            if (told) outcomes.push(told);
          }
          return async (outcome) => {
            for (const told of outcomes) await told(outcome);
          };
        };
  const pipeline = composeMiddleware(ctx.middleware, final);

  const call = async (ns: string, identifier: string, encodedArgs: string): Promise<string> => {
    const started = performance.now();
    const info = ctx.lookup(ns, identifier);
    const callRecord = record(ns, identifier, info, byteLength(encodedArgs));
    const pos = callRecord.position;
    const fail = (code: string, message: string): never => {
      callRecord.error = { code, message };
      callRecord.ms = round(performance.now() - started);
      const out = encode({ code, message });
      callRecord.bytesOut = byteLength(out);
      throw out;
    };
    /** A refusal before the pipeline: audited through the middleware's `refused` hooks. */
    const refuse = (code: string, message: string): never => {
      callRecord.error = { code, message };
      tell(callRecord, info, encodedArgs);
      return fail(code, message);
    };
    if (!info) return fail(ErrorCodes.UNKNOWN_TOOL, `${ns}.${identifier} is not a tool`);
    let decoded: unknown;
    try {
      decoded = decode(encodedArgs);
    } catch (err) {
      return refuse(ErrorCodes.INVALID_ARGUMENTS, `arguments could not be read: ${(err as Error).message}`);
    }
    // The one canonical call (docs/security.md, "One canonical call"): made here, once.
    let args: CanonicalArgs;
    try {
      args = canonicalizeArgs(decoded);
    } catch (err) {
      return refuse(ErrorCodes.INVALID_ARGUMENTS, `${ns}.${identifier}: ${(err as Error).message}`);
    }
    let result: ToolResult;
    try {
      result = await pipeline({
        runId: ctx.runId,
        position: pos,
        server: info.server,
        tool: info.name,
        args,
        tool_info: info,
        meta: { ...ctx.meta },
        signal: ctx.signal,
      });
    } catch (err) {
      const code =
        typeof (err as { code?: unknown })?.code === "string"
          ? (err as { code: string }).code
          : ErrorCodes.TOOL_ERROR;
      return fail(code, err instanceof Error ? err.message : String(err));
    }
    if (result.isError) return fail(resultErrorCode(result), resultErrorText(result));
    let out: string;
    try {
      out = encode(resultValue(result));
    } catch (err) {
      return fail(ErrorCodes.TOOL_ERROR, `the tool's answer could not be encoded: ${(err as Error).message}`);
    }
    ctx.trimmed?.note(`${info.namespace}.${info.identifier}`, result._meta, info._meta);
    callRecord.ok = true;
    callRecord.ms = round(performance.now() - started);
    callRecord.bytesOut = byteLength(out);
    return out;
  };
  return Object.assign(call, {
    refused(
      ns: string,
      identifier: string,
      refusal: { code: string; message: string },
      args: string | number,
    ) {
      const info = ctx.lookup(ns, identifier);
      const r = record(ns, identifier, info, typeof args === "number" ? args : byteLength(args));
      r.error = { code: refusal.code, message: refusal.message };
      r.bytesOut = byteLength(encode(refusal));
      tell(r, info, args);
    },
    async settled() {
      while (telling.length) await Promise.all(telling.splice(0));
    },
  });
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
