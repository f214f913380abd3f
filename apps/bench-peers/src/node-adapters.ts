/**
 * The projects whose sandboxes run in the Node host, by id. Each adapter is created on demand,
 * so a project that cannot load here (a native addon that did not build) fails alone.
 */
import { createQuickJSExecutor, decode, encode } from "@toolpacks/runtime";
import { createQuickJSThreadExecutor } from "@toolpacks/runtime/node";
import type { PeerAdapter } from "./adapter.js";
import { executorAdapter } from "./adapters/ours.js";
import { installedVersion } from "./versions.js";

export const NODE_ADAPTER_IDS = ["quickjs", "quickjs-thread", "vercel", "tanstack", "utcp"] as const;
export type NodeAdapterId = (typeof NODE_ADAPTER_IDS)[number];

const codec = { encode, decode };

/** Threads of our QuickJS-on-threads executor: one per core of the 2-core bench machine. */
export const OUR_THREADS = 2;

export async function createNodeAdapter(id: NodeAdapterId): Promise<PeerAdapter> {
  switch (id) {
    case "quickjs":
      return executorAdapter(createQuickJSExecutor(), codec, {
        id,
        label: "ours: embedded QuickJS (quickjs-emscripten, prepared sandboxes)",
        version: installedVersion("@toolpacks/runtime"),
      });
    case "quickjs-thread": {
      const executor = createQuickJSThreadExecutor({ threads: OUR_THREADS });
      return executorAdapter(executor, codec, {
        id,
        label: `ours: QuickJS on ${OUR_THREADS} worker threads`,
        version: installedVersion("@toolpacks/runtime"),
        close: () => executor.close(),
      });
    }
    case "vercel": {
      const { vercelAdapter, VERCEL_PKG } = await import("./adapters/vercel.js");
      return vercelAdapter(installedVersion(VERCEL_PKG));
    }
    case "tanstack": {
      const { tanstackAdapter, TANSTACK_PKG } = await import("./adapters/tanstack.js");
      return tanstackAdapter(installedVersion(TANSTACK_PKG));
    }
    case "utcp": {
      const { utcpAdapter, UTCP_PKG } = await import("./adapters/utcp.js");
      return utcpAdapter(installedVersion(UTCP_PKG));
    }
  }
}
