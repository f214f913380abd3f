/**
 * The slice of the Worker Loader binding (`worker_loaders` in wrangler config) this executor
 * uses, written structurally so the runtime does not depend on @cloudflare/workers-types;
 * `env.LOADER` from a Worker satisfies it.
 */

/** One module of a dynamic Worker. */
export type LoaderModule = string | { js: string } | { cjs: string } | { text: string } | { json: unknown };

/** The code and configuration of a dynamic Worker. */
export interface LoaderWorkerCode {
  compatibilityDate: string;
  compatibilityFlags?: string[];
  mainModule: string;
  modules: Record<string, LoaderModule>;
  env?: Record<string, unknown>;
  /** `null` blocks `fetch()` and `connect()` entirely. */
  globalOutbound?: null;
  limits?: { cpuMs?: number; subRequests?: number };
}

/** A Worker Loader binding (`env.LOADER`). */
export interface WorkerLoaderBinding {
  load(code: LoaderWorkerCode): { getEntrypoint(name?: string): unknown };
}
