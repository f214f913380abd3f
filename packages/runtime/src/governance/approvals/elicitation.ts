import type { ApprovalAnswer, ApprovalRequest, Approver } from "./approver.js";
import { describeRequest } from "./describe.js";

/** The part of an MCP SDK `Server` (`mcpServer.server`) the approver uses. */
export interface ElicitingServer {
  elicitInput(
    params: {
      mode?: "form";
      message: string;
      requestedSchema: {
        type: "object";
        properties: Record<string, { type: "boolean"; title?: string; description?: string }>;
        required?: string[];
      };
    },
    options?: { signal?: AbortSignal },
  ): Promise<{ action: "accept" | "decline" | "cancel"; content?: Record<string, unknown> }>;
}

/**
 * An approver that asks the connected MCP client's user through form elicitation (the gateway
 * case). Approved only when the user accepts with `approve: true`; decline, cancel, a client
 * without elicitation support or any error is a rejection.
 */
export function elicitationApprover(server: ElicitingServer): Approver {
  return async (request: ApprovalRequest): Promise<ApprovalAnswer> => {
    const result = await server.elicitInput(
      {
        mode: "form",
        message: describeRequest(request),
        requestedSchema: {
          type: "object",
          properties: { approve: { type: "boolean", title: "Approve this call", description: request.name } },
          required: ["approve"],
        },
      },
      { signal: request.signal },
    );
    if (result.action !== "accept") return { approved: false, reason: `the user chose ${result.action}` };
    return result.content?.approve === true
      ? { approved: true, reason: "approved through elicitation" }
      : { approved: false, reason: "the user did not approve" };
  };
}
