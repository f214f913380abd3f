import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { jsonlAuditSink } from "./jsonl-sink.js";
import type { AuditRecord } from "./record.js";
import { auditLine } from "./serialize.js";

// Records every file operation the sink makes, so the test can see a write resolve only after
// its data was synced; `failNextWrite` makes the next file write fail like a full disk.
const ops = vi.hoisted(() => ({ log: [] as string[], failNextWrite: false }));
vi.mock("node:fs/promises", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs/promises")>();
  return {
    ...real,
    open: async (...args: Parameters<typeof real.open>) => {
      const handle = await real.open(...args);
      return new Proxy(handle, {
        get(target, prop) {
          const value = Reflect.get(target, prop, target);
          if (prop === "writeFile")
            return async (data: string, enc: BufferEncoding) => {
              if (ops.failNextWrite) {
                ops.failNextWrite = false;
                throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
              }
              ops.log.push(`write ${data.split("\n").length - 1}`);
              return target.writeFile(data, enc);
            };
          if (prop === "datasync")
            return async () => {
              await target.datasync();
              ops.log.push("datasync");
            };
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
    },
  };
});

const record = (position: number, extra: Partial<AuditRecord> = {}): AuditRecord => ({
  callId: `c${position}`,
  phase: "intent",
  ts: "2026-01-01T00:00:00.000Z",
  runId: "r",
  principal: null,
  role: null,
  server: "billing",
  tool: "record_payment",
  kind: "write",
  argsDigest: "ab".repeat(32),
  decision: "allow",
  dryRun: false,
  durationMs: 0,
  resultBytes: 0,
  outcome: "pending",
  idempotencyKey: "tp1_x",
  position,
  ...extra,
});
const tmpFile = () => join(mkdtempSync(join(tmpdir(), "tp-jsonl-")), "nested", "audit.jsonl");
const lines = (file: string) =>
  readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));

describe("the JSONL audit sink", () => {
  it("resolves a write only after its line is synced to disk; parallel writes share one sync, in order", async () => {
    ops.log.length = 0;
    const file = tmpFile();
    const sink = jsonlAuditSink(file);
    await sink.write(record(0));
    expect(ops.log).toEqual(["write 1", "datasync"]);
    const resolvedAfter: number[] = [];
    await Promise.all(
      [1, 2, 3, 4].map((i) =>
        Promise.resolve(sink.write(record(i))).then(() => resolvedAfter.push(ops.log.length)),
      ),
    );
    // Each write resolved after a sync that covered it; the 4 parallel lines took at most 2 syncs.
    for (const n of resolvedAfter) expect(ops.log[n - 1]).toBe("datasync");
    expect(ops.log.filter((o) => o === "datasync").length).toBeLessThanOrEqual(3);
    expect(lines(file).map((l) => l.position)).toEqual([0, 1, 2, 3, 4]);
  });

  it("rejects the writes of a failed batch and writes the next ones (a full disk that recovers)", async () => {
    const file = tmpFile();
    const sink = jsonlAuditSink(file);
    ops.failNextWrite = true;
    await expect(sink.write(record(0))).rejects.toThrow(/ENOSPC/);
    await sink.flush?.(); // flushing after a failure does not reject again
    await sink.write(record(1));
    expect(lines(file).map((l) => l.position)).toEqual([1]);
  });

  it("rejects every write when the file cannot be opened (its directory is a file), and never crashes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tp-jsonl-"));
    writeFileSync(join(dir, "blocker"), "");
    const sink = jsonlAuditSink(join(dir, "blocker", "audit.jsonl"));
    await expect(sink.write(record(0))).rejects.toThrow(/ENOTDIR|EEXIST/);
    await expect(sink.write(record(1))).rejects.toThrow(/ENOTDIR|EEXIST/);
    await sink.flush?.();
  });

  it.runIf(existsSync("/dev/full"))("rejects on /dev/full (ENOSPC)", async () => {
    await expect(jsonlAuditSink("/dev/full").write(record(0))).rejects.toThrow(/ENOSPC/);
  });

  it("serialises any record completely: a BigInt or odd value never drops the outcome", async () => {
    const odd = record(0, {
      outcome: "ok",
      durationMs: Number.NaN,
      resultBytes: 10n as unknown as number,
      detail: { amount: 10n ** 20n } as unknown as string,
    });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const line = JSON.parse(auditLine({ ...odd, argsDigest: cyclic as unknown as string }));
    expect(line).toMatchObject({
      outcome: "ok",
      phase: "intent",
      durationMs: null,
      resultBytes: "10",
      detail: { amount: "100000000000000000000" },
      argsDigest: "[unserialisable object]",
    });
    const file = tmpFile();
    await jsonlAuditSink(file).write(odd);
    expect(lines(file)[0]).toMatchObject({ outcome: "ok", resultBytes: "10" });
  });
});
