/** Summary of a set of timings in milliseconds. */
export interface Timing {
  samples: number;
  p50: number;
  p99: number;
  mean: number;
}

/** The value below which `p` (0..1) of the sorted samples fall (nearest rank). NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** p50, p99 and mean of timings (ms). */
export function summarize(samples: readonly number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, v) => sum + v, 0) / (sorted.length || 1);
  return { samples: sorted.length, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), mean };
}

/**
 * How latency grows with data: the slope of log(latency) against log(rows) between the smallest
 * and largest size. 0 = flat (indexed lookups), 1 = linear (scans), NaN without two sizes.
 */
export function growthExponent(points: ReadonlyArray<{ rows: number; ms: number }>): number {
  const valid = points.filter((p) => p.rows > 0 && p.ms > 0);
  const first = valid[0];
  const last = valid.at(-1);
  if (!first || !last || first === last) return Number.NaN;
  return Math.log(last.ms / first.ms) / Math.log(last.rows / first.rows);
}
