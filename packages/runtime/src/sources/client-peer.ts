/**
 * The client a run answers to, as seen by the MCP servers it calls: a source server that asks for
 * roots, elicitation or sampling during a tool call is answered by the client session that started
 * the run (the gateway's own client), never by another one, and refused with a typed error when
 * the run has no such client or that client did not declare the capability.
 */

/** The server-to-client requests a source may make during a tool call, and the capability each needs. */
export const FORWARDED_METHODS = {
  "roots/list": "roots",
  "elicitation/create": "elicitation",
  "sampling/createMessage": "sampling",
} as const;

export type ForwardedMethod = keyof typeof FORWARDED_METHODS;
export type ForwardedCapability = (typeof FORWARDED_METHODS)[ForwardedMethod];

/** The capabilities a source may be told the run's client has (a subset of MCP `ClientCapabilities`). */
export type ForwardedCapabilities = Partial<Record<ForwardedCapability, Record<string, unknown>>>;

/**
 * The client session a run answers to. The gateway makes one per `execute` request from the
 * session that sent it; library and CLI runs have none.
 */
export interface ClientPeer {
  /**
   * Names the client session. Calls of runs with different ids never share a server-to-client
   * request: on a 2025-11-25 connection, which cannot tell which call a request belongs to, calls
   * from different sessions do not overlap.
   */
  readonly id: string;
  /** What the client declared (only `roots`, `elicitation` and `sampling` matter here). */
  readonly capabilities: ForwardedCapabilities;
  /** Sends the request to the client and resolves with its result. */
  request(method: ForwardedMethod, params: Record<string, unknown>, signal: AbortSignal): Promise<unknown>;
}

/** Why a source's request to the run's client was refused. */
export type ForwardRefusalCode =
  | "NO_CLIENT"
  | "CLIENT_LACKS_CAPABILITY"
  | "AUDIT_UNAVAILABLE"
  /** The request is larger than the gateway forwards to a 2026-07-28 client (nothing was sent). */
  | "REQUEST_TOO_LARGE"
  /** The client's answer was larger than the gateway accepts (dropped, not passed to the server). */
  | "ANSWER_TOO_LARGE"
  /** The client's answer was missing or not the method's result (dropped, not passed to the server). */
  | "ANSWER_INVALID";

/**
 * A source's server-to-client request that was not forwarded. The source server gets it as a
 * JSON-RPC error; when its tool call then fails, the program gets `CLIENT_CAPABILITY_UNAVAILABLE`
 * (`CLIENT_ANSWER_INVALID` when the client's answer was refused).
 */
export class ForwardRefusedError extends Error {
  override readonly name = "ForwardRefusedError";
  constructor(
    readonly code: ForwardRefusalCode,
    readonly method: ForwardedMethod,
    message: string,
  ) {
    super(message);
  }
}

/** One server-to-client request, as governance's audit sees it (`ToolCallMiddleware.forwarded`). */
export interface ForwardedRequest {
  method: ForwardedMethod;
  params: Record<string, unknown>;
  /** Set when the request is refused (nothing reached any client). */
  refusal?: ForwardRefusedError;
}

/**
 * What a hook answers for a forwarded request before it goes out: resolve to let it through (the
 * returned function is told the outcome), or throw to refuse it (fail closed: nothing is sent).
 */
export type ForwardAudit = (
  request: ForwardedRequest,
) => Promise<((outcome: { ok: boolean; error?: string }) => Promise<void>) | undefined>;

/** The refusal of `method` for a run whose peer is `peer` (undefined when it may go out). */
export function refusalFor(
  peer: ClientPeer | undefined,
  method: ForwardedMethod,
  server: string,
  tool: string,
): ForwardRefusedError | undefined {
  const capability = FORWARDED_METHODS[method];
  if (!peer) {
    return new ForwardRefusedError(
      "NO_CLIENT",
      method,
      `MCP server "${server}" asked for ${capability} (${method}) during ${tool}, but this run has no MCP client to ask: it was started from the library or the CLI, not through the gateway by a client session. Nothing was sent to any client.`,
    );
  }
  if (peer.capabilities[capability] === undefined) {
    return new ForwardRefusedError(
      "CLIENT_LACKS_CAPABILITY",
      method,
      `MCP server "${server}" asked for ${capability} (${method}) during ${tool}, but the MCP client that started this run did not declare the ${capability} capability, so it cannot be asked. Nothing was sent to it.`,
    );
  }
  return undefined;
}

/**
 * The peer a call's source forwards through: refuses what `peer` cannot answer, and tells `audit`
 * of every request (allowed or refused) before anything is sent. An audit that fails refuses the
 * request (`AUDIT_UNAVAILABLE`).
 */
export function auditedPeer(
  peer: ClientPeer | undefined,
  audit: ForwardAudit | undefined,
  server: string,
  tool: string,
): {
  id: string;
  capabilities: ForwardedCapabilities;
  forward(method: ForwardedMethod, params: Record<string, unknown>, signal: AbortSignal): Promise<unknown>;
} {
  return {
    id: peer?.id ?? "",
    capabilities: peer?.capabilities ?? {},
    async forward(method, params, signal) {
      const refusal = refusalFor(peer, method, server, tool);
      let done: Awaited<ReturnType<ForwardAudit>>;
      try {
        done = await audit?.({ method, params, ...(refusal ? { refusal } : {}) });
      } catch (err) {
        if (refusal) throw refusal;
        throw new ForwardRefusedError(
          "AUDIT_UNAVAILABLE",
          method,
          `MCP server "${server}" asked for ${FORWARDED_METHODS[method]} (${method}) during ${tool}, but the request could not be written to the audit trail first (${(err as Error)?.message ?? String(err)}), so it was not sent to the client.`,
        );
      }
      if (refusal || !peer) throw refusal;
      try {
        const result = await peer.request(method, params, signal);
        await done?.({ ok: true });
        return result;
      } catch (err) {
        await done?.({ ok: false, error: (err as Error)?.message ?? String(err) });
        throw err;
      }
    },
  };
}

/** The forwarding a call carries to its source (`CallOptions.peer`). */
export type CallPeer = ReturnType<typeof auditedPeer>;
