import { request as httpRequest } from "node:http";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { VerifiedToken } from "../http/auth.js";
import { preparePackStore } from "../store/migrate.js";
import type { Store } from "../store/types.js";
import { ledgerPack } from "../testing/fixtures/ledger-pack.js";
import { type RunningHttpServer, servePackHttp } from "./serve-http.js";
import { openSqliteStore } from "./sqlite-store.js";

let store: Store;
let running: RunningHttpServer | undefined;
beforeAll(async () => {
  store = openSqliteStore();
  await preparePackStore(store, ledgerPack, { scale: 50, seed: 1 });
});
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const initialize = (url: string, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...headers,
    },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "0" } },
    }),
  });

// fetch() will not send a forged Host header; node:http will, like a rebinding browser does.
const statusWithHost = (url: string, host: string) =>
  new Promise<number>((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: "POST", headers: { host, "content-type": "application/json" } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("error", reject);
    req.end("{}");
  });

describe("servePackHttp on 127.0.0.1", () => {
  it("serves the pack to an MCP client over Streamable HTTP", async () => {
    running = await servePackHttp(ledgerPack, { store, port: 0 });
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const client = new Client({ name: "t", version: "0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(running.url)));
    const { tools } = await client.listTools();
    expect(tools).toHaveLength(4);
    const result = await client.callTool({ name: "get_entry", arguments: { id: "E-1" } });
    expect(result.structuredContent).toMatchObject({ id: "E-1" });
    await client.close();
  });

  it("refuses a rebinding page's Host and Origin with 403 and accepts localhost", async () => {
    running = await servePackHttp(ledgerPack, { store, port: 0 });
    const evil = await initialize(running.url, {
      host: "evil.example.com",
      origin: "http://evil.example.com",
    });
    expect(evil.status).toBe(403);
    expect(await statusWithHost(running.url, "evil.example.com")).toBe(403);
    expect(await statusWithHost(running.url, `evil.example.com:${running.port}`)).toBe(403);
    const evilOrigin = await initialize(running.url, { origin: "http://evil.example.com" });
    expect(evilOrigin.status).toBe(403);
    const local = await initialize(running.url, {
      host: `localhost:${running.port}`,
      origin: `http://localhost:${running.port}`,
    });
    expect(local.status).toBe(200);
  });

  it("answers GET with 405 and other paths with 404", async () => {
    running = await servePackHttp(ledgerPack, { store, port: 0 });
    expect((await fetch(running.url)).status).toBe(405);
    expect((await fetch(running.url.replace("/mcp", "/other"))).status).toBe(404);
  });
});

describe("credentials", () => {
  it("refuses to bind beyond loopback without a credential", async () => {
    await expect(servePackHttp(ledgerPack, { store, port: 0, host: "0.0.0.0" })).rejects.toMatchObject({
      code: "credential_required",
    });
  });

  it("requires the bearer token and says so in WWW-Authenticate, leaking nothing", async () => {
    running = await servePackHttp(ledgerPack, { store, port: 0, auth: { tokens: ["s3cret-token"] } });
    const missing = await initialize(running.url);
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="toolpacks"');
    const wrong = await initialize(running.url, { authorization: "Bearer nope" });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toMatch(/error="invalid_token"/);
    expect(await wrong.text()).not.toMatch(/sqlite|entries|ledger|SELECT/i);
    expect((await initialize(running.url, { authorization: "Bearer s3cret-token" })).status).toBe(200);
  });

  it("serves behind a token on 0.0.0.0", async () => {
    running = await servePackHttp(ledgerPack, { store, port: 0, host: "0.0.0.0", auth: { tokens: ["t0k"] } });
    const url = `http://127.0.0.1:${running.port}/mcp`;
    expect((await initialize(url)).status).toBe(401);
    expect((await initialize(url, { authorization: "Bearer t0k" })).status).toBe(200);
  });
});

describe("OAuth 2.1 resource server", () => {
  const tokens: Record<string, VerifiedToken> = {
    good: { subject: "ana", audience: "https://ledger.example.com/mcp", scopes: ["ledger:read"] },
    other: { subject: "ana", audience: "https://billing.example.com/mcp", scopes: ["ledger:read"] },
    expired: { subject: "ana", audience: "https://ledger.example.com/mcp", scopes: [], expiresAt: 1000 },
  };
  const oauth = {
    resource: "https://ledger.example.com/mcp",
    authorizationServers: ["https://auth.example.com"],
    scopesSupported: ["ledger:read", "ledger:write"],
    verifyToken: async (token: string) => tokens[token],
  };

  it("publishes protected-resource metadata and points 401s at it", async () => {
    running = await servePackHttp(ledgerPack, { store, port: 0, auth: { oauth } });
    const base = running.url.replace("/mcp", "");
    const metadata = await (await fetch(`${base}/.well-known/oauth-protected-resource/mcp`)).json();
    expect(metadata).toMatchObject({
      resource: "https://ledger.example.com/mcp",
      authorization_servers: ["https://auth.example.com"],
      scopes_supported: ["ledger:read", "ledger:write"],
    });
    const missing = await initialize(running.url);
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe(
      'Bearer resource_metadata="https://ledger.example.com/.well-known/oauth-protected-resource/mcp"',
    );
  });

  it("refuses a tool call whose scope the token lacks with 403 insufficient_scope", async () => {
    running = await servePackHttp(ledgerPack, { store, port: 0, auth: { oauth } });
    const call = (name: string, args: Record<string, unknown>) =>
      fetch(running!.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          authorization: "Bearer good",
        },
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 2,
          method: "tools/call",
          params: { name, arguments: args },
        }),
      });
    const write = await call("record_entry", {
      category: "office",
      amount_cents: 1,
      booked_on: "2025-01-01",
      memo: "m",
    });
    expect(write.status).toBe(403);
    expect(write.headers.get("www-authenticate")).toMatch(
      /^Bearer error="insufficient_scope", scope="ledger:write", /,
    );
    const read = await call("get_entry", { id: "E-1" });
    expect(read.status).toBe(200);
    expect(
      ((await read.json()) as { result: { structuredContent: unknown } }).result.structuredContent,
    ).toMatchObject({
      id: "E-1",
    });
  });

  it("accepts a token for this resource and refuses other audiences, expired and unknown tokens", async () => {
    running = await servePackHttp(ledgerPack, { store, port: 0, auth: { oauth } });
    expect((await initialize(running.url, { authorization: "Bearer good" })).status).toBe(200);
    for (const token of ["other", "expired", "unknown"]) {
      const refused = await initialize(running.url, { authorization: `Bearer ${token}` });
      expect(refused.status).toBe(401);
      expect(refused.headers.get("www-authenticate")).toMatch(
        /^Bearer error="invalid_token", error_description="[^"]+", resource_metadata="/,
      );
    }
  });
});
