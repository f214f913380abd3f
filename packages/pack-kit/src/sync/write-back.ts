import type { PushResult } from "../connect/types.js";
import type { PackDefinition } from "../pack/define-pack.js";
import { getMeta } from "../store/meta.js";
import type { ReadStore } from "../store/types.js";
import { SyncError } from "./errors.js";
import { readSyncRuns } from "./state.js";
import type { SourceWrite } from "./types.js";

/** `_meta` key of the API address a pack's store was last synced from (`--base-url`). */
export const baseUrlKey = (pack: string, system: string) => `sync.${pack}.${system}.base_url`;

/** A function that applies a pack write at its source system first. */
export type WriteBack = (write: SourceWrite, idempotencyKey: string) => Promise<PushResult>;

/**
 * The write-back of a store synced from a system of record, or undefined when the store was
 * never synced (writes then change the store only). When the source cannot be built (its
 * credential is unset), or has no write-back, every write is refused with the reason, because a
 * write recorded only locally would be undone by the next sync.
 */
export async function writeBackFor(
  store: ReadStore,
  pack: PackDefinition,
  env: Record<string, string | undefined>,
): Promise<WriteBack | undefined> {
  const runs = await readSyncRuns(store, pack.name);
  const spec = (pack.syncSources ?? []).find((s) => runs.some((r) => r.system === s.system));
  if (!spec) return undefined;
  const baseUrl = await getMeta(store, baseUrlKey(pack.name, spec.system));
  let failure: unknown;
  try {
    const source = spec.create({ env, baseUrl });
    if (source.push) return source.push;
    failure = new SyncError(
      "unsupported_write",
      `This store is kept in sync with ${spec.system}, which the ${pack.name} pack does not write back to. Fix: make the change in ${spec.system}; the next sync brings it in.`,
    );
  } catch (error) {
    failure = error;
  }
  return async () => {
    throw failure;
  };
}
