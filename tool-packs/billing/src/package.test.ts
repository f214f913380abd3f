import { readFileSync } from "node:fs";
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
    expect(launcher).toContain('import "../dist/bin.js";');
    expect(read("tsup.config.ts")).toMatch(/bin: "src\/bin\.ts"/);
  });
});
