import { afterEach, describe, expect, it, vi } from "vitest";
import type { ApprovalRequest } from "./approvals/approver.js";
import { MemoryAuditSink } from "./audit/record.js";
import { createGovernance } from "./create-governance.js";
import { startLedger } from "./fixtures/ledger-server.js";
import { ALLOW_WRITES } from "./fixtures/policies.js";
import { META } from "./types.js";

let ledger: Awaited<ReturnType<typeof startLedger>>;
afterEach(() => ledger?.close());

const order = (customer: string, amount_minor = 100) => ({
  customer,
  amount_minor,
  lines: [{ sku: "s", qty: 1 }],
});
const creates = () => ledger.seen.filter((s) => s.tool === "create_order");

describe("governed tool calls", () => {
  it("a denied call reaches the program as POLICY_DENIED and never reaches the server", async () => {
    ledger = await startLedger();
    const gov = createGovernance({
      tracer: false,
      policy: {
        rules: [{ tools: "ledger.create_*", effect: "deny", reason: "orders are entered in the ERP" }],
      },
    });
    const error = await ledger.call(gov, "r", 0, "create_order", order("a")).catch((e) => e);
    expect(error).toMatchObject({ code: "POLICY_DENIED", name: "PolicyDeniedError" });
    expect(error.message).toMatch(/orders are entered in the ERP/);
    expect(ledger.seen).toEqual([]);
    expect((await ledger.call(gov, "r", 1, "list_orders", {})).structuredContent).toEqual({ orders: 0 });
  });

  it("a tool without annotations counts as a write, so read-only mode refuses it", async () => {
    ledger = await startLedger();
    const gov = createGovernance({ tracer: false, readOnly: true });
    await expect(ledger.call(gov, "r", 0, "wipe", {})).rejects.toMatchObject({ code: "POLICY_DENIED" });
    await expect(ledger.call(gov, "r", 1, "create_order", order("a"))).rejects.toMatchObject({
      code: "POLICY_DENIED",
    });
    expect(ledger.seen).toEqual([]);
  });

  it("writes carry an idempotency key and the principal; reads carry no key", async () => {
    ledger = await startLedger();
    const gov = createGovernance({ tracer: false, policy: ALLOW_WRITES, principal: "ann" });
    await ledger.call(gov, "r", 0, "list_orders", {});
    await ledger.call(gov, "r", 1, "create_order", order("a"));
    const [read, write] = ledger.seen;
    expect(read!.meta[META.idempotencyKey]).toBeUndefined();
    expect(read!.meta[META.principal]).toBe("ann");
    expect(write!.meta[META.idempotencyKey]).toMatch(/^tp1_[0-9a-f]{64}$/);
    expect(write!.meta[META.dryRun]).toBeUndefined();
  });

  it("the write budget stops the N+1th write before it is sent", async () => {
    ledger = await startLedger();
    const gov = createGovernance({ tracer: false, policy: { ...ALLOW_WRITES, budgets: { maxWrites: 3 } } });
    const results = await Promise.allSettled(
      [0, 1, 2, 3, 4].map((i) => ledger.call(gov, "r", i, "create_order", order(`c${i}`))),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    expect(
      results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason.code),
    ).toEqual(["BUDGET_EXCEEDED", "BUDGET_EXCEEDED"]);
    expect(creates()).toHaveLength(3);
    // A new run has its own budget.
    await ledger.call(gov, "r2", 0, "create_order", order("d"));
  });

  it("arguments that are not plain data are refused and audited, never sent", async () => {
    ledger = await startLedger();
    const sink = new MemoryAuditSink();
    const gov = createGovernance({ tracer: false, policy: ALLOW_WRITES, audit: sink });
    const cyclic: Record<string, unknown> = { customer: "a", amount_minor: 1, lines: [] };
    cyclic.self = cyclic;
    await expect(ledger.call(gov, "r", 0, "create_order", cyclic)).rejects.toMatchObject({
      code: "INVALID_ARGUMENTS",
    });
    expect(sink.records).toMatchObject([
      { decision: "deny", outcome: "INVALID_ARGUMENTS", argsDigest: "unserialisable" },
    ]);
    expect(ledger.seen).toEqual([]);
  });

  it("the money budget counts the pack's money fields", async () => {
    ledger = await startLedger();
    const gov = createGovernance({
      tracer: false,
      policy: { ...ALLOW_WRITES, budgets: { maxMoneyMinor: 1000 } },
    });
    await ledger.call(gov, "r", 0, "create_order", order("a", 600));
    await expect(ledger.call(gov, "r", 1, "create_order", order("b", 401))).rejects.toMatchObject({
      code: "BUDGET_EXCEEDED",
    });
    await ledger.call(gov, "r", 2, "create_order", order("c", 400));
    expect(creates().map((c) => c.args.customer)).toEqual(["a", "c"]);
  });
});

