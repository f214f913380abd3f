import { afterEach, describe, expect, it } from "vitest";
import { createGovernance } from "../create-governance.js";
import { startLedger } from "../fixtures/ledger-server.js";
import { ALLOW_WRITES } from "../fixtures/policies.js";
import { META } from "../types.js";
import { dryRunThenCommit } from "./commit.js";

let ledger: Awaited<ReturnType<typeof startLedger>>;
afterEach(() => ledger?.close());

const order = (customer: string, amount_minor = 100) => ({
  customer,
  amount_minor,
  lines: [
    { sku: "a", qty: 1 },
    { sku: "b", qty: 2 },
  ],
});

/** The "program": one read, then two writes in parallel, as code mode would issue them. */
async function program(gov: ReturnType<typeof createGovernance>, runId: string, second = "beta") {
  await ledger.call(gov, runId, 0, "list_orders", {});
  return Promise.all([
    ledger.call(gov, runId, 1, "create_order", order("alpha", 1200)),
    ledger.call(gov, runId, 2, "create_order", order(second, 800)),
  ]);
}

describe("dry-run", () => {
  it("leaves the store byte-for-byte unchanged and collects the ordered plan with keys and would-change answers", async () => {
    ledger = await startLedger();
    await ledger.call(
      createGovernance({ tracer: false, policy: ALLOW_WRITES }),
      "seed",
      0,
      "create_order",
      order("existing"),
    );
    const before = ledger.dump();
    const gov = createGovernance({ tracer: false, policy: ALLOW_WRITES, dryRun: true });
    await program(gov, "run-1");
    await expect(ledger.call(gov, "run-1", 3, "wipe", {})).rejects.toMatchObject({
      code: "DRY_RUN_UNSUPPORTED",
    });
    expect(ledger.dump()).toBe(before);

    const plan = gov.planFor("run-1");
    expect(plan.summary).toBe("this run would write: ledger.create_order x2");
    expect(plan.entries.map((e) => [e.position, e.tool, e.wouldChange])).toEqual([
      [1, "create_order", { would_create: { customer: "alpha", amount_minor: 1200, lines: 2 } }],
      [2, "create_order", { would_create: { customer: "beta", amount_minor: 800, lines: 2 } }],
    ]);
    const sent = ledger.seen.filter((s) => s.tool === "create_order" && s.meta[META.dryRun] === true);
    // Parallel calls reach the server in any order; the plan is ordered by position.
    expect(sent.map((s) => s.meta[META.idempotencyKey]).sort()).toEqual(
      plan.entries.map((e) => e.idempotencyKey).sort(),
    );
  });

  it("commits the approved plan with the same run id and keys, and refuses a write that diverged", async () => {
    ledger = await startLedger();
    const dry = createGovernance({ tracer: false, policy: ALLOW_WRITES, dryRun: true });
    await program(dry, "run-2");
    const { plan } = await dry.endRun("run-2");
    expect(ledger.dump()).toBe(JSON.stringify([[], [], []]));

    const commit = createGovernance({
      tracer: false,
      plan,
      policy: { rules: [{ tools: "ledger.create_order", effect: "require_approval" }] },
    });
    const results = await program(commit, "run-2");
    // The two writes run in parallel, so which one gets id 1 depends on arrival order.
    const ids = results.map((r) => (r.structuredContent as { order_id: number }).order_id);
    expect(ids.sort()).toEqual([1, 2]);
    const committedKeys = ledger.seen.filter((s) => s.tool === "create_order" && !s.meta[META.dryRun]);
    expect(committedKeys.map((s) => s.meta[META.idempotencyKey]).sort()).toEqual(
      plan.entries.map((e) => e.idempotencyKey).sort(),
    );
    expect(
      commit
        .recordsFor("run-2")
        .filter((r) => r.kind === "write")
        .map((r) => r.decision),
    ).toEqual(["approved", "approved"]);

    // Running it again with the same run id duplicates nothing.
    await program(commit, "run-2");
    expect(ledger.db.prepare("SELECT COUNT(*) AS n FROM orders").get()).toEqual({ n: 2 });

    // A program that changed after approval cannot write what nobody approved.
    const changed = createGovernance({ tracer: false, policy: ALLOW_WRITES, plan });
    const diverged = await program(changed, "run-2", "gamma").catch((e) => e);
    expect(diverged).toMatchObject({ code: "PLAN_DIVERGED" });
    await expect(program(changed, "run-3")).rejects.toMatchObject({ code: "PLAN_DIVERGED" });
    expect(ledger.db.prepare("SELECT COUNT(*) AS n FROM orders").get()).toEqual({ n: 2 });
  });
});

