/**
 * Deterministic stand-ins for the identifiers, timestamps and URLs vendor APIs return. Real vendor
 * ids are random-looking strings that tokenize poorly; sequential ids would undercount them, so
 * each id here is a pseudo-random string of the vendor's length derived from the world's own id.
 */

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** 32-bit FNV-1a of a string: the seed of one id. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: a small PRNG, enough to spread characters (not for anything secret). */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `length` base-62 characters derived from `key` (same key, same string). */
export function randomish(key: string, length: number): string {
  const next = prng(fnv1a(key));
  let out = "";
  for (let i = 0; i < length; i++) out += BASE62[Math.floor(next() * 62)];
  return out;
}

/** A Stripe object id: `cus_` + 14 characters, `in_`/`sub_`/`il_`... + 24, as Stripe issues them. */
export function stripeId(prefix: string, key: string): string {
  return `${prefix}_${randomish(`${prefix}:${key}`, prefix === "cus" ? 14 : 24)}`;
}

/** A numeric id of `digits` digits derived from `key` (HubSpot and Shopify ids are large integers). */
export function numericId(key: string, digits: number): number {
  const next = prng(fnv1a(key));
  let out = 1 + Math.floor(next() * 9);
  for (let i = 1; i < digits; i++) out = out * 10 + Math.floor(next() * 10);
  return out;
}

/** Unix seconds of a `YYYY-MM-DD` day at a time of day spread by `key` (vendors stamp real times). */
export function unixSeconds(day: string, key = ""): number {
  const midnight = Date.parse(`${day}T00:00:00Z`) / 1000;
  return midnight + (fnv1a(key) % 86_400);
}

/** ISO timestamp with milliseconds (HubSpot), for a day and a spreading key. */
export function isoMillis(day: string, key = ""): string {
  return new Date(unixSeconds(day, key) * 1000 + (fnv1a(`ms:${key}`) % 1000)).toISOString();
}

/** ISO timestamp with an offset and no milliseconds (Shopify REST: `2026-11-20T14:03:11-05:00`). */
export function isoOffset(day: string, key = ""): string {
  return `${new Date(unixSeconds(day, key) * 1000).toISOString().slice(0, 19)}-05:00`;
}

/** Decimal string of minor units, `"1234.50"` (HubSpot amounts, Shopify prices). */
export function decimal(minor: number): string {
  return (minor / 100).toFixed(2);
}

/** A lowercase slug of a name, for e-mail domains and handles. */
export function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "customer"
  );
}
