import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { Span, SpanOptions, Tracer } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { AUDIT_TABLE_SQL, d1AuditSink } from "./d1-sink.js";
import { jsonlAuditSink } from "./jsonl-sink.js";
import { recordSpan } from "./otel.js";
import { type AuditRecord, AuditRecordSchema } from "./record.js";

const record = (position: number, outcome = "ok"): AuditRecord => ({
  ts: "2026-01-01T00:00:00.000Z",
  runId: "r",
  principal: "ann",
  role: null,
  server: "billing",
  tool: "create_invoice",
  kind: "write",
  argsDigest: "ab".repeat(32),
  decision: "allow",
  dryRun: false,
  durationMs: 3,
  resultBytes: 10,
  outcome,
  idempotencyKey: "tp1_x",
  position,
});

describe("audit sinks", () => {
  it("the JSONL sink appends one valid line per call, in order, even when written in parallel", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "tp-audit-")), "nested", "audit.jsonl");
    const sink = jsonlAuditSink(file);
    await Promise.all(Array.from({ length: 50 }, (_, i) => sink.write(record(i))));
    await sink.flush?.();
    const lines = readFileSync(file, "utf8").trim().split("\n");
    expect(lines.map((l) => AuditRecordSchema.parse(JSON.parse(l)).position)).toEqual([...Array(50).keys()]);
  });

  it("the D1 sink writes rows a SQLite table accepts", async () => {
    const db = new DatabaseSync(":memory:");
    db.exec(AUDIT_TABLE_SQL);
    const d1 = {
      prepare: (sql: string) => ({
        bind: (...values: unknown[]) => ({ run: async () => db.prepare(sql).run(...(values as never[])) }),
      }),
    };
    await d1AuditSink(d1).write(record(7, "POLICY_DENIED"));
    expect(
      db.prepare("SELECT run_id, outcome, dry_run, position, detail FROM toolpacks_audit").all(),
    ).toEqual([{ run_id: "r", outcome: "POLICY_DENIED", dry_run: 0, position: 7, detail: null }]);
  });

  it("emits one OpenTelemetry span per call with the record's fields and an error status on failure", () => {
    const spans: Array<{ name: string; options?: SpanOptions; status?: unknown; end?: unknown }> = [];
    const tracer = {
      startSpan(name: string, options?: SpanOptions) {
        const entry: (typeof spans)[number] = { name, options };
        spans.push(entry);
        return {
          setStatus(s: unknown) {
            entry.status = s;
          },
          end(t: unknown) {
            entry.end = t;
          },
        } as unknown as Span;
      },
    } as unknown as Tracer;
    recordSpan(record(0), 1000, tracer);
    recordSpan(record(1, "BUDGET_EXCEEDED"), 2000, tracer);
    expect(spans[0]).toMatchObject({ name: "toolpacks.tool_call billing.create_invoice", end: 1003 });
    expect(spans[0]!.options?.attributes).toMatchObject({
      "toolpacks.idempotency_key": "tp1_x",
      "toolpacks.outcome": "ok",
    });
    expect(spans[0]!.status).toBeUndefined();
    expect(spans[1]!.status).toMatchObject({ code: 2, message: "BUDGET_EXCEEDED" });
  });
});
