import { afterEach, describe, expect, it, vi } from "vitest";
import { createGovernance } from "../create-governance.js";
import { startLedger } from "../fixtures/ledger-server.js";
import { ALLOW_WRITES } from "../fixtures/policies.js";
import type { AuditFailure } from "./call-audit.js";
import { type AuditRecord, type AuditSink, MemoryAuditSink } from "./record.js";

let ledger: Awaited<ReturnType<typeof startLedger>>;
afterEach(() => ledger?.close());

const order = (customer: string, amount_minor = 100) => ({
  customer,
  amount_minor,
  lines: [{ sku: "s", qty: 1 }],
});
const creates = () => ledger.seen.filter((s) => s.tool === "create_order");

/** A sink that fails the records `fails` picks, and keeps the others. */
function flakySink(fails: (r: AuditRecord) => boolean, how: "reject" | "throw" = "reject") {
  const kept = new MemoryAuditSink();
  const sink: AuditSink = {
    write(record) {
      if (!fails(record)) return kept.write(record);
      const error = Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
      if (how === "throw") throw error;
      return Promise.reject(error);
    },
  };
  return { sink, kept: kept.records };
}

describe("write-ahead audit", () => {
  it("a call's intent is durable before the call leaves the host, and its outcome is written after", async () => {
    ledger = await startLedger();
    const seenAtWrite: Array<[string, number]> = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const sink: AuditSink = {
      async write(record) {
        seenAtWrite.push([record.phase, creates().length]);
        if (record.phase === "intent") await gate; // a slow disk
      },
    };
    const gov = createGovernance({ tracer: false, policy: ALLOW_WRITES, audit: sink });
    const pending = ledger.call(gov, "r", 0, "create_order", order("a"));
    await vi.waitFor(() => expect(seenAtWrite).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 20));
    expect(creates()).toHaveLength(0); // not sent while its intent is not yet durable
    release();
    await pending;
    expect(seenAtWrite).toEqual([
      ["intent", 0],
      ["outcome", 1],
    ]);
  });

  for (const how of ["reject", "throw"] as const) {
    it(`a sink that cannot write (${how}s) stops the call: AUDIT_UNAVAILABLE, nothing sent, budget given back`, async () => {
      ledger = await startLedger();
      let broken = true;
      const failures: AuditFailure[] = [];
      const { sink } = flakySink(() => broken, how);
      const gov = createGovernance({
        tracer: false,
        policy: { ...ALLOW_WRITES, budgets: { maxWrites: 1 } },
        audit: sink,
        onAuditFailure: (f) => failures.push(f),
      });
      const error = await ledger.call(gov, "r", 0, "create_order", order("a")).catch((e) => e);
      expect(error).toMatchObject({ code: "AUDIT_UNAVAILABLE", name: "AuditUnavailableError" });
      expect(error.message).toMatch(/was not sent.*ENOSPC.*retrying is safe/s);
      await expect(ledger.call(gov, "r", 1, "list_orders", {})).rejects.toMatchObject({
        code: "AUDIT_UNAVAILABLE",
      });
      expect(ledger.seen).toEqual([]);
      expect(failures.map((f) => [f.lost, f.record.position])).toEqual([
        ["intent", 0],
        ["intent", 1],
      ]);
      // The refused write did not use up the run's only write.
      broken = false;
      await ledger.call(gov, "r", 2, "create_order", order("b"));
      expect(creates().map((c) => c.args.customer)).toEqual(["b"]);
    });
  }

  it("a sink that never answers counts as unavailable after auditTimeoutMs; nothing is sent", async () => {
    ledger = await startLedger();
    const gov = createGovernance({
      tracer: false,
      policy: ALLOW_WRITES,
      audit: { write: () => new Promise<void>(() => {}) },
      auditTimeoutMs: 30,
      onAuditFailure: () => {},
    });
    await expect(ledger.call(gov, "r", 0, "create_order", order("a"))).rejects.toMatchObject({
      code: "AUDIT_UNAVAILABLE",
      message: expect.stringMatching(/did not answer within 30 ms/),
    });
    expect(ledger.seen).toEqual([]);
  });

  it("an outcome lost after the call was sent: the program gets its result, the host is told", async () => {
    ledger = await startLedger();
    const failures: AuditFailure[] = [];
    const { sink, kept } = flakySink((r) => r.phase === "outcome");
    const gov = createGovernance({
      tracer: false,
      policy: ALLOW_WRITES,
      audit: sink,
      onAuditFailure: (f) => failures.push(f),
    });
    const result = await ledger.call(gov, "r", 0, "create_order", order("a"));
    // Never "it failed" for a write that was made: the program would retry it.
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ order_id: 1 });
    expect(creates()).toHaveLength(1);
    expect(kept.map((r) => [r.phase, r.outcome])).toEqual([["intent", "pending"]]);
    expect(failures).toMatchObject([{ lost: "outcome", record: { phase: "outcome", outcome: "ok" } }]);
    expect(failures[0]!.record.callId).toBe(kept[0]!.callId);
  });

  it("refusals are audited, and stand when the sink fails; no unhandled rejection on any path", async () => {
    ledger = await startLedger();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const failures: AuditFailure[] = [];
      const { sink } = flakySink(() => true);
      const gov = createGovernance({
        policy: {
          ...ALLOW_WRITES,
          rules: [
            { tools: "ledger.wipe", effect: "deny", reason: "never" },
            { tools: "ledger.create_order", effect: "require_approval" },
          ],
          budgets: { maxCallsPerTool: { "ledger.list_orders": 0 } },
        },
        audit: sink,
        approver: () => false,
        onAuditFailure: (f) => failures.push(f),
      });
      const denied = await ledger.call(gov, "r", 0, "wipe", {}).catch((e) => e);
      const rejected = await ledger.call(gov, "r", 1, "create_order", order("a")).catch((e) => e);
      const budget = await ledger.call(gov, "r", 2, "list_orders", {}).catch((e) => e);
      expect([denied.code, rejected.code, budget.code]).toEqual([
        "POLICY_DENIED",
        "APPROVAL_REJECTED",
        "BUDGET_EXCEEDED",
      ]);
      for (const e of [denied, rejected, budget])
        expect(e.message).toMatch(/could not be written to the audit trail/);
      expect(failures.map((f) => f.lost)).toEqual(["refusal", "refusal", "refusal"]);
      expect(ledger.seen).toEqual([]);
      await gov.endRun("r");
      await new Promise((r) => setTimeout(r, 10));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  it("a throwing failure reporter or tracer never changes what happens to the call", async () => {
    ledger = await startLedger();
    const { sink } = flakySink((r) => r.phase === "outcome");
    const gov = createGovernance({
      policy: ALLOW_WRITES,
      audit: sink,
      tracer: {
        startSpan: () => {
          throw new Error("tracer down");
        },
      } as never,
      onAuditFailure: () => {
        throw new Error("reporter down");
      },
    });
    const result = await ledger.call(gov, "r", 0, "create_order", order("a"));
    expect(result.structuredContent).toMatchObject({ order_id: 1 });
  });
});
