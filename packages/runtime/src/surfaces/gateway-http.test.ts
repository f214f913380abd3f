import { request as httpRequest } from "node:http";
import { createServer as createNetServer, connect as netConnect } from "node:net";
import { networkInterfaces } from "node:os";
import { McpServer } from "@modelcontextprotocol/server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { main } from "../cli/main.js";
import { type CodeMode, createCodeMode } from "../code-mode.js";
import { serveGatewayHttp } from "./gateway-node.js";

/** A tool server whose `touch` counts calls, so a test can tell whether a program ran. */
let touched = 0;
function counterServer() {
  const server = new McpServer({ name: "probe", version: "1.0.0" });
  server.registerTool(
    "touch",
    { description: "Counts a call.", inputSchema: {}, annotations: { readOnlyHint: true } },
    async () => {
      touched++;
      return {
        content: [{ type: "text" as const, text: JSON.stringify({ n: touched }) }],
        structuredContent: { n: touched },
      };
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
      return { content: [{ type: "text" as const, text: "{}" }], structuredContent: {} };
    },
  );
  return server;
}
let holding = 0;
let release!: () => void;
let released = new Promise<void>((resolve) => {
  release = resolve;
});

const executeBody = (code: string) =>
  JSON.stringify({
    jsonrpc: "2.0",
    id: 1,
    method: "tools/call",
    params: { name: "execute", arguments: { code } },
  });

interface Answer {
  status: number;
  body: string;
}

