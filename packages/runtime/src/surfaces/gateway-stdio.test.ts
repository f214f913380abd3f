/**
 * The stdio gateway queues runs like the HTTP gateway: bounded, and past the bound `BUSY` at once
 * with a retry hint, nothing run.
 */
import { PassThrough } from "node:stream";
import { McpServer } from "@modelcontextprotocol/server";
import { afterAll, describe, expect, it } from "vitest";
import { createCodeMode } from "../code-mode.js";
import { serveGatewayStdio } from "./gateway-node.js";

let touched = 0;
let holding = 0;
let release!: () => void;
const released = new Promise<void>((resolve) => {
  release = resolve;
});

function probeServer() {
  const server = new McpServer({ name: "probe", version: "1.0.0" });
  server.registerTool(
    "touch",
    { description: "Counts a call.", inputSchema: {}, annotations: { readOnlyHint: true } },
    async () => {
      touched++;
      return { content: [{ type: "text" as const, text: "{}" }] };
    },
  );
  server.registerTool(
    "hold",
    {
      description: "Waits until the test releases it.",
      inputSchema: {},
      annotations: { readOnlyHint: true },
    },
    async () => {
      holding++;
      await released;
      return { content: [{ type: "text" as const, text: "{}" }] };
    },
  );
  return server;
}

/** A stdio client over in-memory streams: newline-delimited JSON-RPC, as the SDK frames it. */
function stdioClient() {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const answers = new Map<number, (message: unknown) => void>();
  let buffered = "";
  stdout.setEncoding("utf8");
  stdout.on("data", (chunk: string) => {
    buffered += chunk;
    for (let at = buffered.indexOf("\n"); at >= 0; at = buffered.indexOf("\n")) {
      const line = buffered.slice(0, at);
      buffered = buffered.slice(at + 1);
      const message = JSON.parse(line) as { id?: number };
      if (typeof message.id === "number") answers.get(message.id)?.(message);
    }
  });
  let nextId = 1;
  const send = (method: string, params: unknown): Promise<unknown> => {
    const id = nextId++;
    const answer = new Promise<unknown>((resolve) => answers.set(id, resolve));
    stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id, method, params })}\n`);
    return answer;
  };
  return {
    stdin,
    stdout,
    send,
    notify: (method: string) => stdin.write(`${JSON.stringify({ jsonrpc: "2.0", method })}\n`),
  };
}

const runOf = (answer: unknown) => {
  const result = (answer as { result: { content: Array<{ text: string }>; isError?: boolean } }).result;
  return {
    isError: result.isError,
    ...(JSON.parse(result.content[0]?.text ?? "{}") as {
      ok: boolean;
      result?: unknown;
      error?: { code: string; retryAfterMs?: number };
    }),
  };
};

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 5));
}

describe("the stdio gateway's run queue", async () => {
  const cm = await createCodeMode({ sources: [{ name: "probe", server: probeServer() }] });
  afterAll(() => cm.close());

  it("answers BUSY with retryAfterMs at once when its queue is full, running nothing", async () => {
    const client = stdioClient();
    const serving = serveGatewayStdio(cm, {
      stdin: client.stdin,
      stdout: client.stdout,
      queue: { concurrency: 1, maxQueued: 1 },
    });
    await client.send("initialize", {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "test", version: "1" },
    });
    client.notify("notifications/initialized");
    const execute = (code: string) => client.send("tools/call", { name: "execute", arguments: { code } });

    const held = execute("await probe.hold({}); return 'held'");
    await until(() => holding === 1);
    // Sent in order on one stream: the first waits in the queue's one place, the second finds it full.
    const queued = execute("return 'queued'");
    const busy = runOf(await execute("await probe.touch({}); return 'never'"));
    expect(busy).toMatchObject({ isError: true, ok: false, error: { code: "BUSY" } });
    expect(busy.error?.retryAfterMs).toBeGreaterThan(0);
    expect(touched).toBe(0);

    release();
    expect(runOf(await held)).toMatchObject({ ok: true, result: "held" });
    expect(runOf(await queued)).toMatchObject({ ok: true, result: "queued" });
    client.stdin.end();
    await serving;
  });
});
