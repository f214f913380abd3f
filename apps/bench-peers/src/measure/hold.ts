/**
 * Memory per concurrent run: K runs are started and each parks in a host tool (`t.gate()`) until
 * released, so all K sandboxes are alive at once while the caller reads the process's memory.
 * A project that serialises its runs parks fewer than K; `arrived` says how many were alive.
 */
import type { PeerAdapter, PeerLimits } from "../adapter.js";

export const HOLD_PROGRAM =
  "const a = new Array(1000).fill(0).map((_, i) => ({ i }));\nawait t.gate();\nreturn a.length;";
export const HOLD_BINDINGS: Record<string, string[]> = { t: ["gate"] };

export interface HeldRuns {
  /** Resolves when `k` runs are parked or `waitMs` passed, with how many are parked. */
  parked: Promise<number>;
  /** Lets every parked run finish; resolves when all K runs have ended. */
  release(): Promise<{ ok: number; failed: number }>;
}

export function holdRuns(adapter: PeerAdapter, k: number, limits: PeerLimits, waitMs: number): HeldRuns {
  let arrived = 0;
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  let announce: (n: number) => void = () => {};
  const parked = new Promise<number>((resolve) => {
    announce = resolve;
  });
  const timer = setTimeout(() => announce(arrived), waitMs);
  const callTool = async () => {
    arrived++;
    if (arrived === k) {
      clearTimeout(timer);
      announce(arrived);
    }
    await gate;
    return null;
  };
  const runs = Array.from({ length: k }, () =>
    adapter.run({ code: HOLD_PROGRAM, bindings: HOLD_BINDINGS, callTool, limits }),
  );
  return {
    parked,
    async release() {
      clearTimeout(timer);
      open();
      const results = await Promise.all(runs);
      const ok = results.filter((r) => r.ok).length;
      return { ok, failed: results.length - ok };
    },
  };
}
