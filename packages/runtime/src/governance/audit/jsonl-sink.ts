import { mkdir, open } from "node:fs/promises";
import { dirname } from "node:path";
import type { AuditRecord, AuditSink } from "./record.js";
import { auditLine } from "./serialize.js";

interface Pending {
  line: string;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Appends one JSON line per record to a file (created with its directory when missing). Node
 * only: exported from `@toolpacks/runtime/node`.
 *
 * `write` resolves only after the line is on disk (`fdatasync`), and rejects when it cannot be
 * written or synced (disk full, `/dev/full`, permissions): governance then refuses to send the
 * call. Lines are appended in call order by one writer, so parallel calls never interleave
 * half-lines; records that arrive while a sync is in flight are written and synced together
 * (group commit), so N parallel calls cost about one sync, not N. A failed batch fails only its
 * own records; the next write tries again.
 */
export function jsonlAuditSink(path: string): AuditSink {
  let pending: Pending[] = [];
  let draining: Promise<void> | undefined;
  let directoryReady: Promise<void> | undefined;

  const writeBatch = async (batch: Pending[]) => {
    directoryReady ??= mkdir(dirname(path), { recursive: true }).then(() => undefined);
    await directoryReady.catch((error) => {
      directoryReady = undefined; // try again next time
      throw error;
    });
    const file = await open(path, "a");
    try {
      await file.writeFile(batch.map((p) => `${p.line}\n`).join(""), "utf8");
      await file.datasync();
    } finally {
      await file.close().catch(() => undefined);
    }
  };

  const drain = async () => {
    while (pending.length > 0) {
      const batch = pending;
      pending = [];
      try {
        await writeBatch(batch);
        for (const p of batch) p.resolve();
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
    }
    draining = undefined;
  };

  return {
    write(record: AuditRecord) {
      const line = auditLine(record);
      const written = new Promise<void>((resolve, reject) => pending.push({ line, resolve, reject }));
      draining ??= drain();
      return written;
    },
    flush() {
      // Each write reports its own failure to its caller; flushing only waits for them.
      return draining ?? Promise.resolve();
    },
  };
}
