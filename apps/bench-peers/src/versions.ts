/**
 * Installed versions of the projects measured, read from their package.json files next to this
 * package (pnpm links every devDependency into its node_modules), so each report prints the
 * version that actually ran.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** apps/bench-peers. */
export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The version of `name` as installed for this package. */
export function installedVersion(name: string): string {
  const file =
    name === "@toolpacks/runtime"
      ? join(PACKAGE_DIR, "..", "..", "packages", "runtime", "package.json")
      : join(PACKAGE_DIR, "node_modules", ...name.split("/"), "package.json");
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}