/** POSTs with exactly these headers; node:http sends a forged Host the way a rebinding page's browser does. */
function post(url: string, headers: Record<string, string>, body: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          ...headers,
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => {
          text += c;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** An HTTP/1.0 request with exactly this Host line (none when undefined; node:http always adds one). */
function postRaw(port: number, hostLine: string | undefined, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    // Written, not ended: a half-closed socket reads as a client that left, whose run is cancelled.
    // HTTP/1.0 without keep-alive: the server closes the connection after its answer.
    const socket = netConnect(port, "127.0.0.1", () => {
      socket.write(
        `POST /mcp HTTP/1.0\r\n${hostLine === undefined ? "" : `${hostLine}\r\n`}content-type: application/json\r\naccept: application/json, text/event-stream\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    });
    let text = "";
    socket.setEncoding("utf8");
    socket.on("data", (c: string) => {
      text += c;
    });
    socket.on("end", () => resolve(Number(/^HTTP\/1\.\d (\d{3})/.exec(text)?.[1] ?? 0)));
    socket.on("error", reject);
  });
}

const toolAnswer = (a: Answer) => {
  const rpc = JSON.parse(a.body) as { result?: { content: Array<{ text: string }>; isError?: boolean } };
  return JSON.parse(rpc.result?.content[0]?.text ?? "null") as {
    ok: boolean;
    result?: unknown;
    error?: { code: string; retryAfterMs?: number };
  };
};

let cm: CodeMode;
let serving: Awaited<ReturnType<typeof serveGatewayHttp>> | undefined;
beforeAll(async () => {
  cm = await createCodeMode({ sources: [{ name: "probe", server: counterServer }] });
});
afterAll(() => cm.close());
afterEach(async () => {
  await serving?.close();
  serving = undefined;
});

describe("the HTTP gateway refuses what a DNS-rebinding page sends", () => {
  it("answers a loopback request and runs the program", async () => {
    serving = await serveGatewayHttp(cm, { port: 0 });
    const before = touched;
    const ok = await post(
      serving.url,
      { host: `127.0.0.1:${serving.port}` },
      executeBody("return (await probe.touch({})).n"),
    );
    expect(ok.status).toBe(200);
    expect(toolAnswer(ok)).toMatchObject({ ok: true });
    expect(touched).toBe(before + 1);
    for (const host of [`localhost:${serving.port}`, `LOCALHOST:${serving.port}`, `[::1]:${serving.port}`]) {
      expect((await post(serving.url, { host }, executeBody("return 1"))).status, host).toBe(200);
    }
    const sameOrigin = await post(
      serving.url,
      { host: `localhost:${serving.port}`, origin: `http://localhost:${serving.port}` },
      executeBody("return 1"),
    );
    expect(sameOrigin.status).toBe(200);
  });

  it("refuses a foreign or malformed Host with 403 before any program runs", async () => {
    serving = await serveGatewayHttp(cm, { port: 0 });
    const p = serving.port;
    const hosts = [
      "evil.example:8788",
      `evil.example:${p}`,
      "EVIL.EXAMPLE:8788",
      `127.0.0.1:${p + 1}`,
      `localhost:${p === 8788 ? 8789 : 8788}`,
      `[::1]:${p + 1}`,
      `localhost.:${p}`,
      `127.0.0.1.:${p}`,
      "127.0.0.1",
      "localhost",
      `127.0.0.1:${p}.evil.example`,
      `evil.example@127.0.0.1:${p}`,
      `[::ffff:127.0.0.1]:${p}`,
    ];
    const before = touched;
    for (const host of hosts) {
      const a = await post(serving.url, { host }, executeBody("await probe.touch({}); return 1"));
      expect(a.status, `Host: ${host}`).toBe(403);
    }
    const program = executeBody("await probe.touch({}); return 1");
    for (const line of [undefined, "Host:", "Host: ", `Host: evil.example:${p}`]) {
      expect(await postRaw(p, line, program), `raw ${line}`).toBe(403);
    }
    expect(await postRaw(p, `Host: 127.0.0.1:${p}`, executeBody("return 1"))).toBe(200);
    expect(touched).toBe(before);
  });

  it("refuses a foreign, null or malformed Origin with 403 even with a loopback Host", async () => {
    serving = await serveGatewayHttp(cm, { port: 0 });
    const p = serving.port;
    const origins = [
      "http://evil.example:8788",
      `http://evil.example:${p}`,
      "null",
      `http://127.0.0.1:${p}/path`,
      `http://127.0.0.1:${p}/`,
      `http://127.0.0.1:${p + 1}`,
      `http://localhost.:${p}`,
      `http://127.0.0.1:${p}.evil.example`,
      `http://user@127.0.0.1:${p}`,
      `file://127.0.0.1:${p}`,
      "not a url",
    ];
    const before = touched;
    for (const origin of origins) {
      const a = await post(
        serving.url,
        { host: `127.0.0.1:${p}`, origin },
        executeBody("await probe.touch({}); return 1"),
      );
      expect(a.status, `Origin: ${origin}`).toBe(403);
    }
    expect(touched).toBe(before);
  });

  it("accepts an operator's extra Host and Origin, and only those", async () => {
    serving = await serveGatewayHttp(cm, {
      port: 0,
      allowedHosts: ["gw.internal:8788"],
      allowedOrigins: ["https://app.example"],
    });
    const body = executeBody("return 1");
    expect(
      (await post(serving.url, { host: "gw.internal:8788", origin: "https://app.example" }, body)).status,
    ).toBe(200);
    expect(
      (await post(serving.url, { host: "gw.internal:8788", origin: "https://evil.example" }, body)).status,
    ).toBe(403);
    expect((await post(serving.url, { host: "gw.internal:9999" }, body)).status).toBe(403);
  });
});

describe("the HTTP gateway beyond loopback", () => {
  const lan = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && !i.internal && i.family === "IPv4")?.address;
  const offLoopback = ["0.0.0.0", "::", ...(lan ? [lan] : [])];

  it.each(offLoopback)("refuses to start on %s without a credential", async (host) => {
    await expect(serveGatewayHttp(cm, { port: 0, host })).rejects.toMatchObject({
      code: "credential_required",
    });
  });

  it("serves beyond loopback with a bearer token, and refuses requests without it", async () => {
    const token = "a-long-enough-token-0123456789";
    serving = await serveGatewayHttp(cm, { port: 0, host: "0.0.0.0", auth: { tokens: [token] } });
    const url = `http://127.0.0.1:${serving.port}/mcp`;
    const host = `127.0.0.1:${serving.port}`;
    const body = executeBody("return 1");
    expect((await post(url, { host }, body)).status).toBe(401);
    expect((await post(url, { host, authorization: `Bearer ${token}x` }, body)).status).toBe(401);
    expect((await post(url, { host, authorization: `Bearer ${token.slice(0, -1)}` }, body)).status).toBe(401);
    const ok = await post(url, { host, authorization: `Bearer ${token}` }, body);
    expect(ok.status).toBe(200);
    expect(toolAnswer(ok)).toMatchObject({ ok: true, result: 1 });
  });
});

