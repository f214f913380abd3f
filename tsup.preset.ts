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
    // Keep `node:` specifiers: `node:sqlite` has no bare-name alias, and stripping the
    // prefix (tsup's default) breaks it in the published build.
    removeNodeProtocol: false,
    // The root entries run anywhere (platform "neutral"); runtime built-ins stay imports.
    external: [/^node:/, /^cloudflare:/],
    ...overrides,
  });
}
