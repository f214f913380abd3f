/**
 * Cloudflare Workers entry of @toolpacks/runtime: the Worker Loader executor, which runs each
 * program in a fresh dynamic isolate with no network and no bindings. Import it only from a
 * Worker (it needs a `worker_loaders` binding); the root entry stays platform-neutral.
 */
export {
  createWorkerLoaderExecutor,
  type LoaderModule,
  type LoaderWorkerCode,
  type WorkerLoaderBinding,
  WorkerLoaderConfigError,
  WorkerLoaderExecutor,
  type WorkerLoaderExecutorOptions,
} from "./executors/worker-loader/index.js";
