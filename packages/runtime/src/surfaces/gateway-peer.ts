/**
 * The client session an `execute` request came from, as the run's `ClientPeer`: a source's
 * roots / elicitation / sampling request during the run goes back to this session, over the
 * `execute` request it belongs to (so over Streamable HTTP it rides that request's own stream).
 */
import type { McpServer, ServerContext } from "@modelcontextprotocol/server";
import type { ClientPeer, ForwardedCapabilities } from "../sources/client-peer.js";

/**
 * The peer of a 2025-11-25 session (`sessionId` names the session: one per gateway server
 * instance), or undefined when the session cannot be sent requests (a 2026-07-28 client, whose
 * server-to-client input rides `input_required` results; a stateless HTTP exchange).
 */
export function sessionPeer(
  server: McpServer,
  extra: ServerContext,
  sessionId: string,
): ClientPeer | undefined {
  const declared = server.server.getClientCapabilities();
  if (!declared) return undefined;
  const capabilities: ForwardedCapabilities = {};
  for (const key of ["roots", "elicitation", "sampling"] as const) {
    const value = declared[key];
    if (value !== undefined) capabilities[key] = value as Record<string, unknown>;
  }
  return {
    id: sessionId,
    capabilities,
    // Related to the `execute` request (`mcpReq.send`), so over Streamable HTTP each request rides
    // that request's own SSE stream, to this session's client only.
    request(method, params, signal) {
      return extra.mcpReq.send({ method, params }, { signal });
    },
  };
}