describe("approval rules under dry-run", () => {
  const needsApproval = {
    rules: [{ tools: ["ledger.list_orders", "ledger.create_order"], effect: "require_approval" as const }],
  };

  it("apply to reads, which really run: a rejected read never reaches the server", async () => {
    ledger = await startLedger();
    const asked: string[] = [];
    const gov = createGovernance({
      tracer: false,
      dryRun: true,
      policy: needsApproval,
      approver: (r) => {
        asked.push(`${r.name} ${r.kind} dryRun=${r.dryRun}`);
        return false;
      },
    });
    await expect(ledger.call(gov, "r", 0, "list_orders", {})).rejects.toMatchObject({
      code: "APPROVAL_REJECTED",
    });
    expect(asked).toEqual(["ledger.list_orders read dryRun=false"]);
    expect(ledger.seen).toEqual([]);
    expect(gov.recordsFor("r")).toMatchObject([{ kind: "read", decision: "rejected" }]);
  });

  it("an approved read runs; a simulated write is not asked about, since its plan is what gets approved", async () => {
    ledger = await startLedger();
    const asked: string[] = [];
    const gov = createGovernance({
      tracer: false,
      dryRun: true,
      policy: needsApproval,
      approver: (r) => {
        asked.push(r.name);
        return true;
      },
    });
    expect((await ledger.call(gov, "r", 0, "list_orders", {})).structuredContent).toEqual({ orders: 0 });
    await ledger.call(gov, "r", 1, "create_order", order("a"));
    expect(asked).toEqual(["ledger.list_orders"]);
    expect(ledger.seen.map((s) => [s.tool, s.meta[META.dryRun] === true])).toEqual([
      ["list_orders", false],
      ["create_order", true],
    ]);
    expect(gov.planFor("r").entries).toHaveLength(1);
  });
});

describe("dryRunThenCommit", () => {
  it("commits only after the plan is approved, and the commit writes exactly the plan", async () => {
    ledger = await startLedger();
    const run = (gov: ReturnType<typeof createGovernance>, runId: string) => program(gov, runId);
    const refused = await dryRunThenCommit({
      governance: { tracer: false },
      runId: "r",
      run,
      approvePlan: () => false,
    });
    expect(refused.committed).toBe(false);
    expect(refused.plan.entries).toHaveLength(2);
    expect(ledger.dump()).toBe(JSON.stringify([[], [], []]));

    const seenPlans: string[] = [];
    const done = await dryRunThenCommit({
      governance: { tracer: false },
      runId: "r",
      run,
      approvePlan: (plan) => {
        seenPlans.push(plan.summary);
        return true;
      },
    });
    expect(seenPlans).toEqual(["this run would write: ledger.create_order x2"]);
    expect(done.committed).toBe(true);
    // Parallel writes: ids follow arrival order, so compare them as a set.
    const ids = (done.result ?? []).map((r) => (r.structuredContent as { order_id: number }).order_id);
    expect(ids.sort()).toEqual([1, 2]);
    expect(ledger.db.prepare("SELECT COUNT(*) AS n FROM idempotency").get()).toEqual({ n: 2 });
  });
});
