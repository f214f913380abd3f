/**
 * Seeded randomness that gives the same numbers on every machine: 32-bit integer
 * mixing only (Math.imul, >>>), so no platform float or locale behaviour leaks in.
 * Every entity draws from its own stream, keyed by (seed, kind, index), which is
 * what lets a caller generate deal 91_000 without generating deals 0..90_999.
 */

/** FNV-1a 32-bit hash of a string: turns an entity kind ("deal") into a stream salt. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** murmur3's finaliser: a bijective 32-bit mix, so distinct inputs stay distinct. */
export function mix32(value: number): number {
  let x = value >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

const kindSalts = new Map<string, number>();

/** The 32-bit state of the stream for one entity: (seed, kind, index) -> state. */
export function entityState(seed: number, kind: string, index: number): number {
  let salt = kindSalts.get(kind);
  if (salt === undefined) {
    salt = hashString(kind);
    kindSalts.set(kind, salt);
  }
  // Two rounds so neighbouring indexes and neighbouring seeds decorrelate.
  return mix32(mix32(seed ^ salt) + Math.imul(index + 1, 0x9e3779b1));
}

/**
 * A small PRNG (mulberry32, a splitmix-style generator): fast, 32-bit state,
 * good enough for synthetic data, NOT for anything security related.
 */
export class Rng {
  private state: number;

  constructor(state: number) {
    this.state = state | 0;
  }

  /** Uniform float in [0, 1). */
  float(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** One element of a non-empty list, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)]!;
  }

  /** One element of a non-empty list, with the given relative weights. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    let total = 0;
    for (const w of weights) total += w;
    let u = this.float() * total;
    for (let i = 0; i < items.length; i++) {
      u -= weights[i]!;
      if (u < 0) return items[i]!;
    }
    return items[items.length - 1]!;
  }

  /** Standard normal deviate (Box-Muller). */
  normal(): number {
    const u = 1 - this.float();
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal deviate with the given median and log-space spread: a right-skewed size. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /**
   * Index in [0, n) skewed towards 0: `skew` 1 is uniform, larger is more
   * concentrated (a few popular accounts or SKUs take most of the volume).
   */
  skewedIndex(n: number, skew: number): number {
    return Math.min(n - 1, Math.floor(n * this.float() ** skew));
  }
}

/** The generator for one entity of one kind in one world. */
export function entityRng(seed: number, kind: string, index: number): Rng {
  return new Rng(entityState(seed, kind, index));
}
