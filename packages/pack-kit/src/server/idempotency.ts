import type { ReadStore, Statement } from "../store/types.js";

/** JSON with object keys sorted at every level, so equal arguments hash equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/** Hex SHA-256 of the canonical JSON of `value` (Web Crypto: Node and Workers alike). */
export async function argumentsHash(value: unknown): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(canonicalJson(value)));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A stored first answer of a keyed write. */
export interface IdempotencyRecord {
  pack: string;
  tool: string;
  argsHash: string;
  result: Record<string, unknown>;
}

/** The stored record for `key`, or `undefined` when the key was never used. */
export async function findIdempotencyRecord(
  store: ReadStore,
  key: string,
): Promise<IdempotencyRecord | undefined> {
  const row = await store.first<{ pack: string; tool: string; args_hash: string; result: string }>(
    "SELECT pack, tool, args_hash, result FROM _idempotency WHERE key = ?",
    [key],
  );
  if (!row) return undefined;
  return { pack: row.pack, tool: row.tool, argsHash: row.args_hash, result: JSON.parse(row.result) };
}

/**
 * The statement that records a keyed write. It goes first in the write's atomic batch: a
 * concurrent duplicate hits the primary key, its whole batch rolls back, and it replays instead.
 */
export function idempotencyInsert(key: string, record: IdempotencyRecord): Statement {
  return {
    sql: "INSERT INTO _idempotency (key, pack, tool, args_hash, result, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    params: [
      key,
      record.pack,
      record.tool,
      record.argsHash,
      JSON.stringify(record.result),
      new Date().toISOString(),
    ],
  };
}
