/**
 * Vitest global setup (Node): what cannot run inside workerd runs here once, and its outcome
 * goes to the workerd tests through `provide` — the run inspector in Chromium, and
 * `wrangler deploy --dry-run`. Both run concurrently to keep the suite short.
 */
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { deployDryRun } from "./dry-run.js";
import { checkInspectorInBrowser } from "./inspector-check.js";

export default async function setup(project: TestProject): Promise<void> {
  const root = fileURLToPath(new URL("..", import.meta.url).href);
  const [seen, dryRun] = await Promise.all([checkInspectorInBrowser(), deployDryRun(root)]);
  project.provide("inspectorSeen", JSON.stringify(seen));
  project.provide("deployDryRun", JSON.stringify(dryRun));
}
