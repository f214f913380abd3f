import { z } from "zod";
import { ToolError } from "../errors.js";
import { canonicalJson } from "../server/idempotency.js";
import type { ReadStore, SqlValue } from "../store/types.js";

/** Options of `pageInputShape`. */
export interface PageShapeOptions {
  /** Items per page when `limit` is omitted (default 10). */
  defaultLimit?: number;
  /** Largest `limit` accepted (default 50): the budget guard's first line of defence. */
  maxLimit?: number;
}

/** `limit` and `cursor` fields to spread into a tool's input `z.object({...})`. */
export function pageInputShape(options: PageShapeOptions = {}) {
  const max = options.maxLimit ?? 50;
  return {
    limit: z
      .number()
      .int()
      .min(1)
      .max(max)
      .default(options.defaultLimit ?? 10)
      .describe(`how many items to return (1-${max})`),
    cursor: z
      .string()
      .max(512)
      .optional()
      .describe("next_cursor from a previous answer, to get the next page; omit for the first page"),
  };
}

/** The `next_cursor` output field: an opaque string, or null on the last page. */
export const nextCursorSchema = z
  .string()
  .nullable()
  .describe(
    "pass as `cursor` with the same other arguments to get the next page; null when there is no more",
  );

/** What a paged tool's input carries. */
export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}

// FNV-1a: a cursor only needs to notice that the filters changed, not resist forgery.
function fingerprint(filters: unknown): string {
  let hash = 0x811c9dc5;
  for (const char of canonicalJson(filters ?? null)) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}

/** Encodes an offset into an opaque cursor bound to the query's filters. */
export function encodeCursor(offset: number, filters: unknown): string {
  return btoa(JSON.stringify({ o: offset, f: fingerprint(filters) }))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/**
 * The offset a cursor points at (0 without a cursor). Throws a `ToolError` (`invalid_cursor`)
 * when the cursor is malformed or was issued for other filters.
 */
export function decodeCursor(cursor: string | undefined, filters: unknown): number {
  if (cursor === undefined || cursor === "") return 0;
  let payload: { o?: unknown; f?: unknown } | undefined;
  try {
    payload = JSON.parse(atob(cursor.replace(/-/g, "+").replace(/_/g, "/")));
  } catch {
    payload = undefined;
  }
  const offset = payload?.o;
  if (typeof offset !== "number" || !Number.isInteger(offset) || offset < 0) {
    throw new ToolError("invalid_cursor", "The cursor is not one this tool issued.", {
      fix: "pass next_cursor exactly as returned, or omit cursor to start from the first page.",
    });
  }
  if (payload?.f !== fingerprint(filters)) {
    throw new ToolError("invalid_cursor", "The cursor belongs to a call with different arguments.", {
      fix: "repeat the other arguments of the call that returned this cursor, or omit cursor to start over.",
    });
  }
  return offset;
}

/** One page of items and the cursor of the next. */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/**
 * Runs `sql` (without LIMIT/OFFSET; give it a stable ORDER BY) for one page: fetches one row
 * more than `limit` to know whether another page exists. `filters` are the arguments that shape
 * the query (everything but limit and cursor); a cursor only works with the same filters.
 */
export async function queryPage<T extends object>(
  store: ReadStore,
  sql: string,
  params: readonly SqlValue[],
  page: PageRequest,
  filters: unknown,
): Promise<Page<T>> {
  const offset = decodeCursor(page.cursor, filters);
  const rows = await store.all<T>(`${sql} LIMIT ? OFFSET ?`, [...params, page.limit + 1, offset]);
  const more = rows.length > page.limit;
  return {
    items: rows.slice(0, page.limit),
    next_cursor: more ? encodeCursor(offset + page.limit, filters) : null,
  };
}
