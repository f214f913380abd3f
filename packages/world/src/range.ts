import { WorldOptionsError } from "./errors.js";

/** A half-open slice `[start, end)` of an entity kind's indexes; both default to the whole kind. */
export interface IndexRange {
  start?: number;
  end?: number;
}

/** Clamps a range to `[0, count)`; throws WorldOptionsError for non-integer or reversed bounds. */
export function resolveRange(range: IndexRange | undefined, count: number): { start: number; end: number } {
  const start = range?.start ?? 0;
  const end = Math.min(range?.end ?? count, count);
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start) {
    throw new WorldOptionsError(
      "WORLD_INVALID_RANGE",
      `Index range {start: ${start}, end: ${end}} is not usable: bounds must be integers with 0 <= start <= end. Omit it to generate everything.`,
    );
  }
  return { start, end };
}

/** Groups any iterable into arrays of at most `size` items (for batched inserts). */
export function* batches<T>(rows: Iterable<T>, size: number): Generator<T[]> {
  let batch: T[] = [];
  for (const row of rows) {
    batch.push(row);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
