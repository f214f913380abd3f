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
}

/** A store in this process's memory: continuations are lost when it exits. */
export function memoryContinuationStore(): ContinuationStore & { rows: Map<string, StoredContinuation> } {
  const rows = new Map<string, StoredContinuation>();
  return {
    rows,
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
