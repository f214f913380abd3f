/**
 * The host side of the bridge: decodes a call from the sandbox, runs it through the
 * middleware pipeline (contracts section 2) and the MCP client, records it, and encodes
 * the answer for the sandbox.
 */
import { type CanonicalArgs, canonicalizeArgs, ensureCanonicalArgs } from "../codec/canonical-call.js";
import { decode, encode } from "../codec/wire.js";
import { ErrorCodes, ToolCallError } from "../errors.js";
import { byteLength } from "../executors/guard.js";
import type { TrimmedAnswers } from "../result/trimmed-answers.js";
import { type McpSource, resultErrorText, resultValue } from "../sources/mcp-source.js";
import type { ToolCall, ToolCallMiddleware, ToolInfo, ToolResult } from "./types.js";

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
}

export function createBridge(
  ctx: BridgeContext,
): (ns: string, tool: string, encodedArgs: string) => Promise<string> {
  let position = 0;
  const final = async (call: ToolCall): Promise<ToolResult> => {
    const source = ctx.source(call.server);
    if (!source)
      throw new ToolCallError(ErrorCodes.SERVER_UNAVAILABLE, `no MCP server named "${call.server}"`, call);
    // The canonical arguments go out as they are: the request carries the value every
    // middleware saw (a replacement a middleware made is made canonical by the same rules).
    return source.callTool(call.tool, ensureCanonicalArgs(call.args), {
      meta: call.meta,
      signal: call.signal,
    });
  };
  const pipeline = composeMiddleware(ctx.middleware, final);

  return async (ns, identifier, encodedArgs) => {
    const started = performance.now();
    const pos = position++;
    const info = ctx.lookup(ns, identifier);
    const record: CallRecord = {
      position: pos,
      server: info?.server ?? ns,
      tool: info?.name ?? identifier,
      ms: 0,
      ok: false,
      bytesIn: byteLength(encodedArgs),
      bytesOut: 0,
    };
    ctx.calls.push(record);
    const fail = (code: string, message: string): never => {
      record.error = { code, message };
      record.ms = round(performance.now() - started);
      const out = encode({ code, message });
      record.bytesOut = byteLength(out);
      throw out;
    };
    if (!info) return fail(ErrorCodes.UNKNOWN_TOOL, `${ns}.${identifier} is not a tool`);
    let decoded: unknown;
    try {
      decoded = decode(encodedArgs);
    } catch (err) {
      return fail(ErrorCodes.INVALID_ARGUMENTS, `arguments could not be read: ${(err as Error).message}`);
    }
    // The one canonical call (docs/security.md, "One canonical call"): made here, once.
    let args: CanonicalArgs;
    try {
      args = canonicalizeArgs(decoded);
    } catch (err) {
      return fail(ErrorCodes.INVALID_ARGUMENTS, `${ns}.${identifier}: ${(err as Error).message}`);
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
    if (result.isError) return fail(ErrorCodes.TOOL_ERROR, resultErrorText(result));
    let out: string;
    try {
      out = encode(resultValue(result));
    } catch (err) {
      return fail(ErrorCodes.TOOL_ERROR, `the tool's answer could not be encoded: ${(err as Error).message}`);
    }
    ctx.trimmed?.note(`${info.namespace}.${info.identifier}`, result._meta, info._meta);
    record.ok = true;
    record.ms = round(performance.now() - started);
    record.bytesOut = byteLength(out);
    return out;
  };
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
