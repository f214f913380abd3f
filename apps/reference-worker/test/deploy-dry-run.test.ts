import { describe, expect, inject, it } from "vitest";
import type { DryRunOutcome } from "../browser/outcomes.js";

// `wrangler deploy --dry-run`, run from Node in the global setup.
const dryRun = JSON.parse(inject("deployDryRun")) as DryRunOutcome;

describe("wrangler deploy --dry-run", () => {
  it("bundles the Worker and validates its config without a Cloudflare account", () => {
    expect(dryRun.output).toContain("--dry-run: exiting now.");
    expect(dryRun.exitCode).toBe(0);
  });

  it("leaves the TypeScript compiler out of the bundle", () => {
    const kib = Number(/Total Upload: ([\d.]+) KiB/.exec(dryRun.output)?.[1]);
    expect(kib).toBeGreaterThan(0);
    expect(kib).toBeLessThan(8000);
  });

  it("binds the Worker Loader, D1 and the OAuth KV", () => {
    expect(dryRun.output).toMatch(/env\.LOADER\s+Worker Loader/);
    expect(dryRun.output).toMatch(/env\.DB \(toolpacks-reference\)\s+D1 Database/);
    expect(dryRun.output).toMatch(/env\.OAUTH_KV .*KV Namespace/);
  });
});
