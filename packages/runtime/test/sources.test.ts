import { fileURLToPath } from "node:url";
import { Client, InMemoryTransport } from "@modelcontextprotocol/client";
import { afterAll, describe, expect, it } from "vitest";
import { createCodeMode } from "../src/code-mode.js";
import { createGatewayServer } from "../src/surfaces/gateway.js";
import { serveGatewayHttp } from "../src/surfaces/gateway-node.js";
import { serveMcpOverHttp } from "../src/surfaces/http.js";
import { makeCrmServer } from "./fixtures/servers.js";

const TSX = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));
const STDIO_SERVER = fileURLToPath(new URL("./fixtures/stdio-server.ts", import.meta.url));
const SILENT = fileURLToPath(new URL("./fixtures/silent.ts", import.meta.url));

describe("tool sources", () => {
  it("connects a stdio server, a Streamable HTTP server with host-side headers, and survives one dying", async () => {
    const http = await serveMcpOverHttp(() => makeCrmServer(), {
      auth: { tokens: ["s3cret"] },
    });
    const cm = await createCodeMode({
      sources: [
        { name: "local", command: TSX, args: [STDIO_SERVER], stderr: "ignore", connectTimeoutMs: 20_000 },
        { name: "remote", url: http.url, headers: { authorization: "Bearer s3cret" } },
        { name: "denied", url: http.url, headers: { authorization: "Bearer wrong" }, connectTimeoutMs: 5000 },
        { name: "silent", command: TSX, args: [SILENT], connectTimeoutMs: 1500, stderr: "ignore" },
      ],
    });
    try {
      const status = Object.fromEntries(cm.status().map((s) => [s.server, s]));
      expect(status.local?.status).toBe("ready");
      expect(status.remote?.status).toBe("ready");
      expect(status.denied?.status).toBe("failed");
      expect(status.denied?.error).toMatch(/http:/);
      expect(status.silent?.status).toBe("failed");
      expect(status.silent?.error).toMatch(/no answer within 1500 ms/);

      const both = await cm.execute(
        "const [a, b] = await Promise.all([local.pipeline_summary({}), remote.pipeline_summary({ stage: 'lead' })]);\nreturn [a.stages.length, b.stages[0].total];",
      );
      expect(both.result).toEqual([2, 300]);

      // The stdio server dies in the middle of a run: a clear error naming it…
      const died = await cm.execute("await local.crash({});\nreturn 'unreachable';");
      expect(died.ok).toBe(false);
      expect(died.error?.code).toBe("SERVER_UNAVAILABLE");
      expect(died.error?.message).toContain("local");
      // …while the other server keeps working, in the same run and the next.
      const after = await cm.execute(
        "let e;\ntry { await local.pipeline_summary({}); } catch (err) { e = err.code; }\nconst r = await remote.pipeline_summary({});\nreturn [e ?? 'reconnected', r.stages.length];",
      );
      expect(after.ok).toBe(true);
      expect((after.result as unknown[])[1]).toBe(2);
    } finally {
      await cm.close();
      await http.close();
    }
  }, 60_000);
});

describe("Streamable HTTP with an OAuth provider on the host", () => {
  it("sends the provider's token; the program never sees it", async () => {
    const http = await serveMcpOverHttp(() => makeCrmServer(), {
      auth: { tokens: ["host-only-token"] },
    });
    const authProvider = {
      redirectUrl: "http://127.0.0.1/callback",
      clientMetadata: { redirect_uris: ["http://127.0.0.1/callback"] },
      clientInformation: () => ({ client_id: "toolpacks-test" }),
      tokens: () => ({ access_token: "host-only-token", token_type: "Bearer" }),
      saveTokens: () => {},
      redirectToAuthorization: () => {
        throw new Error("no interactive login in tests");
      },
      saveCodeVerifier: () => {},
      codeVerifier: () => "verifier",
    };
    const cm = await createCodeMode({ sources: [{ name: "crm", url: http.url, authProvider }] });
    try {
      expect(cm.status()[0]?.status).toBe("ready");
      const r = await cm.execute(
        "const s = await crm.pipeline_summary({});\nreturn [s.stages.length, typeof globalThis.authProvider];",
      );
      expect(r.result).toEqual([2, "undefined"]);
      expect(JSON.stringify(r)).not.toContain("host-only-token");
    } finally {
      await cm.close();
      await http.close();
    }
  });
});

describe("code-mode gateway", async () => {
  const cm = await createCodeMode({ sources: [{ name: "crm", server: makeCrmServer() }] });
  afterAll(() => cm.close());

  it("exposes search and execute over MCP (in memory)", async () => {
    const [a, b] = InMemoryTransport.createLinkedPair();
    await createGatewayServer(cm).connect(b);
    const client = new Client({ name: "t", version: "1" });
    await client.connect(a);
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name).sort()).toEqual(["execute", "search"]);
    expect(tools.tools.find((t) => t.name === "execute")?.description).toContain("declare const crm");
    const found = await client.callTool({ name: "search", arguments: { query: "pipeline stage" } });
    expect((found.content as Array<{ text: string }>)[0]?.text).toContain("crm.pipeline_summary(");
    const run = await client.callTool({
      name: "execute",
      arguments: { code: "return BigInt((await crm.pipeline_summary({})).stages.length) * 10n" },
    });
    const body = JSON.parse((run.content as Array<{ text: string }>)[0]?.text ?? "{}");
    expect(body).toMatchObject({ ok: true, result: 20 });
    const bad = await client.callTool({ name: "execute", arguments: { code: "throw new Error('nope')" } });
    expect(bad.isError).toBe(true);
    await client.close();
  });

  it("serves the gateway over Streamable HTTP", async () => {
    const serving = await serveGatewayHttp(cm, { port: 0 });
    try {
      const cm2 = await createCodeMode({ sources: [{ name: "gw", url: serving.url }] });
      const r = await cm2.execute("const out = await gw.execute({ code: 'return 6 * 7' });\nreturn out;");
      expect(r.ok).toBe(true);
      expect(r.result).toMatchObject({ ok: true, result: 42 });
      await cm2.close();
    } finally {
      await serving.close();
    }
  });
});
