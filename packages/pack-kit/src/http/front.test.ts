import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { listenMcpHttp } from "../node/http-listener.js";
import { createMcpHttpFront } from "./front.js";

const ALLOWED = ["localhost:3000", "127.0.0.1:3000", "[::1]:3000"];
let exchanged = 0;
const front = (options: Parameters<typeof createMcpHttpFront>[0] = {}) =>
  createMcpHttpFront({ allowedHosts: ALLOWED, ...options }, async (_request, { body }) => {
    exchanged++;
    return new Response(JSON.stringify({ echoed: body }), { status: 200 });
  });

const request = (headers: Record<string, string>, body = "{}") =>
  new Request("http://localhost/mcp", { method: "POST", headers, body });

describe("createMcpHttpFront", () => {
  it("refuses rebinding Host variants with 403 before the exchange", async () => {
    const handle = front();
    const before = exchanged;
    for (const host of [
      "evil.example:3000",
      "127.0.0.1:3001",
      "[::1]:3001",
      "localhost.:3000",
      "EVIL.example:3000",
      "localhost",
      "127.0.0.1:3000.evil.example",
    ]) {
      expect((await handle(request({ host }))).status, host).toBe(403);
    }
    expect((await handle(request({}))).status, "no Host").toBe(403);
    expect(exchanged).toBe(before);
    expect((await handle(request({ host: "LOCALHOST:3000" }))).status).toBe(200);
  });

  it("refuses a null, foreign or non-origin Origin with 403", async () => {
    const handle = front();
    for (const origin of [
      "null",
      "http://evil.example:3000",
      "http://localhost:3000/path",
      "http://localhost:3000/",
      "http://user@localhost:3000",
      "ftp://localhost:3000",
      "localhost:3000",
    ]) {
      expect((await handle(request({ host: "localhost:3000", origin }))).status, origin).toBe(403);
    }
    expect((await handle(request({ host: "localhost:3000", origin: "http://localhost:3000" }))).status).toBe(
      200,
    );
  });

  it("answers 413 past maxBodyBytes, declared or not, and 400 for a body that is not JSON", async () => {
    const handle = front({ maxBodyBytes: 100 });
    const big = JSON.stringify({ x: "y".repeat(200) });
    expect((await handle(request({ host: "localhost:3000" }, big))).status).toBe(413);
    const streamed = new Request("http://localhost/mcp", {
      method: "POST",
      headers: { host: "localhost:3000" },
      body: new Blob([big]).stream(),
      duplex: "half",
    } as RequestInit);
    expect((await handle(streamed)).status).toBe(413);
    expect((await handle(request({ host: "localhost:3000" }, "{not json"))).status).toBe(400);
    const ok = await handle(request({ host: "localhost:3000" }, '{"a":1}'));
    expect(await ok.json()).toEqual({ echoed: { a: 1 } });
  });
});

describe("listenMcpHttp", () => {
  const handler = () => async () => new Response("{}");

  it("passes GET and DELETE on only with sessionMethods, after the same Host, Origin and credential checks", async () => {
    const bare = (method: string, headers: Record<string, string>) =>
      new Request("http://localhost/mcp", { method, headers });
    const stateless = front({ auth: { tokens: ["a-token-of-sixteen-chars"] } });
    const auth = { host: "localhost:3000", authorization: "Bearer a-token-of-sixteen-chars" };
    for (const method of ["GET", "DELETE", "PUT"])
      expect((await stateless(bare(method, auth))).status).toBe(405);
    const sessions = front({ auth: { tokens: ["a-token-of-sixteen-chars"] }, sessionMethods: true });
    const before = exchanged;
    expect(
      (await sessions(bare("GET", { host: "evil.example:3000", authorization: auth.authorization }))).status,
    ).toBe(403);
    expect((await sessions(bare("GET", { ...auth, origin: "http://evil.example" }))).status).toBe(403);
    expect((await sessions(bare("DELETE", { host: "localhost:3000" }))).status).toBe(401);
    expect((await sessions(bare("PUT", auth))).status).toBe(405);
    expect(exchanged).toBe(before);
    for (const method of ["GET", "DELETE"]) {
      const answer = await sessions(bare(method, auth));
      expect(await answer.json()).toEqual({});
    }
    expect(exchanged).toBe(before + 2);
  });

  it("refuses to bind beyond loopback without a credential", async () => {
    for (const host of ["0.0.0.0", "::", "192.168.1.10"]) {
      await expect(
        listenMcpHttp({ port: 0, host, hasCredential: false, what: "x" }, handler),
      ).rejects.toMatchObject({
        code: "credential_required",
      });
    }
  });

  it("says in one line which port is taken and how to fix it", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const err = (await listenMcpHttp({ port, hasCredential: false, what: "x" }, handler).catch(
        (e) => e,
      )) as Error & {
        code: string;
      };
      expect(err.code).toBe("port_in_use");
      expect(err.message).toContain(`port ${port}`);
      expect(err.message).toMatch(/pick another port/);
      expect(err.message).not.toContain("\n");
    } finally {
      blocker.close();
    }
  });
});
