import { describe, expect, inject, it } from "vitest";
import type { DryRunOutcome } from "../browser/outcomes.js";

// `wrangler deploy --dry-run`, run from Node in the global setup.
const dryRun = JSON.parse(inject("deployDryRun")) as DryRunOutcome;

describe("wrangler deploy --dry-run", () => {
  it("bundles the Worker and validates its config without a Cloudflare account", () => {
    expect(dryRun.output).toContain("--dry-run: exiting now.");
    expect(dryRun.exitCode).toBe(0);
  });

  it("leaves the TypeScript compiler and the HubSpot client out, and fits the free plan's 3 MB (gzip)", () => {
    const [, raw, gzip] = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(dryRun.output) ?? [];
    // Measured 8,061 KiB / gzip 1,527 KiB on 2026-12-02. The TypeScript compiler would add about
    // 9 MB and @hubspot/api-client about 10 MB (both aliased away in wrangler.jsonc).
    expect(Number(raw)).toBeGreaterThan(0);
    expect(Number(raw)).toBeLessThan(9000);
    expect(Number(gzip)).toBeLessThan(3000);
  });

  it("binds the Worker Loader, D1 and the OAuth KV", () => {
    expect(dryRun.output).toMatch(/env\.LOADER\s+Worker Loader/);
    expect(dryRun.output).toMatch(/env\.DB \(toolpacks-reference\)\s+D1 Database/);
    expect(dryRun.output).toMatch(/env\.OAUTH_KV .*KV Namespace/);
  });
});
