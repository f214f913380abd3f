import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const TSX_LOADER = pathToFileURL(
  createRequire(new URL("../../../../package.json", import.meta.url)).resolve("tsx"),
).href;
const CODE_MODE = pathToFileURL(fileURLToPath(new URL("../code-mode.ts", import.meta.url))).href;
const THREADS = pathToFileURL(fileURLToPath(new URL("./quickjs-thread/executor.ts", import.meta.url))).href;

describe("thread executors run from source outside the repository root", () => {
  it("start their worker threads (tsx resolved from the runtime, not the working directory)", async () => {
    // A directory with no node_modules: a bare `--import tsx` in the threads cannot resolve here.
    const dir = mkdtempSync(join(tmpdir(), "toolpacks-cwd-"));
    try {
      const script = join(dir, "run.mjs");
      writeFileSync(
        script,
        `const { createCodeMode } = await import(${JSON.stringify(CODE_MODE)});
const { createQuickJSThreadExecutor } = await import(${JSON.stringify(THREADS)});
const cm = await createCodeMode({ sources: [], executor: createQuickJSThreadExecutor({ threads: 1 }) });
const run = await cm.execute("const xs: number[] = [1, 2, 3]; return xs.reduce((a, b) => a + b, 0)");
await cm.close();
process.stdout.write(JSON.stringify({ ok: run.ok, result: run.result, error: run.error }));
process.exit(0);
`,
      );
      const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          ["--import", TSX_LOADER, script],
          { cwd: dir, timeout: 120_000 },
          (_e, so, se) => resolve({ stdout: so, stderr: se }),
        );
      });
      expect(JSON.parse(stdout || "null"), stderr).toEqual({ ok: true, result: 6 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);
});
