/**
 * Where a worker thread's entry file is. From source, a `.ts` file beside the caller, run through
 * tsx; from a build, a `.js` file at the root of `dist/` (the caller's code may sit in a chunk there
 * or one folder below, in `dist/cli/`). Node built-ins are imported lazily so that modules using
 * this stay loadable where there are no worker threads (workerd).
 */
export interface ThreadEntry {
  /** Absolute file path (a string, not a URL: the types of `URL` differ between Node and Workers). */
  path: string;
  execArgv: string[];
}

/**
 * @param callerUrl the caller's `import.meta.url`
 * @param sourcePath the entry's path relative to the caller, in the source tree (`./entry.ts`)
 * @param builtName the entry's file name in `dist/` (a tsup entry: `quickjs-thread-entry.js`)
 */
export async function findThreadEntry(
  callerUrl: string,
  sourcePath: string,
  builtName: string,
): Promise<ThreadEntry> {
  const [{ existsSync }, { fileURLToPath, pathToFileURL }, { createRequire }] = await Promise.all([
    import("node:fs"),
    import("node:url"),
    import("node:module"),
  ]);
  const at = (relative: string) => fileURLToPath(new URL(relative, callerUrl).href);
  if (callerUrl.endsWith(".ts")) {
    return { path: at(sourcePath), execArgv: tsxImport(callerUrl, createRequire, pathToFileURL) };
  }
  const candidates = [`./${builtName}`, `../${builtName}`].map(at);
  const path = candidates.find((p) => existsSync(p));
  if (!path)
    throw new Error(`the thread entry ${builtName} is missing (looked for ${candidates.join(", ")})`);
  return { path, execArgv: [] };
}

/**
 * True where `node:worker_threads` really runs threads: Node (and runtimes that copy it), not
 * workerd, which reports a Node version under `nodejs_compat` but has no worker threads; its
 * user agent says where we are.
 */
export function workerThreadsAvailable(): boolean {
  const ua = (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent;
  if (ua === "Cloudflare-Workers") return false;
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === "string";
}

/**
 * `execArgv` that loads tsx in a thread running TypeScript source. tsx is resolved from the
 * caller's file, not the working directory (a bare `--import tsx` is resolved from cwd, so a
 * program run from source outside the repository root could not start its threads); where the
 * caller cannot resolve it, the bare specifier is left for Node to try.
 */
export function tsxImport(
  callerUrl: string,
  createRequire: (from: string) => { resolve(id: string): string },
  pathToFileURL: (path: string) => { href: string },
): string[] {
  try {
    return ["--import", pathToFileURL(createRequire(callerUrl).resolve("tsx")).href];
  } catch {
    return ["--import", "tsx"];
  }
}
