export {
  createWorkerLoaderExecutor,
  WorkerLoaderConfigError,
  WorkerLoaderExecutor,
  type WorkerLoaderExecutorOptions,
} from "./executor.js";
export { addFuelGuards, ProgramSyntaxError } from "./fuel.js";
export type { LoaderModule, LoaderWorkerCode, WorkerLoaderBinding } from "./loader-types.js";
