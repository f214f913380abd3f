import type { StoredContinuation } from "./continuation.js";

/**
 * Where continuations live between a suspend and its resume. `save` replaces the run's row
 * atomically (a reader sees the old or the new continuation, never a mix). Implementations:
 * `memoryContinuationStore` (tests, one process), `sqliteContinuationStore` (Node, a file under a
 * state directory, from `@toolpacks/runtime/node`).
 */
export interface ContinuationStore {
  save(record: StoredContinuation): Promise<void> | void;
  load(runId: string): Promise<StoredContinuation | undefined> | StoredContinuation | undefined;
  /** Every stored run, newest first (status and time only: open each to read it). */
  list(): Promise<Array<Omit<StoredContinuation, "sealed">>> | Array<Omit<StoredContinuation, "sealed">>;
  /**
   * Takes the run's lease for `holder` until `expiresAt` (epoch ms), unless another holder's lease
   * is still unexpired at `now`; a holder may renew its own. Answers whether `holder` now holds it,
   * in one atomic step (two processes never both get `true`). A resume or a decision holds the
   * lease while it reads, runs and saves the run, so two of them never work from the same stored
   * continuation. Optional: a store without it does not serialise them across processes (one whose
   * runs are each served by a single object, as a Durable Object is, does not need it).
   */
  claim?(runId: string, holder: string, expiresAt: number, now: number): Promise<boolean> | boolean;
  /** Gives up `holder`'s lease on the run (nothing when another holder has it). */
  release?(runId: string, holder: string): Promise<void> | void;
}

/** A store that serialises resumes and decisions of a run (it has `claim` and `release`). */
export type LeasedContinuationStore = ContinuationStore &
  Required<Pick<ContinuationStore, "claim" | "release">>;

/** Leases in this process's memory (the memory store's). */
function memoryLeases(): Required<Pick<ContinuationStore, "claim" | "release">> {
  const leases = new Map<string, { holder: string; expiresAt: number }>();
  return {
    claim(runId, holder, expiresAt, now) {
      const lease = leases.get(runId);
      if (lease && lease.holder !== holder && lease.expiresAt > now) return false;
      leases.set(runId, { holder, expiresAt });
      return true;
    },
    release(runId, holder) {
      if (leases.get(runId)?.holder === holder) leases.delete(runId);
    },
  };
}

/** A store in this process's memory: continuations are lost when it exits. */
export function memoryContinuationStore(): LeasedContinuationStore & {
  rows: Map<string, StoredContinuation>;
} {
  const rows = new Map<string, StoredContinuation>();
  return {
    rows,
    ...memoryLeases(),
    save(record) {
      rows.set(record.runId, { ...record });
    },
    load(runId) {
      const row = rows.get(runId);
      return row && { ...row };
    },
    list() {
      return [...rows.values()]
        .sort((a, b) => b.updatedAt - a.updatedAt)
        .map(({ sealed: _s, ...row }) => row);
    },
  };
}
