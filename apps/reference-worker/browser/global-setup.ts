/**
 * Vitest global setup (Node): what cannot run inside workerd runs here once, and its outcome
 * goes to the workerd tests through `provide` — the run inspector in Chromium, and
 * `wrangler deploy --dry-run`, and the Worker on Postgres through Hyperdrive under `wrangler dev`,
 * one after the other.
 */
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { deployDryRun } from "./dry-run.js";
import { checkHyperdrive } from "./hyperdrive-check.js";
import { checkInspectorInBrowser } from "./inspector-check.js";

export default async function setup(project: TestProject): Promise<void> {
  const root = fileURLToPath(new URL("..", import.meta.url).href);
  // One after the other: both bundle the Worker with wrangler in the same directory.
  const dryRun = await deployDryRun(root);
  // wrangler dev keeps state and caches relative to the working directory; run it from the app's
  // own directory as `pnpm --filter reference-worker dev` does, whichever directory vitest ran from.
  const cwd = process.cwd();
  process.chdir(root);
  let seen: Awaited<ReturnType<typeof checkInspectorInBrowser>>;
  try {
    seen = await checkInspectorInBrowser();
  } finally {
    process.chdir(cwd);
  }
  // After the browser check, not beside it: both run wrangler dev from this directory.
  const hyperdrive = await checkHyperdrive(root);
  project.provide("inspectorSeen", JSON.stringify(seen));
  project.provide("hyperdriveSeen", JSON.stringify(hyperdrive));
  project.provide("deployDryRun", JSON.stringify(dryRun));
}
