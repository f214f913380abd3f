import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LIST_CACHE_HINT } from "../server/create-pack-server.js";
import { preparePackStore } from "../store/migrate.js";
import type { Store } from "../store/types.js";
import { ledgerPack } from "../testing/fixtures/ledger-pack.js";
import { type RunningHttpServer, servePackHttp } from "./serve-http.js";
import { openSqliteStore } from "./sqlite-store.js";

// One pack endpoint, both MCP revisions: 2026-07-28 requests and 2025-11-25 clients, with the
// shared HTTP front (Host/Origin, credential, body limit) in front of both.
let store: Store;
let running: RunningHttpServer;
beforeAll(async () => {
  store = openSqliteStore();
  await preparePackStore(store, ledgerPack, { scale: 50, seed: 1 });
  running = await servePackHttp(ledgerPack, { store, port: 0, auth: { tokens: ["t0ken-for-tests"] } });
});
afterAll(async () => {
  await running.close();
});

/** A client in `mode`, recording the JSON bodies the server answered. */
async function connect(mode: "legacy" | "auto", token = "t0ken-for-tests") {
  const bodies: unknown[] = [];
  const client = new Client({ name: "t", version: "0" }, { versionNegotiation: { mode } });
  const transport = new StreamableHTTPClientTransport(new URL(running.url), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      if ((response.headers.get("content-type") ?? "").startsWith("application/json")) {
        bodies.push(await response.clone().json());
      }
      return response;
    },
  });
  await client.connect(transport);
  return { client, bodies };
}

const listResult = (bodies: unknown[]) =>
  bodies
    .map((b) => (b as { result?: { tools?: unknown; ttlMs?: unknown; cacheScope?: unknown } }).result)
    .find((r) => r?.tools !== undefined);

describe("a pack serves 2026-07-28 and 2025-11-25 from one Streamable HTTP endpoint", () => {
  it("answers both revisions; tools are listed in the pack's order every time", async () => {
    const order = ledgerPack.tools.map((t) => t.name);
    for (const [mode, version] of [
      ["auto", "2026-07-28"],
      ["legacy", "2025-11-25"],
    ] as const) {
      const { client } = await connect(mode);
      try {
        expect(client.getNegotiatedProtocolVersion()).toBe(version);
        for (let i = 0; i < 2; i++) {
          const { tools } = await client.listTools(undefined, { cacheMode: "bypass" });
          expect(tools.map((t) => t.name)).toEqual(order);
        }
        const result = await client.callTool({ name: "get_entry", arguments: { id: "E-3" } });
        expect(result.structuredContent).toMatchObject({ id: "E-3" });
      } finally {
        await client.close();
      }
    }
  });

  it("2026-07-28 lists carry cache hints (public, fixed per pack version); 2025-11-25 lists none", async () => {
    const modern = await connect("auto");
    await modern.client.listTools(undefined, { cacheMode: "bypass" });
    expect(listResult(modern.bodies)).toMatchObject({ ttlMs: LIST_CACHE_HINT.ttlMs, cacheScope: "public" });
    await modern.client.close();
    const legacy = await connect("legacy");
    await legacy.client.listTools(undefined, { cacheMode: "bypass" });
    const plain = listResult(legacy.bodies);
    expect(plain).toBeDefined();
    expect(plain).not.toHaveProperty("ttlMs");
    await legacy.client.close();
  });

  it("the HTTP front guards 2026-07-28 requests too: a wrong token is refused before the MCP layer", async () => {
    await expect(connect("auto", "wrong")).rejects.toThrow();
    await expect(connect("legacy", "wrong")).rejects.toThrow();
  });
});
