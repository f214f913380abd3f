import { dayOf } from "./calendar.js";
import { WorldOptionsError } from "./errors.js";

/** Smallest and largest supported `scale` (approximate total rows over the four systems). */
export const MIN_SCALE = 1_000;
export const MAX_SCALE = 10_000_000;

/** The reference date every world answers "as of" unless told otherwise. */
export const DEFAULT_AS_OF = "2026-06-30";

/** How far back generated history reaches from `asOf`, in days. */
export const HISTORY_DAYS = 540;

/** Options of one world. */
export interface WorldOptions {
  /** Approximate total number of rows over all four systems, 1_000 to 10_000_000. */
  scale: number;
  /** Any safe integer; the same (seed, scale, asOf) gives the same world everywhere. Default 1. */
  seed?: number;
  /** Reference date `YYYY-MM-DD`; history lies before it, open pipeline after it. */
  asOf?: string;
}

/**
 * Counts of the entities whose number is fixed by `scale` alone. Children whose
 * number varies (deal lines, activities, orders, invoices, payments...) follow from
 * these; `worldSummary` counts them exactly.
 */
export interface WorldPlan {
  scale: number;
  customers: number;
  contacts: number;
  owners: number;
  products: number;
  locations: number;
  suppliers: number;
  deals: number;
  purchaseOrders: number;
  /** Adjustments and transfers (receipts follow from purchase orders, issues from shipments). */
  movements: number;
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/** Entity counts for a scale; ratios are tuned so all generated rows sum to about `scale`. */
export function worldPlan(scale: number): WorldPlan {
  if (!Number.isInteger(scale) || scale < MIN_SCALE || scale > MAX_SCALE) {
    throw new WorldOptionsError(
      "WORLD_INVALID_SCALE",
      `World scale ${scale} is not usable: it must be an integer number of rows from ${MIN_SCALE} to ${MAX_SCALE}. Pass e.g. { scale: 100_000 }.`,
    );
  }
  const customers = Math.max(8, Math.round(scale * 0.016));
  const products = Math.max(20, Math.round(1.2 * Math.sqrt(scale)));
  return {
    scale,
    customers,
    contacts: Math.round(customers * 2.5),
    owners: clamp(Math.round(customers / 150), 4, 80),
    products,
    locations: clamp(Math.round(Math.log10(scale)), 2, 9),
    suppliers: clamp(Math.round(products / 15), 3, 150),
    deals: Math.round(scale * 0.08),
    purchaseOrders: Math.round(scale * 0.01),
    movements: Math.round(scale * 0.01),
  };
}

/** Validated options with defaults applied. */
export interface ResolvedWorldOptions {
  scale: number;
  seed: number;
  asOf: string;
  asOfDay: number;
}

/** Checks world options and applies defaults; throws WorldOptionsError with a fix. */
export function resolveWorldOptions(options: WorldOptions): ResolvedWorldOptions {
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(seed)) {
    throw new WorldOptionsError(
      "WORLD_INVALID_SEED",
      `World seed ${String(seed)} is not usable: it must be a safe integer. Pass e.g. { seed: 42 }.`,
    );
  }
  const asOf = options.asOf ?? DEFAULT_AS_OF;
  const asOfDay = dayOf(asOf);
  if (Number.isNaN(asOfDay)) {
    throw new WorldOptionsError(
      "WORLD_INVALID_AS_OF",
      `World asOf "${asOf}" is not a calendar date: write it as YYYY-MM-DD, e.g. "${DEFAULT_AS_OF}".`,
    );
  }
  worldPlan(options.scale);
  // Fold seeds beyond 32 bits so 2^32 + 1 and 1 still differ.
  const folded = (seed % 4294967296) ^ Math.floor(seed / 4294967296);
  return { scale: options.scale, seed: folded >>> 0, asOf, asOfDay };
}
