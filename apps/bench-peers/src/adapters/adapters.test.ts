/**
 * One trivial program through every adapter (no timings): each project runs it unpatched, its
 * tool calls resolve in the host, and a failing tool fails the run. A project that cannot run on
 * this machine is skipped with the reason.
 */
import { afterAll, describe, expect, it } from "vitest";
import { BENCH_LIMITS, type PeerAdapter } from "../adapter.js";
import { createFakeToolHost, FAKE_BINDINGS } from "../fake-tools.js";
import { startWorkerdHost, WORKERD_ADAPTER_IDS } from "../host/workerd-host.js";
import { createNodeAdapter, NODE_ADAPTER_IDS, type NodeAdapterId } from "../node-adapters.js";

// One tool call: TanStack's QuickJS driver (0.1.30) aborts its WASM module on a second sequential
// call in the same run ("atom < rt->atom_size", "table index is out of bounds"); the benchmark
// reports that, this test checks the adapters' wiring.
const PROGRAM = "const e = await t.echo({ x: [1, 'two'] });\nreturn { v: 2 + 3, e };";
const FAILING = "await t.fail({ code: 'NOT_FOUND', message: 'no such invoice' });\nreturn 'unreachable';";

/** Why a project cannot run here, or undefined when it can. */
async function unavailable(id: NodeAdapterId): Promise<string | undefined> {
  if (id !== "utcp") return undefined;
  try {
    await import("isolated-vm");
    return undefined;
  } catch (err) {
    return `isolated-vm (the native addon @utcp/code-mode needs) did not load: ${(err as Error).message.split("\n")[0]}`;
  }
}

const adapters: PeerAdapter[] = [];
afterAll(async () => {
  await Promise.all(adapters.map((a) => a.close()));
});

describe("node adapters", () => {
  for (const id of NODE_ADAPTER_IDS) {
    it(`${id}: runs a program whose tool calls resolve in the host, and fails it when a tool fails`, async (ctx) => {
      const reason = await unavailable(id);
      if (reason) ctx.skip(reason);
      const adapter = await createNodeAdapter(id);
      adapters.push(adapter);
      expect(adapter.pkg.version).toMatch(/^\d+\.\d+\.\d+/);
      const host = createFakeToolHost();
      const ok = await adapter.run({
        code: PROGRAM,
        bindings: FAKE_BINDINGS,
        callTool: host.callTool,
        limits: BENCH_LIMITS,
      });
      expect(ok).toMatchObject({ ok: true, value: { v: 5, e: { x: [1, "two"] } } });
      expect(host.calls.map((c) => `${c.ns}.${c.tool}`)).toEqual(["t.echo"]);
      const failed = await adapter.run({
        code: FAILING,
        bindings: FAKE_BINDINGS,
        callTool: host.callTool,
        limits: BENCH_LIMITS,
      });
      expect(failed.ok).toBe(false);
    });
  }
});

describe("workerd adapters (Miniflare)", () => {
  for (const id of WORKERD_ADAPTER_IDS) {
    it(`${id}: runs a program in a dynamic isolate whose tool calls resolve in the host Worker`, async () => {
      const host = await startWorkerdHost(id, { env: "unused", global: "unused" });
      try {
        expect(host.meta.pkg.version).toMatch(/^\d+\.\d+\.\d+/);
        const ok = await host.run(PROGRAM, BENCH_LIMITS, 30_000);
        expect(ok.result).toMatchObject({ ok: true, value: { v: 5, e: { x: [1, "two"] } } });
        expect(ok.calls.map((c) => `${c.ns}.${c.tool}`)).toEqual(["t.echo"]);
        const failed = await host.run(FAILING, BENCH_LIMITS, 30_000);
        expect(failed.result.ok).toBe(false);
      } finally {
        await host.close();
      }
    });
  }
});
