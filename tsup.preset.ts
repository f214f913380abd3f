import { defineConfig, type Options } from "tsup";

/**
 * The one build preset every publishable package uses: ESM only, typed,
 * tree-shakable. Dependencies stay external (tsup's default) so a pack never
 * ships a second copy of the MCP SDK or zod.
 */
export function packagePreset(entry: Record<string, string>, overrides: Options = {}) {
  return defineConfig({
    entry,
    format: ["esm"],
    target: "node22",
    platform: "neutral",
    dts: true,
    sourcemap: true,
    clean: true,
    treeshake: true,
    splitting: true,
    outDir: "dist",
    ...overrides,
  });
}
