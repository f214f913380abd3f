/**
 * Is a process's RSS flat under steady load? Samples after a warm-up are cut into thirds; RSS is
 * flat when the last third's mean is within `tolerance` of the first third's AND RSS is not still
 * climbing at the end: the least-squares slope over the last half of the samples, projected over
 * the whole sampled window, must stay within half the tolerance. A short run that still rises at
 * its end is never flat, however small its total rise. When the thirds differ but the end is level,
 * RSS has levelled off (allocator high-water: pages taken once and kept, bounded): a plateau.
 */
export interface RssVerdict {
  verdict: "flat" | "plateau" | "growing" | "too few samples";
  /** Samples used (after the warm-up). */
  samples: number;
  firstThirdMiB: number;
  lastThirdMiB: number;
  /** (last third − first third) / first third. */
  growth: number;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / (xs.length || 1);

/** Least-squares slope of `ys` against their index (units per sample). */
function slope(ys: readonly number[]): number {
  const n = ys.length;
  if (n < 2) return 0;
  const xMean = (n - 1) / 2;
  const yMean = mean(ys);
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (i - xMean) * ((ys[i] as number) - yMean);
    den += (i - xMean) ** 2;
  }
  return num / den;
}

/** The verdict on RSS samples (MiB, in time order) taken after `warmup` samples were dropped. */
export function rssVerdict(samples: readonly number[], warmup: number, tolerance = 0.1): RssVerdict {
  const used = samples.slice(warmup).filter(Number.isFinite);
  const third = Math.floor(used.length / 3);
  if (third < 2) {
    return {
      verdict: "too few samples",
      samples: used.length,
      firstThirdMiB: Number.NaN,
      lastThirdMiB: Number.NaN,
      growth: Number.NaN,
    };
  }
  const first = mean(used.slice(0, third));
  const lastThird = used.slice(-third);
  const last = mean(lastThird);
  const growth = (last - first) / first;
  const endRise = (slope(used.slice(Math.floor(used.length / 2))) * used.length) / last;
  const verdict = endRise > tolerance / 2 ? "growing" : growth <= tolerance ? "flat" : "plateau";
  return { verdict, samples: used.length, firstThirdMiB: first, lastThirdMiB: last, growth };
}
