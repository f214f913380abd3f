import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * Keeps committed fixture files equal to what their generator renders. With
 * `UPDATE_FIXTURES=1` in the environment it (re)writes them; otherwise it returns the names of
 * the files that differ from the generator's output or are missing, so a test can fail on them.
 * Committed files let a reader open the exact bytes a test imports; the generator keeps the
 * exact values behind them.
 */
export async function syncFixtureFiles(
  dir: string,
  files: Readonly<Record<string, string>>,
): Promise<string[]> {
  if (process.env.UPDATE_FIXTURES === "1") {
    await mkdir(dir, { recursive: true });
    for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
    return [];
  }
  const stale: string[] = [];
  for (const [name, content] of Object.entries(files)) {
    const committed = await readFile(join(dir, name), "utf8").catch(() => undefined);
    if (committed !== content) stale.push(name);
  }
  return stale;
}
