/**
 * Every stage of a run inside its limits: the size cap before any parsing, one deadline from
 * execute() entry across intake, type-checking, preflight and the sandbox, cancellation at every
 * stage, and nothing (calls, approvals) left waiting once the run is over.
 */
import { McpServer } from "@modelcontextprotocol/server";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createCodeMode } from "./code-mode.js";
import type { Executor, SandboxRequest } from "./executors/types.js";

function echoServer() {
  const server = new McpServer({ name: "shop", version: "1.0.0" });
  server.registerTool("echo", { description: "Echoes.", inputSchema: { s: z.string() } }, async ({ s }) => ({
    content: [{ type: "text" as const, text: JSON.stringify({ s }) }],
  }));
  return server;
}

/** An executor that records what it was asked to run and answers 1. */
function recordingExecutor(): Executor & { requests: SandboxRequest[] } {
  const requests: SandboxRequest[] = [];
  return {
    name: "recording",
    requests,
    async run(request) {
      requests.push(request);
      return { ok: true, encodedResult: "1", logs: [], stats: { wallMs: 0, toolCalls: 0 } };
    },
  };
}

describe("every stage inside the run's limits", async () => {
  const cm = await createCodeMode({ sources: [{ name: "shop", server: echoServer() }] });
  afterAll(() => cm.close());

  it("refuses a program over maxProgramBytes before parsing it, naming the limit", async () => {
    // Also a syntax error: the size check comes first, so nothing parsed it.
    const huge = `return (${"1 + ".repeat(70_000)}`;
    const r = await cm.execute(huge);
    expect(r.ok).toBe(false);
    expect(r.error?.code).toBe("PROGRAM_TOO_LARGE");
    expect(r.error?.message).toContain("262144-byte limit (maxProgramBytes)");
    // Configurable per run, counted in UTF-8 bytes (a fenced reply counts whole).
    const fenced = `Here you go:\n\`\`\`ts\nreturn "${"€".repeat(400)}";\n\`\`\``;
    const small = await cm.execute(fenced, { limits: { maxProgramBytes: 1000 } });
    expect(small.error?.code).toBe("PROGRAM_TOO_LARGE");
    expect((await cm.execute(fenced, { limits: { maxProgramBytes: 2000 } })).ok).toBe(true);
  });

  it("counts preflight against timeoutMs: a preflight that never answers ends the run with TIMEOUT", async () => {
    const stuck = await createCodeMode({
      sources: [{ name: "shop", server: echoServer() }],
      preflight: () => new Promise(() => {}),
    });
    try {
      const r = await stuck.execute("return 1", { limits: { timeoutMs: 300 } });
      expect(r.ok).toBe(false);
      expect(r.error?.code).toBe("TIMEOUT");
      expect(r.error?.message).toContain("preflight");
    } finally {
      await stuck.close();
    }
  });

  it("cancels a run waiting in preflight when its signal aborts", async () => {
    const stuck = await createCodeMode({
      sources: [{ name: "shop", server: echoServer() }],
      preflight: () => new Promise(() => {}),
    });
    try {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      const r = await stuck.execute("return 1", { signal: controller.signal, limits: { timeoutMs: 60_000 } });
      expect(r.error?.code).toBe("ABORTED");
    } finally {
      await stuck.close();
    }
  });

  it("gives the sandbox only what the earlier stages left of timeoutMs", async () => {
    const executor = recordingExecutor();
    const slow = await createCodeMode({
      sources: [{ name: "shop", server: echoServer() }],
      executor,
      preflight: async () => {
        await new Promise((r) => setTimeout(r, 200));
        return { allow: true };
      },
    });
    try {
      const r = await slow.execute("return 1", { limits: { timeoutMs: 1000 } });
      expect(r.ok).toBe(true);
      const given = executor.requests[0]?.limits.timeoutMs ?? Number.NaN;
      expect(given).toBeGreaterThan(0);
      expect(given).toBeLessThanOrEqual(1000 - 190);
      expect(executor.requests[0]?.signal).toBeInstanceOf(AbortSignal);
    } finally {
      await slow.close();
    }
  });

  it("counts type-checking against timeoutMs", async () => {
    const r = await cm.execute("const n: number = 1;\nreturn n;", {
      typecheck: true,
      limits: { timeoutMs: 1 },
    });
    expect(r.ok).toBe(false);
    expect(r.error?.code).toBe("TIMEOUT");
    expect(r.error?.message).toMatch(/before the program started/);
  });

  it("stops a running program when the run's signal aborts", async () => {
    // The embedded executor holds the host thread while the program computes, so the abort lands
    // when it yields; the thread executor's test covers a program that never yields.
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const r = await cm.execute(
      "for (;;) {\n  let s = 0;\n  for (let i = 0; i < 1e4; i++) s += i;\n  await new Promise((r) => setTimeout(r, 1));\n}",
      { signal: controller.signal, limits: { timeoutMs: 120_000 } },
    );
    expect(r.error?.code).toBe("ABORTED");
  });

  it("releases a call still waiting (e.g. for an approval) when the run ends", async () => {
    let released: unknown;
    const waiting = await createCodeMode({
      sources: [{ name: "shop", server: echoServer() }],
      middleware: [
        (call) =>
          new Promise((_resolve, reject) => {
            call.signal.addEventListener("abort", () => {
              released = call.signal.reason;
              reject(new Error("released"));
            });
          }),
      ],
    });
    try {
      const r = await waiting.execute("shop.echo({ s: 'x' });\nreturn 'did not wait';");
      expect(r).toMatchObject({ ok: true, result: "did not wait" });
      expect(released).toBeDefined();
    } finally {
      await waiting.close();
    }
  });
});
