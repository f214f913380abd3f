/**
 * Calls refused before governance sees them (arguments too large, unreadable, or past the run's
 * in-flight bytes) still leave an audit record: the code the program got, the arguments' size and
 * digest, never the arguments. On every executor that runs in Node.
 */
import { McpServer } from "@modelcontextprotocol/server";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createCodeMode } from "../../code-mode.js";
import { createQuickJSExecutor } from "../../executors/quickjs/executor.js";
import { createQuickJSThreadExecutor } from "../../executors/quickjs-thread/executor.js";
import type { Executor } from "../../executors/types.js";
import { createGovernance } from "../create-governance.js";
import { type AuditRecord, MemoryAuditSink } from "./record.js";

function shopServer(seen: string[]) {
  const server = new McpServer({ name: "shop", version: "1.0.0" });
  server.registerTool(
    "echo",
    {
      description: "Echoes.",
      inputSchema: { s: z.string().optional(), n: z.number().optional() },
      annotations: { readOnlyHint: true },
    },
    async (args) => {
      seen.push(JSON.stringify(args));
      return { content: [{ type: "text" as const, text: JSON.stringify(args) }] };
    },
  );
  return server;
}

const executors: Array<[string, () => Executor & { close?: () => Promise<void> }]> = [
  ["embedded QuickJS", () => createQuickJSExecutor()],
  ["QuickJS on threads", () => createQuickJSThreadExecutor({ threads: 1 })],
];

for (const [name, makeExecutor] of executors) {
  describe(`refused calls are audited (${name})`, async () => {
    const sink = new MemoryAuditSink();
    const seen: string[] = [];
    const governance = createGovernance({ tracer: false, audit: sink });
    const executor = makeExecutor();
    const cm = await createCodeMode({
      sources: [{ name: "shop", server: shopServer(seen) }],
      executor,
      middleware: [governance.middleware],
      preflight: governance.preflight,
    });
    afterAll(async () => {
      await cm.close();
      await executor.close?.();
    });
    const recordsOf = (runId: string): AuditRecord[] => sink.records.filter((r) => r.runId === runId);

    it("a call over maxArgumentBytes: one deny record with its size, not its payload", async () => {
      const r = await cm.execute(
        `try { await shop.echo({ s: "q".repeat(40_000) }); } catch (e) { return e.code; }`,
        { limits: { maxArgumentBytes: 10_000 } },
      );
      expect(r.result).toBe("ARGUMENTS_TOO_LARGE");
      const records = recordsOf(r.stats.runId);
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({
        phase: "outcome",
        server: "shop",
        tool: "echo",
        decision: "deny",
        outcome: "ARGUMENTS_TOO_LARGE",
        argsDigest: "unread",
        position: 0,
      });
      expect(records[0]?.detail).toMatch(/arguments: at least \d+ bytes, not read/);
      expect(JSON.stringify(records)).not.toContain("qqqqqqqqqq");
      expect(seen).toHaveLength(0);
      expect(r.calls.map((c) => c.error?.code)).toEqual(["ARGUMENTS_TOO_LARGE"]);
    });

    it("a call past maxInFlightArgumentBytes: a deny record with size and digest; the call in flight is audited as sent", async () => {
      const r = await cm.execute(
        `const a = shop.echo({ s: "a".repeat(1500) });
         const b = shop.echo({ s: "b".repeat(1500) });
         const [x, y] = await Promise.allSettled([a, b]);
         return [x.status, y.status === "rejected" ? y.reason.code : "sent"];`,
        { limits: { maxArgumentBytes: 2000, maxInFlightArgumentBytes: 2500 } },
      );
      expect(r.result).toEqual(["fulfilled", "ARGUMENTS_IN_FLIGHT_LIMIT"]);
      const records = recordsOf(r.stats.runId);
      const refused = records.filter((x) => x.outcome === "ARGUMENTS_IN_FLIGHT_LIMIT");
      expect(refused).toHaveLength(1);
      expect(refused[0]).toMatchObject({ decision: "deny", position: 1, tool: "echo" });
      expect(refused[0]?.argsDigest).toMatch(/^[0-9a-f]{64}$/);
      expect(refused[0]?.detail).toContain(`sha-256 ${refused[0]?.argsDigest}`);
      expect(JSON.stringify(refused)).not.toContain("bbbbbbbbbb");
      expect(records.filter((x) => x.outcome === "ok")).toHaveLength(1);
      expect(seen.filter((s) => s.includes("bbb"))).toHaveLength(0);
    });

    it("arguments the bridge cannot make canonical (NaN): a deny record with size and digest", async () => {
      const r = await cm.execute(`try { await shop.echo({ n: NaN }); } catch (e) { return e.code; }`);
      expect(r.result).toBe("INVALID_ARGUMENTS");
      const records = recordsOf(r.stats.runId);
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ decision: "deny", outcome: "INVALID_ARGUMENTS", position: 0 });
      expect(records[0]?.argsDigest).toMatch(/^[0-9a-f]{64}$/);
      expect(records[0]?.detail).toMatch(/arguments: \d+ bytes, sha-256 [0-9a-f]{64}/);
    });
  });
}
