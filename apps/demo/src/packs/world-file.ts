import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openPackSession } from "./session.js";

/** A seeded world kept in a SQLite file, copied for each run that writes. */
export interface WorldFile {
  /** The seeded template; never opened for writing after it is built. */
  readonly path: string;
  /** Copies the template to a fresh file and returns its path (a run's private world). */
  fork(name: string): Promise<string>;
  /** Deletes the template and every fork. */
  remove(): Promise<void>;
}

/**
 * Generates and seeds a world for the packs once, into a temporary SQLite file. Forking copies the
 * file, which is much faster than seeding again, so each mode of each task starts from the same
 * world without seeing the other's writes.
 */
export async function buildWorldFile(
  packs: readonly string[],
  options: { scale: number; seed: number },
): Promise<WorldFile> {
  const dir = await mkdtemp(join(tmpdir(), "toolpacks-world-"));
  const path = join(dir, "template.sqlite");
  const session = await openPackSession(packs, { db: path, ...options });
  // Closing checkpoints the write-ahead log into the file, so a plain copy is a complete world.
  await session.close();
  let forks = 0;
  return {
    path,
    async fork(name) {
      const target = join(dir, `${++forks}-${name.replace(/[^a-z0-9-]/gi, "_")}.sqlite`);
      await copyFile(path, target);
      return target;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
