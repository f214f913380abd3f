/**
 * The host Worker of the workerd half of the bench: it holds the Worker Loader binding, the two
 * projects that run on it (Cloudflare's DynamicWorkerExecutor and our Worker Loader executor) and
 * the fake tools, so tool calls resolve in this Worker exactly as in a deployed one. Node drives
 * it over HTTP (see miniflare-host.ts); timings are taken in here, next to the sandboxes.
 */
import { createWorkerLoaderExecutor } from "@toolpacks/runtime/cloudflare";
// The codec's own file: the runtime's root entry also brings the MCP client and TypeScript.
import * as codec from "../../../../packages/runtime/src/codec/wire.js";
import { BENCH_LIMITS, type PeerAdapter, type PeerLimits } from "../adapter.js";
import { cloudflareAdapter } from "../adapters/cloudflare.js";
import { executorAdapter } from "../adapters/ours.js";
import { createFakeToolHost, FAKE_BINDINGS } from "../fake-tools.js";
import { type HeldRuns, holdRuns } from "../measure/hold.js";
import { measureFigure, type PerfFigure, type PerfOptions } from "../measure/perf.js";

interface Env {
  LOADER: unknown;
  /** Installed versions, `{ "cloudflare": "0.5.6", "worker-loader": "0.x" }`. */
  VERSIONS: string;
  /** A host secret no program may ever see (the hostile suite looks for it in every output). */
  HOST_SECRET: string;
}

export type WorkerdPeerId = "cloudflare" | "worker-loader";

let held: HeldRuns | undefined;

function adapterFor(id: string, env: Env): PeerAdapter {
  const versions = JSON.parse(env.VERSIONS) as Record<string, string>;
  if (id === "cloudflare") return cloudflareAdapter(env.LOADER, versions.cloudflare ?? "unknown");
  if (id === "worker-loader") {
    const executor = createWorkerLoaderExecutor({ loader: env.LOADER as never });
    return executorAdapter(executor, codec, {
      id: "worker-loader",
      label: "ours: Worker Loader executor (dynamic isolate in workerd)",
      version: versions["worker-loader"] ?? "unknown",
    });
  }
  throw new Error(`unknown workerd adapter "${id}": use cloudflare or worker-loader`);
}

const json = (value: unknown, status = 200) =>
  new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json" } });

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const body = (request.method === "POST" ? await request.json() : {}) as {
      adapter: string;
      code?: string;
      limits?: Partial<PeerLimits>;
      perf?: PerfOptions;
      figure?: PerfFigure;
      k?: number;
      waitMs?: number;
    };
    try {
      switch (url.pathname) {
        case "/clock": {
          // Whether the clock moves during pure computation here (it must, for in-Worker timing).
          const a = performance.now();
          let x = 0;
          for (let i = 0; i < 5_000_000; i++) x += i;
          return json({ elapsedMs: performance.now() - a, x });
        }
        case "/run": {
          const adapter = adapterFor(body.adapter, env);
          const host = createFakeToolHost();
          const result = await adapter.run({
            code: body.code ?? "",
            bindings: FAKE_BINDINGS,
            callTool: host.callTool,
            limits: { ...BENCH_LIMITS, ...body.limits },
          });
          return json({ result, calls: host.calls, maxActive: host.maxActive });
        }
        case "/perf": {
          const adapter = adapterFor(body.adapter, env);
          const value = await measureFigure(adapter, body.figure ?? "runs", body.perf as PerfOptions, {
            ...BENCH_LIMITS,
            ...body.limits,
          });
          return json(value);
        }
        case "/hold": {
          const adapter = adapterFor(body.adapter, env);
          held = holdRuns(adapter, body.k ?? 1, { ...BENCH_LIMITS, ...body.limits }, body.waitMs ?? 10_000);
          return json({ parked: await held.parked });
        }
        case "/release": {
          const outcome = held ? await held.release() : { ok: 0, failed: 0 };
          held = undefined;
          return json(outcome);
        }
        default:
          return json({ error: `no route ${url.pathname}` }, 404);
      }
    } catch (err) {
      return json({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) }, 500);
    }
  },
};
