/**
 * Is a process's RSS flat under steady load? Samples after a warm-up are cut into thirds; RSS is
 * flat when the last third's mean is within `tolerance` of the first third's. When it is not, it
 * may still have levelled off (allocator high-water: pages taken once and kept, bounded): that is
 * a plateau when the last third's two halves are within the tolerance of each other.
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
  const half = Math.floor(lastThird.length / 2);
  const early = mean(lastThird.slice(0, half));
  const late = mean(lastThird.slice(half));
  const verdict =
    growth <= tolerance ? "flat" : (late - early) / early <= tolerance / 2 ? "plateau" : "growing";
  return { verdict, samples: used.length, firstThirdMiB: first, lastThirdMiB: last, growth };
}
