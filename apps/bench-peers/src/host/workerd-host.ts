/**
 * A workerd process (through Miniflare) hosting the host Worker of host-worker.ts, for the
 * projects that run on the Worker Loader: Cloudflare's DynamicWorkerExecutor and ours. The Worker
 * is bundled with esbuild on first use. workerd is its own process, so a program that wedges it
 * (a local workerd enforces no CPU limit) costs only that process: past the watchdog it is
 * killed by its pid and the request rejects with HostHungError.
 */
import { join } from "node:path";
import { build } from "esbuild";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import type { PeerLimits } from "../adapter.js";
import type { FigureValue, PerfFigure, PerfOptions } from "../measure/perf.js";
import { installedVersion, PACKAGE_DIR } from "../versions.js";
import type { WorkerdPeerId } from "../workerd/host-worker.js";
import type { HostSecrets } from "./node-host.js";
import { childPids, rssOf } from "./proc.js";
import {
  HostCrashedError,
  HostHungError,
  type HostMeta,
  type MemoryReply,
  type RunReply,
  type SandboxHost,
} from "./protocol.js";

export const WORKERD_ADAPTER_IDS = [
  "worker-loader",
  "cloudflare",
] as const satisfies readonly WorkerdPeerId[];

const META: Record<WorkerdPeerId, Omit<HostMeta, "pkg"> & { pkgName: string }> = {
  "worker-loader": {
    id: "worker-loader",
    label: "ours: Worker Loader executor (dynamic isolate in workerd)",
    engine: "workerd",
    pkgName: "@toolpacks/runtime",
  },
  cloudflare: {
    id: "cloudflare",
    label: "Cloudflare @cloudflare/codemode (DynamicWorkerExecutor, Worker Loader in workerd)",
    engine: "workerd",
    pkgName: "@cloudflare/codemode",
  },
};

let bundled: Promise<string> | undefined;

/** The host Worker as one ES module (cached for the process). */
export function hostWorkerScript(): Promise<string> {
  bundled ??= build({
    entryPoints: [join(PACKAGE_DIR, "src", "workerd", "host-worker.ts")],
    bundle: true,
    write: false,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser", "import"],
    mainFields: ["module", "main"],
    external: ["cloudflare:*", "node:*"],
    logLevel: "error",
  }).then((r) => r.outputFiles[0]?.text ?? "");
  return bundled;
}

export async function startWorkerdHost(id: WorkerdPeerId, secrets: HostSecrets): Promise<SandboxHost> {
  const meta: HostMeta = {
    id,
    label: META[id].label,
    engine: "workerd",
    pkg: { name: META[id].pkgName, version: installedVersion(META[id].pkgName) },
  };
  const before = new Set(childPids("workerd"));
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      modules: true,
      script: await hostWorkerScript(),
      compatibilityDate: "2026-11-01",
      compatibilityFlags: ["nodejs_compat"],
      workerLoaders: { LOADER: {} },
      bindings: {
        VERSIONS: JSON.stringify({
          cloudflare: installedVersion("@cloudflare/codemode"),
          "worker-loader": installedVersion("@toolpacks/runtime"),
        }),
        HOST_SECRET: secrets.global,
      },
    }),
  );
  await mf.ready;
  const pids = childPids("workerd").filter((p) => !before.has(p));
  let dead = false;
  const kill = async () => {
    if (dead) return;
    dead = true;
    for (const pid of pids) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    await Promise.race([mf.dispose().catch(() => {}), new Promise((r) => setTimeout(r, 5_000))]);
  };
  const post = async <T>(path: string, body: unknown, watchdogMs: number): Promise<T> => {
    if (dead) throw new HostCrashedError(`the workerd host of ${id} is gone`);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const hungError = new HostHungError(
      `workerd did not answer ${path} for ${id} within ${watchdogMs} ms; it was killed`,
    );
    let timedOut = false;
    const hung = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // Marked before the kill: the pending fetch then fails, and that failure is this hang.
        timedOut = true;
        kill().finally(() => reject(hungError));
      }, watchdogMs);
    });
    try {
      const response = await Promise.race([
        mf.dispatchFetch(`http://bench${path}`, {
          method: "POST",
          body: JSON.stringify({ adapter: id, ...(body as object) }),
        }),
        hung,
      ]);
      const text = await Promise.race([response.text(), hung]);
      const value = JSON.parse(text) as T & { error?: string };
      if (response.status !== 200) throw new Error(`workerd ${path} for ${id}: ${value.error ?? text}`);
      return value;
    } catch (err) {
      if (timedOut || err instanceof HostHungError) throw hungError;
      if (pids.length > 0 && pids.every((p) => Number.isNaN(rssOf(p)))) {
        dead = true;
        throw new HostCrashedError(`workerd hosting ${id} exited during ${path}: ${String(err)}`);
      }
      throw err;
    } finally {
      clearTimeout(timer);
    }
  };
  const rss = () => pids.reduce((n, p) => n + rssOf(p), 0);
  return {
    meta,
    run: (code, limits, watchdogMs) => post<RunReply>("/run", { code, limits }, watchdogMs),
    perf: (figure: PerfFigure, options: PerfOptions, limits: PeerLimits) =>
      post<FigureValue>("/perf", { figure, perf: options, limits }, 5 * 60_000),
    async memory(k, limits): Promise<MemoryReply> {
      const rssIdleBytes = rss();
      const holding = post<{ parked: number }>("/hold", { k, limits, waitMs: 15_000 }, 120_000);
      holding.catch(() => {});
      let parked: number | null = null;
      const deadline = Date.now() + 60_000;
      while (parked === null && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        parked = (await post<{ parked: number | null }>("/parked", {}, 30_000)).parked;
      }
      const rssHeldBytes = rss();
      await post("/release", {}, 30_000);
      await holding;
      if (parked === null) throw new Error(`no run of ${id} reached the host tool within 60 s`);
      return {
        parked,
        asked: k,
        rssIdleBytes,
        rssHeldBytes,
        perRunBytes: parked > 0 ? (rssHeldBytes - rssIdleBytes) / parked : Number.NaN,
      };
    },
    close: kill,
  };
}