describe("the HTTP gateway's body limit", () => {
  it("answers 413 past maxBodyBytes, declared or streamed, before any program runs", async () => {
    serving = await serveGatewayHttp(cm, { port: 0, maxBodyBytes: 2048 });
    const host = `127.0.0.1:${serving.port}`;
    const big = executeBody(`await probe.touch({}); return ${JSON.stringify("x".repeat(4096))}.length`);
    const before = touched;
    expect((await post(serving.url, { host }, big)).status).toBe(413);
    expect((await post(serving.url, { host, "transfer-encoding": "chunked" }, big)).status).toBe(413);
    expect(touched).toBe(before);
    expect((await post(serving.url, { host }, executeBody("return 2"))).status).toBe(200);
  });
});

describe("toolpacks serve --http startup errors", () => {
  const capture = () => {
    const err: string[] = [];
    return { err, io: { stdout: () => {}, stderr: (t: string) => void err.push(t), stdin: async () => "" } };
  };

  it("names the port in one line and exits non-zero when the port is in use", async () => {
    const blocker = createNetServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { err, io } = capture();
      const code = await main(["serve", "--http", String(port), "--threads", "0"], io);
      expect(code).not.toBe(0);
      const text = err.join("");
      expect(text.trim().split("\n")).toHaveLength(1);
      expect(text).toContain(`port ${port}`);
      expect(text).toMatch(/already in use.*pick another port/);
      expect(text).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
  });

  it("refuses --host 0.0.0.0 without a token in one line, exit 2", async () => {
    const { err, io } = capture();
    const code = await main(["serve", "--http", "0", "--host", "0.0.0.0", "--threads", "0"], io);
    expect(code).toBe(2);
    expect(err.join("").trim().split("\n")).toHaveLength(1);
    expect(err.join("")).toMatch(/without a credential/);
  });

  it("refuses a short token before starting", async () => {
    const { err, io } = capture();
    const code = await main(["serve", "--http", "0", "--token", "short"], io);
    expect(code).toBe(2);
    expect(err.join("")).toMatch(/at least 16 characters/);
  });
});

describe("the HTTP gateway's run queue", () => {
  const tokenA = "client-a-token-0123456789";
  const tokenB = "client-b-token-0123456789";
  const as = (token: string, code: string) =>
    post(
      serving!.url,
      { host: `127.0.0.1:${serving!.port}`, authorization: `Bearer ${token}` },
      executeBody(code),
    );
  const waitFor = async (check: () => boolean) => {
    while (!check()) await new Promise((r) => setTimeout(r, 10));
  };

  it("runs another client's trivial program while one client's runs hold their share", async () => {
    released = new Promise<void>((resolve) => {
      release = resolve;
    });
    holding = 0;
    serving = await serveGatewayHttp(cm, {
      port: 0,
      auth: { tokens: [tokenA, tokenB] },
      queue: { concurrency: 2, perClientConcurrency: 1, maxQueued: 16, perClientQueued: 8 },
    });
    const aRuns = Array.from({ length: 4 }, () => as(tokenA, "await probe.hold({}); return 'a'"));
    await waitFor(() => holding === 1);
    // Client A's first run holds one slot and its others wait; B is answered without any of A's ending.
    const b = await as(tokenB, "return 'b'");
    expect(toolAnswer(b)).toMatchObject({ ok: true, result: "b" });
    expect(holding).toBe(1);
    release();
    for (const a of await Promise.all(aRuns)) expect(toolAnswer(a)).toMatchObject({ ok: true, result: "a" });
  }, 30_000);

  it("answers BUSY with retryAfterMs at once when the queue is full, running nothing", async () => {
    released = new Promise<void>((resolve) => {
      release = resolve;
    });
    holding = 0;
    serving = await serveGatewayHttp(cm, {
      port: 0,
      auth: { tokens: [tokenA, tokenB] },
      queue: { concurrency: 1, maxQueued: 1, perClientQueued: 1 },
    });
    const held = as(tokenA, "await probe.hold({}); return 'held'");
    await waitFor(() => holding === 1);
    const queued = as(tokenB, "return 'queued'");
    await waitFor(() => serving?.runQueue.stats().queued === 1);
    const before = touched;
    const busy = await as(tokenA, "await probe.touch({}); return 'never'");
    expect(busy.status).toBe(200);
    const answer = toolAnswer(busy);
    expect(answer).toMatchObject({ ok: false, error: { code: "BUSY" } });
    expect(answer.error?.retryAfterMs).toBeGreaterThan(0);
    expect(JSON.parse(busy.body).result.isError).toBe(true);
    expect(touched).toBe(before);
    release();
    expect(toolAnswer(await held)).toMatchObject({ ok: true, result: "held" });
    expect(toolAnswer(await queued)).toMatchObject({ ok: true, result: "queued" });
  }, 30_000);
});
