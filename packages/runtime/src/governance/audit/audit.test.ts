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

const record = (position: number, outcome = "ok", phase: AuditRecord["phase"] = "outcome"): AuditRecord => ({
  callId: `call-${position}`,
  phase,
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

  it("the D1 sink keeps one row per call: the intent first, then its outcome in place", async () => {
    const db = new DatabaseSync(":memory:");
    db.exec(AUDIT_TABLE_SQL);
    const d1 = {
      prepare: (sql: string) => ({
        bind: (...values: unknown[]) => ({ run: async () => db.prepare(sql).run(...(values as never[])) }),
      }),
    };
    const sink = d1AuditSink(d1);
    const rows = () =>
      db
        .prepare("SELECT call_id, phase, run_id, outcome, dry_run, position, detail FROM toolpacks_audit")
        .all();
    await sink.write(record(7, "pending", "intent"));
    expect(rows()).toEqual([
      {
        call_id: "call-7",
        phase: "intent",
        run_id: "r",
        outcome: "pending",
        dry_run: 0,
        position: 7,
        detail: null,
      },
    ]);
    await sink.write({ ...record(7, "TOOL_ERROR"), detail: "boom" });
    await sink.write(record(8, "POLICY_DENIED"));
    expect(rows()).toEqual([
      {
        call_id: "call-7",
        phase: "outcome",
        run_id: "r",
        outcome: "TOOL_ERROR",
        dry_run: 0,
        position: 7,
        detail: "boom",
      },
      {
        call_id: "call-8",
        phase: "outcome",
        run_id: "r",
        outcome: "POLICY_DENIED",
        dry_run: 0,
        position: 8,
        detail: null,
      },
    ]);
  });

  it("the D1 sink rejects when the database does (governance then sends nothing)", async () => {
    const d1 = {
      prepare: () => ({
        bind: () => ({ run: async () => Promise.reject(new Error("D1_ERROR: no such table")) }),
      }),
    };
    await expect(d1AuditSink(d1).write(record(0))).rejects.toThrow(/no such table/);
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