describe("approvals", () => {
  const approvalPolicy = { rules: [{ tools: "ledger.create_order", effect: "require_approval" as const }] };

  it("pause only their own call: reads and other calls go on while one waits", async () => {
    ledger = await startLedger();
    let answer!: (ok: boolean) => void;
    const asked: ApprovalRequest[] = [];
    const gov = createGovernance({
      tracer: false,
      policy: approvalPolicy,
      approver: (request) => {
        asked.push(request);
        return new Promise<boolean>((resolve) => (answer = resolve));
      },
    });
    const pending = ledger.call(gov, "r", 0, "create_order", order("a"));
    await vi.waitFor(() => expect(asked).toHaveLength(1));
    const read = await ledger.call(gov, "r", 1, "list_orders", {});
    expect(read.structuredContent).toEqual({ orders: 0 });
    expect(creates()).toHaveLength(0);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({ name: "ledger.create_order", kind: "write", position: 0 });
    answer(true);
    expect((await pending).structuredContent).toEqual({ order_id: 1 });
    expect(creates()).toHaveLength(1);
  });

  it("decide each parallel call on its own: approving one never approves another", async () => {
    ledger = await startLedger();
    const sink = new MemoryAuditSink();
    const gov = createGovernance({
      tracer: false,
      policy: approvalPolicy,
      audit: sink,
      approver: async (request) => {
        await new Promise((r) => setTimeout(r, 5 * (4 - request.position)));
        return { approved: request.position % 2 === 0, reason: `position ${request.position}` };
      },
    });
    const results = await Promise.allSettled(
      [0, 1, 2, 3].map((i) => ledger.call(gov, "r", i, "create_order", order(`c${i}`))),
    );
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled", "rejected"]);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: "APPROVAL_REJECTED" });
    expect(
      creates()
        .map((c) => c.args.customer)
        .sort(),
    ).toEqual(["c0", "c2"]);
    expect(
      gov
        .recordsFor("r")
        .map((r) => [r.position, r.decision])
        .sort(),
    ).toEqual([
      [0, "approved"],
      [1, "rejected"],
      [2, "approved"],
      [3, "rejected"],
    ]);
  });

  it("a silent approver times out into a rejection, and no approver at all rejects", async () => {
    ledger = await startLedger();
    const slow = createGovernance({
      tracer: false,
      policy: approvalPolicy,
      approvalTimeoutMs: 20,
      approver: (request) =>
        new Promise((resolve) => request.signal.addEventListener("abort", () => resolve(true))),
    });
    await expect(ledger.call(slow, "r", 0, "create_order", order("a"))).rejects.toThrow(
      /no answer within 20 ms/,
    );
    const none = createGovernance({ tracer: false, policy: approvalPolicy });
    await expect(ledger.call(none, "r", 0, "create_order", order("a"))).rejects.toMatchObject({
      code: "APPROVAL_REJECTED",
    });
    const throwing = createGovernance({
      tracer: false,
      policy: approvalPolicy,
      approver: () => {
        throw new Error("approver down");
      },
    });
    await expect(ledger.call(throwing, "r", 0, "create_order", order("a"))).rejects.toThrow(/approver down/);
    expect(creates()).toHaveLength(0);
  });

  it("by default (no policy, no approver) reads run and no write is sent, with a reason saying how to allow it", async () => {
    ledger = await startLedger();
    const gov = createGovernance({ tracer: false });
    expect((await ledger.call(gov, "r", 0, "list_orders", {})).structuredContent).toEqual({ orders: 0 });
    const error = await ledger.call(gov, "r", 1, "create_order", order("a")).catch((e) => e);
    expect(error).toMatchObject({ code: "APPROVAL_REJECTED" });
    expect(error.message).toMatch(/no approver is configured.*pass an approver, or a policy/);
    expect(creates()).toEqual([]);
  });

  it("a rejected call gives its budget back", async () => {
    ledger = await startLedger();
    const gov = createGovernance({
      tracer: false,
      policy: { ...approvalPolicy, budgets: { maxWrites: 1 } },
      approver: (r) => r.position > 0,
    });
    await expect(ledger.call(gov, "r", 0, "create_order", order("a"))).rejects.toMatchObject({
      code: "APPROVAL_REJECTED",
    });
    await ledger.call(gov, "r", 1, "create_order", order("b"));
    expect(creates()).toHaveLength(1);
  });
});

describe("audit records", () => {
  it("record every call with its decision, outcome, size and key, arguments only as a digest", async () => {
    ledger = await startLedger();
    const sink = new MemoryAuditSink();
    const gov = createGovernance({
      tracer: false,
      audit: sink,
      principal: "ann",
      policy: {
        ...ALLOW_WRITES,
        rules: [{ tools: "ledger.wipe", effect: "deny" }],
        roles: { ops: {} },
      },
      role: "ops",
    });
    await ledger.call(gov, "r", 0, "create_order", order("secret-customer"));
    await ledger.call(gov, "r", 1, "wipe", {}).catch(() => {});
    await ledger.call(gov, "r", 2, "echo_config", { note: "fail" });
    // A sent call has an intent (before) and an outcome (after); a refused one only its refusal.
    expect(sink.records.map((r) => [r.position, r.phase, r.outcome])).toEqual([
      [0, "intent", "pending"],
      [0, "outcome", "ok"],
      [1, "outcome", "POLICY_DENIED"],
      [2, "intent", "pending"],
      [2, "outcome", "TOOL_ERROR"],
    ]);
    const [intent, write, denied, , failed] = sink.records;
    expect(write).toMatchObject({
      runId: "r",
      principal: "ann",
      role: "ops",
      server: "ledger",
      tool: "create_order",
      kind: "write",
      decision: "allow",
      outcome: "ok",
      dryRun: false,
    });
    const { phase: _p, outcome: _o, durationMs: _d, resultBytes: _b, ...decided } = write!;
    expect(intent).toMatchObject({ ...decided, resultBytes: 0 });
    expect(write!.argsDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(write!.idempotencyKey).toMatch(/^tp1_/);
    expect(write!.resultBytes).toBeGreaterThan(10);
    expect(JSON.stringify(sink.records)).not.toContain("secret-customer");
    expect(denied).toMatchObject({ decision: "deny", outcome: "POLICY_DENIED", resultBytes: 0 });
    expect(failed).toMatchObject({ kind: "read", outcome: "TOOL_ERROR", idempotencyKey: null });
    expect(new Set(sink.records.map((r) => r.callId)).size).toBe(3);
    // The run's own records: one final record per call.
    expect(gov.recordsFor("r")).toEqual(sink.records.filter((r) => r.phase === "outcome"));
  });
});
