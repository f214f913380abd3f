/**
 * Which MCP revision a source speaks. The SDK's client connects to servers of either revision:
 * "auto" asks the server first (`server/discover`, 2026-07-28) and falls back to the 2025-11-25
 * `initialize` handshake when the server does not offer the newer revision.
 */
import type { VersionNegotiationOptions } from "@modelcontextprotocol/client";

/** The MCP revisions the runtime speaks, newest first. */
export const PROTOCOL_REVISIONS = ["2026-07-28", "2025-11-25"] as const;

/**
 * `"auto"` (default): the newest revision both sides speak. `"2025-11-25"`: the 2025 handshake
 * only, no probe (for a server that misbehaves on `server/discover`). `"2026-07-28"`: that
 * revision or a failed connection.
 */
export type ProtocolChoice = "auto" | (typeof PROTOCOL_REVISIONS)[number];

/** The SDK client's negotiation options for a source's `protocol` setting. */
export function versionNegotiation(choice: ProtocolChoice = "auto"): VersionNegotiationOptions {
  if (choice === "auto") return { mode: "auto" };
  if (choice === "2025-11-25") return { mode: "legacy" };
  if (choice === "2026-07-28") return { mode: { pin: "2026-07-28" } };
  throw new TypeError(`protocol must be "auto", "2025-11-25" or "2026-07-28", got ${JSON.stringify(choice)}`);
}
