import { fileURLToPath } from "node:url";
import { createMcpHandler } from "@modelcontextprotocol/server";
import { describe, expect, it } from "vitest";
import { makeCrmServer } from "../../test/fixtures/servers.js";
import { serveMcpOverHttp } from "../surfaces/http.js";
import { McpSource } from "./mcp-source.js";
import type { SourceConfig } from "./types.js";
import { versionNegotiation } from "./version-negotiation.js";

const TSX = fileURLToPath(new URL("../../../../node_modules/.bin/tsx", import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`../../test/fixtures/${name}`, import.meta.url));

/** A server speaking both revisions from one endpoint (2026-07-28 stateless, 2025-11-25 per request). */
function bothRevisions(): { url: string; fetch: typeof fetch } {
  const handler = createMcpHandler(() => makeCrmServer());
  return {
    url: "http://both.test/mcp",
    fetch: (input, init) => handler.fetch(new Request(input, init)),
  };
}

/**
 * A server that speaks only 2025-11-25, as servers built before 2026-07-28 do: a request of the
 * new revision (its header, or `server/discover`) is refused as an unsupported version. (The
 * gateway's own HTTP serving answers both revisions, so it wraps that and refuses the new one.)
 */
async function legacyOnlyServer(): Promise<{ url: string; fetch: typeof fetch; close(): Promise<void> }> {
  const serving = await serveMcpOverHttp(() => makeCrmServer());
  return {
    url: serving.url,
    close: () => serving.close(),
    fetch: async (input, init) => {
      const request = new Request(input, init);
      const body = request.method === "POST" ? await request.clone().text() : "";
      const id = (() => {
        try {
          return (JSON.parse(body) as { id?: unknown }).id ?? null;
        } catch {
          return null;
        }
      })();
      if (
        request.headers.get("mcp-protocol-version") === "2026-07-28" ||
        body.includes('"server/discover"')
      ) {
        return Response.json(
          {
            jsonrpc: "2.0",
            id,
            error: { code: -32600, message: "Unsupported protocol version (supported: 2025-11-25)" },
          },
          { status: 400 },
        );
      }
      return fetch(request);
    },
  };
}

/** Connects, calls one tool, and reports the revision spoken. */
async function speak(config: SourceConfig): Promise<{ version?: string; status: string; error?: string }> {
  const source = new McpSource({ connectTimeoutMs: 30_000, ...config });
  try {
    await source.connect();
    if (source.status !== "ready") return { status: source.status, error: source.error };
    const result = await source.callTool("pipeline_summary", { stage: "won" });
    expect(result.structuredContent).toEqual({ stages: [{ stage: "won", total: 2000, count: 2 }] });
    return { version: source.protocolVersion, status: source.status };
  } finally {
    await source.close();
  }
}

describe("the client speaks the newest revision it shares with each server", () => {
  it("Streamable HTTP: 2026-07-28 with a server that offers it, 2025-11-25 with one that does not", async () => {
    expect(await speak({ name: "both", ...bothRevisions() })).toEqual({
      version: "2026-07-28",
      status: "ready",
    });
    const legacyOnly = await legacyOnlyServer();
    try {
      expect(await speak({ name: "old", url: legacyOnly.url, fetch: legacyOnly.fetch })).toEqual({
        version: "2025-11-25",
        status: "ready",
      });
    } finally {
      await legacyOnly.close();
    }
  });

  it("stdio: 2026-07-28 with serveStdio, 2025-11-25 with a server connected the 2025 way", async () => {
    const stdio = (file: string) => ({ command: TSX, args: [fixture(file)], stderr: "ignore" as const });
    const [modern, legacy] = await Promise.all([
      speak({ name: "modern", ...stdio("modern-stdio-server.ts") }),
      speak({ name: "legacy", ...stdio("stdio-server.ts") }),
    ]);
    expect(modern).toEqual({ version: "2026-07-28", status: "ready" });
    expect(legacy).toEqual({ version: "2025-11-25", status: "ready" });
  }, 60_000);

  it("stdio: a server that exits on the revision question is started again and spoken to the 2025 way", async () => {
    const result = await speak({
      name: "rmcp-like",
      command: TSX,
      args: [fixture("exits-on-discover.ts")],
      stderr: "ignore",
    });
    expect(result).toEqual({ version: "2025-11-25", status: "ready" });
  }, 60_000);

  it("in process: the 2025-11-25 handshake (the SDK has no in-memory entry for 2026-07-28)", async () => {
    expect(await speak({ name: "inproc", server: () => makeCrmServer() })).toEqual({
      version: "2025-11-25",
      status: "ready",
    });
  });

  it("a pinned revision: 2025-11-25 skips the question, 2026-07-28 fails against a 2025-only server", async () => {
    expect(await speak({ name: "both", protocol: "2025-11-25", ...bothRevisions() })).toEqual({
      version: "2025-11-25",
      status: "ready",
    });
    const legacyOnly = await legacyOnlyServer();
    try {
      const pinned = await speak({
        name: "old",
        url: legacyOnly.url,
        fetch: legacyOnly.fetch,
        protocol: "2026-07-28",
      });
      expect(pinned.status).toBe("failed");
      expect(pinned.error).toMatch(/2026-07-28/);
    } finally {
      await legacyOnly.close();
    }
  });

  it("refuses an unknown protocol setting with a message naming the choices", () => {
    expect(() => versionNegotiation("2024-11-05" as never)).toThrow(/"auto", "2025-11-25" or "2026-07-28"/);
  });
});
