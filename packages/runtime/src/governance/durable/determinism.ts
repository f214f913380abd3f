/**
 * The sandbox's sources of non-determinism, made replayable for durable runs: a program run again
 * from the start on resume must issue the same calls with the same arguments.
 *
 * Inside a durable run `Math.random()` is a PRNG (sfc32) seeded from the continuation,
 * `crypto.getRandomValues`/`crypto.randomUUID` (where the sandbox has them) draw from it, and the
 * clock is the run's start time, frozen: `Date.now()`, `new Date()`, `Date()` and
 * `performance.now()` (0) read the same value on every call, in the first run and in every resume.
 * Seed and clock are recorded in the continuation.
 *
 * Not a security boundary: a program that digs the original `Date` out (`Date.prototype.constructor`)
 * reads the real clock, and its resume then issues different calls and stops with PLAN_DIVERGED.
 */

/** What a durable run records of the sandbox's non-determinism. */
export interface Determinism {
  /** Four unsigned 32-bit integers. */
  seed: number[];
  /** Epoch ms every clock read returns. */
  clockMs: number;
}

/** Fresh non-determinism for a new run: a random seed and the current time. */
export function newDeterminism(now: number = Date.now()): Determinism {
  return { seed: Array.from(crypto.getRandomValues(new Uint32Array(4))), clockMs: now };
}

/**
 * JavaScript that installs the replayable sources, as one line with no declarations (it is put in
 * front of the program's first line, so the program's own names and line numbers are untouched).
 */
export function determinismPrologue(d: Determinism): string {
  const seed = d.seed.map((n) => n >>> 0);
  if (seed.length !== 4 || !Number.isFinite(d.clockMs)) throw new TypeError("bad determinism record");
  return `(function (s, T) { "use strict"; var G = globalThis, D = Date, R = Reflect, a = s[0], b = s[1], c = s[2], d = s[3];
function rnd() { a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0; var t = (a + b) | 0; a = b ^ (b >>> 9); b = (c + (c << 3)) | 0; c = (c << 21) | (c >>> 11); d = (d + 1) | 0; t = (t + d) | 0; c = (c + t) | 0; return (t >>> 0) / 4294967296; }
function now() { return T; }
var P = new Proxy(D, { construct: function (t, args, nt) { return R.construct(t, args.length ? args : [T], nt); }, apply: function () { return new D(T).toString(); }, get: function (t, k, r) { return k === "now" ? now : R.get(t, k, r); } });
Object.defineProperty(G, "Date", { value: P, writable: true, configurable: true });
Math.random = rnd;
if (typeof G.performance === "object" && G.performance) { try { G.performance.now = function () { return 0; }; } catch (e) {} }
if (typeof G.crypto === "object" && G.crypto) { try {
  G.crypto.getRandomValues = function (arr) { var u = new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength); for (var i = 0; i < u.length; i++) u[i] = (rnd() * 256) | 0; return arr; };
  G.crypto.randomUUID = function () { var h = "", i, x; for (i = 0; i < 32; i++) { x = (rnd() * 16) | 0; if (i === 12) x = 4; if (i === 16) x = (x & 3) | 8; h += x.toString(16); } return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20); };
} catch (e) {} }
for (var i = 0; i < 12; i++) rnd();
})(${JSON.stringify(seed)}, ${d.clockMs});`.replace(/\n/g, " ");
}
