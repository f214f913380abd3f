import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = new URL("../", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), "utf8");

describe("published package", () => {
  it("ships the toolpacks-billing launcher, which runs the built CLI", () => {
    const pkg = JSON.parse(read("package.json")) as { bin: Record<string, string>; files: string[] };
    expect(pkg.bin["toolpacks-billing"]).toBe("./bin/toolpacks-billing.js");
    expect(pkg.files).toContain("bin");
    const launcher = read("bin/toolpacks-billing.js");
    expect(launcher.startsWith("#!/usr/bin/env node\n")).toBe(true);
    expect(launcher).toContain('import("../dist/bin.js")');
    expect(read("tsup.config.ts")).toMatch(/bin: "src\/bin\.ts"/);
  });

  it("started from the repository checkout, either runs or says to use pnpm toolpacks-billing, never a stack", () => {
    const run = spawnSync(
      process.execPath,
      [fileURLToPath(new URL("bin/toolpacks-billing.js", root)), "--help"],
      {
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    if (run.status === 0) expect(run.stdout).toContain("Usage: toolpacks-billing");
    else {
      expect(run.status).toBe(1);
      expect(run.stderr).toContain("run `pnpm toolpacks-billing …` from the root");
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
