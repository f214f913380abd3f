import { fileURLToPath } from "node:url";
import { Client, InMemoryTransport } from "@modelcontextprotocol/client";
import { afterEach, describe, expect, it } from "vitest";
import { startRawHttp } from "../../test/fixtures/raw-server.mjs";
import { type CodeMode, createCodeMode } from "../code-mode.js";
import { createGatewayServer } from "../surfaces/gateway.js";
import type { SourceConfig } from "./types.js";

// What real servers do that the packs never do, scripted in test/fixtures/raw-server.mjs (plain
// JSON-RPC, so these test the runtime's client, whatever SDK it uses).
const RAW = fileURLToPath(new URL("../../test/fixtures/raw-server.mjs", import.meta.url));
const stdio = (extra: Partial<SourceConfig> = {}): SourceConfig =>
  ({ name: "raw", command: process.execPath, args: [RAW], stderr: "ignore", ...extra }) as SourceConfig;

let cm: CodeMode | undefined;
afterEach(async () => {
  await cm?.close();
  cm = undefined;
});

async function open(...sources: SourceConfig[]) {
  cm = await createCodeMode({ sources });
  return cm;
}

describe("answers of real servers", () => {
  it("keeps text that only looks like a number as the text the server sent", async () => {
    const c = await open(stdio());
    const r = await c.execute(`
      const texts = ["12345678901234567890", "1.10", "007", '{"id": 12345678901234567890}'];
      const out = [];
      for (const text of texts) out.push(await raw.echo_text({ text }));
      out.push(await raw.echo_text({ text: '{"n": 1.5, "ok": true}' }), await raw.echo_text({ text: "42" }));
      return out;`);
    expect(r.error).toBeUndefined();
    expect(r.result).toEqual([
      "12345678901234567890",
      "1.10",
      "007",
      '{"id": 12345678901234567890}',
      { n: 1.5, ok: true },
      42,
    ]);
  });

  it("reports a server's -32602 as INVALID_ARGUMENTS with the server's message", async () => {
    const c = await open(stdio());
    const r = await c.execute(`
      try { await raw.strict({ n: "x" }); } catch (e) { return { code: e.code, message: e.message }; }`);
    expect(r.result).toMatchObject({ code: "INVALID_ARGUMENTS" });
    expect((r.result as { message: string }).message).toContain("Invalid params: n must be a number");
    const asResult = await c.execute(`
      try { await raw.strict({ as: "result" }); } catch (e) { return { code: e.code, message: e.message }; }`);
    expect(asResult.result).toMatchObject({ code: "INVALID_ARGUMENTS" });
    expect((asResult.result as { message: string }).message).toContain(
      "Input validation error: n must be a number",
    );
  });
});

describe("a Streamable HTTP server that restarts", () => {
  it("opens a new session on 404 and retries the call once", async () => {
    const http = await startRawHttp();
    try {
      const c = await open({ name: "raw", url: http.url });
      const first = await c.execute("return await raw.echo_text({ text: 'one' });");
      expect(first.result).toBe("one");
      http.restart();
      const second = await c.execute("return await raw.echo_text({ text: 'two' });");
      expect(second.error).toBeUndefined();
      expect(second.result).toBe("two");
      expect(http.state.inits).toBe(2);
    } finally {
      await http.close();
    }
  });
});

describe("a Streamable HTTP server that dies mid-call", () => {
  it("is SERVER_UNAVAILABLE at once, not a TOOL_TIMEOUT after the call limit", async () => {
    const http = await startRawHttp();
    try {
      // A call limit longer than the test's own timeout: only an immediate failure passes.
      const c = await open({ name: "raw", url: http.url, callTimeoutMs: 600_000 });
      const r = await c.execute("return await raw.die();");
      expect(r.error?.code).toBe("SERVER_UNAVAILABLE");
    } finally {
      await http.close();
    }
  });
});

describe("tools a server runs only as tasks", () => {
  it("are left out of the declarations with a note, never declared and then failing", async () => {
    const c = await open(stdio());
    const decl = c.declarations();
    expect(decl).not.toMatch(/^\s+task_only\(/m);
    expect(decl).toContain(
      "// raw: left out, they run only as MCP tasks, which code mode does not run: task_only",
    );
    expect(c.tools().map((t) => t.name)).not.toContain("task_only");
    expect(c.search("task")).toEqual(
      expect.not.arrayContaining([expect.objectContaining({ tool: "task_only" })]),
    );
    const r = await c.execute("return await raw.task_only();");
    expect(r.error?.code).toBe("UNKNOWN_TOOL");
  });
});

describe("a stdio server's stderr explains its failures", () => {
  it("names what the server said when it fails to start", async () => {
    const c = await open(stdio({ env: { RAW_FAIL_AT_START: "Stripe API key not provided" } } as never));
    const status = c.status()[0];
    expect(status?.status).toBe("failed");
    expect(status?.error).toContain("Stripe API key not provided");
    const r = await c.execute("return await raw.whoami();");
    expect(r.error?.code).toBe("SERVER_UNAVAILABLE");
    expect(r.error?.message).toContain("Stripe API key not provided");
  });

  it("names what the server said when it dies mid-call", async () => {
    const c = await open(stdio());
    const r = await c.execute("return await raw.die();");
    expect(r.error?.code).toBe("SERVER_UNAVAILABLE");
    expect(r.error?.message).toContain("raw-server: dying as asked");
  });
});

describe("the gateway passes media on as content blocks", () => {
  it("sends tool images and audio as MCP image/audio blocks, not base64 inside the JSON text", async () => {
    const c = await open(stdio());
    const [a, b] = InMemoryTransport.createLinkedPair();
    await createGatewayServer(c).connect(b);
    const client = new Client({ name: "t", version: "0" });
    await client.connect(a);
    const out = (await client.callTool({
      name: "execute",
      arguments: { code: "return await raw.media();" },
    })) as {
      content: Array<{ type: string; text?: string; data?: string; mimeType?: string }>;
    };
    expect(out.content.map((b) => b.type)).toEqual(["text", "image", "audio"]);
    expect(out.content[1]).toMatchObject({ mimeType: "image/png", data: expect.stringMatching(/^iVBOR/) });
    expect(out.content[2]).toMatchObject({ mimeType: "audio/wav", data: "UklGRiQAAABXQVZF" });
    const json = JSON.parse(out.content[0]?.text ?? "");
    expect(json.result).toEqual([
      { type: "image", mimeType: "image/png", attached: 1 },
      { type: "audio", mimeType: "audio/wav", attached: 2 },
      "a pixel and a click",
    ]);
    expect(out.content[0]?.text).not.toContain("iVBOR");
    await client.close();
  });
});
