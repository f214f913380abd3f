import { provenanceAsOf } from "../connect/provenance.js";
import { ensureKitTables } from "./kit-tables.js";
import type { ReadStore, Store } from "./types.js";

/** `_meta` key of the world's reference date (`YYYY-MM-DD`). */
export const AS_OF_KEY = "world.as_of";

/** Reads one `_meta` value, or `undefined` when unset (or the table does not exist yet). */
export async function getMeta(store: ReadStore, key: string): Promise<string | undefined> {
  try {
    const row = await store.first<{ value: string }>("SELECT value FROM _meta WHERE key = ?", [key]);
    return row?.value;
  } catch {
    return undefined;
  }
}

/** Sets one `_meta` value (insert or replace). */
export async function setMeta(store: Store, key: string, value: string): Promise<void> {
  await ensureKitTables(store);
  await store.run(
    "INSERT INTO _meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    [key, value],
  );
}

/** Records the world's as-of date. Throws on anything but a `YYYY-MM-DD` date. */
export async function setAsOf(store: Store, date: string): Promise<void> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date))) {
    throw new RangeError(`as-of date must be YYYY-MM-DD, got ${JSON.stringify(date)}`);
  }
  await setMeta(store, AS_OF_KEY, date);
}

/**
 * The date answers are as of. Given a pack: the `as_of` of its data from provenance (the newest
 * import when it holds imported data, else its world seed). Otherwise, or when provenance has
 * nothing: the world's as-of date from `_meta`, then today's UTC date.
 */
export async function getAsOf(store: ReadStore, pack?: string): Promise<string> {
  const fromProvenance = pack === undefined ? undefined : await provenanceAsOf(store, pack);
  return fromProvenance ?? (await getMeta(store, AS_OF_KEY)) ?? new Date().toISOString().slice(0, 10);
}
