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
import { safeStringify } from "../host/safe-json.js";
import { holdRuns } from "../measure/hold.js";
import { measureFigure, type PerfFigure, type PerfOptions } from "../measure/perf.js";

interface Env {
  LOADER: unknown;
  /** Installed versions, `{ "cloudflare": "0.5.6", "worker-loader": "0.x" }`. */
  VERSIONS: string;
  /** A host secret no program may ever see (the hostile suite looks for it in every output). */
  HOST_SECRET: string;
}

export type WorkerdPeerId = "cloudflare" | "worker-loader";

/** The memory hold in progress: how many runs parked (once known), and whether to let them go. */
let hold: { parked: number | undefined; release: boolean } | undefined;

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
          // Each part serialized on its own, so a value too deep for JSON becomes a marker, not a 500.
          return new Response(`{"result":${safeStringify(result)},"calls":${safeStringify(host.calls)}}`, {
            headers: { "content-type": "application/json" },
          });
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
          // The whole hold lives in this one request: workerd ties a promise's continuations to the
          // request that created it, so /parked and /release only read and set plain flags.
          const adapter = adapterFor(body.adapter, env);
          const held = holdRuns(
            adapter,
            body.k ?? 1,
            { ...BENCH_LIMITS, ...body.limits },
            body.waitMs ?? 10_000,
          );
          hold = { parked: undefined, release: false };
          const state = hold;
          state.parked = await held.parked;
          while (!state.release) await new Promise((r) => setTimeout(r, 20));
          const outcome = await held.release();
          hold = undefined;
          return json({ parked: state.parked, ...outcome });
        }
        case "/parked":
          return json({ parked: hold?.parked ?? null });
        case "/release":
          if (hold) hold.release = true;
          return json({});
        default:
          return json({ error: `no route ${url.pathname}` }, 404);
      }
    } catch (err) {
      return json({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) }, 500);
    }
  },
};
