/**
 * A child Node process hosting one project (argv[2] is its adapter id). The bench sends it
 * programs over IPC; if a program crashes or wedges this process, only this process is lost.
 * Two host secrets are planted for the hostile suite: one in the environment (set by the parent
 * as TOOLPACKS_HOSTILE_SECRET) and one on this process's global object.
 */
import { createFakeToolHost, FAKE_BINDINGS } from "../fake-tools.js";
import { holdRuns } from "../measure/hold.js";
import { measureFigure } from "../measure/perf.js";
import { createNodeAdapter, NODE_ADAPTER_IDS, type NodeAdapterId } from "../node-adapters.js";
import type { ChildReply, ChildRequest, HostMeta, MemoryReply } from "./protocol.js";
import { safeStringify } from "./safe-json.js";

const id = process.argv[2] as NodeAdapterId;
if (!NODE_ADAPTER_IDS.includes(id)) {
  process.stderr.write(
    `node-host-main: unknown adapter "${id}"; use one of ${NODE_ADAPTER_IDS.join(", ")}\n`,
  );
  process.exit(2);
}
(globalThis as Record<string, unknown>).TOOLPACKS_HOST_GLOBAL_SECRET =
  process.env.TOOLPACKS_HOST_GLOBAL_SECRET;

const adapter = await createNodeAdapter(id);
const gc = (globalThis as { gc?: () => void }).gc;

async function handle(request: ChildRequest): Promise<unknown> {
  switch (request.op) {
    case "describe":
      return { id: adapter.id, label: adapter.label, pkg: adapter.pkg, engine: "node" } satisfies HostMeta;
    case "run": {
      const host = createFakeToolHost();
      const result = await adapter.run({
        code: request.code,
        bindings: FAKE_BINDINGS,
        callTool: host.callTool,
        limits: request.limits,
      });
      // As text, each part on its own: a result or arguments nested too deep to serialize become a
      // marker instead of crashing this process's IPC (structured clone recurses natively).
      return `{"result":${safeStringify(result)},"calls":${safeStringify(host.calls)}}`;
    }
    case "perf":
      return measureFigure(adapter, request.figure, request.options, request.limits);
    case "memory": {
      gc?.();
      const rssIdleBytes = process.memoryUsage().rss;
      const held = holdRuns(adapter, request.k, request.limits, 15_000);
      const parked = await held.parked;
      const rssHeldBytes = process.memoryUsage().rss;
      await held.release();
      const reply: MemoryReply = {
        parked,
        asked: request.k,
        rssIdleBytes,
        rssHeldBytes,
        perRunBytes: parked > 0 ? (rssHeldBytes - rssIdleBytes) / parked : Number.NaN,
      };
      return reply;
    }
  }
}

process.on("message", (message: ChildRequest) => {
  handle(message).then(
    (value) => process.send?.({ id: message.id, ok: true, value } satisfies ChildReply),
    (err: unknown) =>
      process.send?.({
        id: message.id,
        ok: false,
        error: err instanceof Error ? (err.stack ?? err.message) : String(err),
      } satisfies ChildReply),
  );
});
process.send?.({ id: 0, ok: true, value: "ready" } satisfies ChildReply);
