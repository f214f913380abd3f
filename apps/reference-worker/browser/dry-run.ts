/**
 * `wrangler deploy --dry-run`: bundles the Worker exactly as a deploy would and validates the
 * config, without a Cloudflare account. Run from the vitest global setup (Node).
 */
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DryRunOutcome } from "./outcomes.js";

/** Runs the dry-run deploy in `root` (the app's directory). Never throws. */
export function deployDryRun(root: string): Promise<DryRunOutcome> {
  const outdir = mkdtempSync(join(tmpdir(), "toolpacks-dry-run-"));
  return new Promise((resolve) => {
    execFile(
      join(root, "node_modules/.bin/wrangler"),
      ["deploy", "--dry-run", "--outdir", outdir],
      { cwd: root, env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" }, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ exitCode: code, output: `${stdout}\n${stderr}`.slice(-4000) });
      },
    );
  });
}
