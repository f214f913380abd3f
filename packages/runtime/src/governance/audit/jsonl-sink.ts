import { appendFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { AuditRecord, AuditSink } from "./record.js";

/**
 * Appends one JSON line per call to a file (created with its directory when missing). Node only:
 * exported from `@toolpacks/runtime/node`. Lines are appended in call order through one queue,
 * so parallel calls never interleave half-lines.
 */
export function jsonlAuditSink(path: string): AuditSink {
  let queue: Promise<void> = mkdir(dirname(path), { recursive: true }).then(() => undefined);
  return {
    write(record: AuditRecord) {
      const line = `${JSON.stringify(record)}\n`;
      queue = queue.then(() => appendFile(path, line, "utf8"));
      return queue;
    },
    flush() {
      return queue;
    },
  };
}
