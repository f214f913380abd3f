import { afterEach, describe, expect, it } from "vitest";
import { type CodeMode, createCodeMode } from "../../code-mode.js";
import { MemoryAuditSink } from "../audit/record.js";
import { startLedger } from "../fixtures/ledger-server.js";
import type { PolicyInput } from "../policy/schema.js";
import {
  createDurableRuns,
  type DurableRuns,
  type DurableRunsOptions,
  RUN_LEASE_MS,
} from "./durable-runs.js";
import { type ContinuationStore, memoryContinuationStore } from "./store.js";

// Suspend and resume inside one process, over a real MCP server on SQLite: what a host sees.

const KEYS = { current: "k1", keys: { k1: "k1-secret-0123456789abcdef0123456789" } };
let ledger: Awaited<ReturnType<typeof startLedger>>;
let open: CodeMode[] = [];
afterEach(async () => {
  await Promise.all(open.map((cm) => cm.close()));
  open = [];
  await ledger?.close();
});

/** A durable host over the shared ledger: a new one per "process" (same store, same keys). */
async function host(
  store: ContinuationStore,
  options: Partial<DurableRunsOptions> = {},
): Promise<DurableRuns> {
  const runs = createDurableRuns({ store, keys: KEYS, governance: { tracer: false }, ...options });
  const cm = await createCodeMode({
    sources: [{ name: "ledger", server: ledger.makeServer() }],
    ...runs.hooks,
  });
  open.push(cm);
  return runs.attach(cm);
}

const order = (customer: string, amount = 100) =>
  `ledger.create_order({ customer: ${JSON.stringify(customer)}, amount_minor: ${amount}, lines: [{ sku: "a", qty: 1 }] })`;
const orders = () => (ledger.db.prepare("SELECT COUNT(*) AS n FROM orders").get() as { n: number }).n;
const writesSent = () => ledger.seen.filter((s) => s.tool === "create_order").length;

describe("durable runs", () => {
  it("suspends at a write needing approval, then resumes on another host: reads replayed, the write sent once", async () => {
    ledger = await startLedger();
    const store = memoryContinuationStore();
    const first = await host(store);
    const out = await first.execute(
      `const before = await ledger.list_orders({});
       console.log("before", before.orders);
       const made = await ${order("acme")};
       return { before: before.orders, made };`,
      { onApproval: "suspend", runId: "run-1" },
    );
    expect(out).toMatchObject({ status: "suspended", runId: "run-1" });
    if (out.status !== "suspended") throw new Error("not suspended");
    expect(out.pending).toHaveLength(1);
    expect(out.pending[0]).toMatchObject({ position: 1, name: "ledger.create_order", kind: "write" });
    expect(out.pending[0]?.idempotencyKey).toMatch(/^tp1_/);
    expect(out.continuationBytes).toBeGreaterThan(0);
    expect(orders()).toBe(0);
    expect(writesSent()).toBe(0);
    const readsBefore = ledger.seen.filter((s) => s.tool === "list_orders").length;

    const second = await host(store);
    const done = await second.resume("run-1", { 1: true });
    expect(done.status).toBe("finished");
    if (done.status !== "finished") throw new Error("not finished");
    expect(done.result).toMatchObject({ ok: true, result: { before: 0, made: { order_id: 1 } } });
    expect(orders()).toBe(1);
    expect(writesSent()).toBe(1);
    // The read was answered from the ledger, not sent again.
    expect(ledger.seen.filter((s) => s.tool === "list_orders").length).toBe(readsBefore);
    // The write carried the key the pending call showed the approver.
    expect(ledger.seen.find((s) => s.tool === "create_order")?.meta["toolpacks.dev/idempotencyKey"]).toBe(
      out.pending[0]?.idempotencyKey,
    );
    await expect(second.resume("run-1", { 1: true })).rejects.toMatchObject({ code: "RUN_FINISHED" });
  });

  it("presents calls made in parallel as one batch, and each decision applies to its own call", async () => {
    ledger = await startLedger();
    const store = memoryContinuationStore();
    const runs = await host(store);
    const out = await runs.execute(
      // The last write is issued only after a chain of reads: the batch waits for it too.
      `async function late() { for (let i = 0; i < 30; i++) await ledger.list_orders({}); return ${order("d")}; }
       const r = await Promise.allSettled([${order("a")}, ledger.list_orders({}), ${order("b")}, ${order("c")}, late()]);
       return r.map((x) => x.status === "fulfilled" ? "ok" : x.reason.code);`,
      { onApproval: "suspend", runId: "batch" },
    );
    if (out.status !== "suspended") throw new Error(`not suspended: ${JSON.stringify(out)}`);
    expect(out.pending.map((p) => p.position)).toEqual([0, 2, 3, 34]);
    expect(out.pending.map((p) => (p.args as { customer: string }).customer)).toEqual(["a", "b", "c", "d"]);
    const decisions = { 0: true, 2: { approved: false, reason: "no" }, 3: true, 34: true };
    const done = await (await host(store)).resume("batch", decisions);
    if (done.status !== "finished") throw new Error("not finished");
    expect(done.result.result).toEqual(["ok", "ok", "APPROVAL_REJECTED", "ok", "ok"]);
    expect(ledger.seen.filter((s) => s.tool === "create_order").map((s) => s.args.customer)).toEqual([
      "a",
      "c",
      "d",
    ]);
  });

  it("suspends again at a later approval and answers every earlier call from the ledger", async () => {
    ledger = await startLedger();
    const store = memoryContinuationStore();
    const code = `const a = await ${order("one")}; const b = await ${order("two")}; return [a.order_id, b.order_id];`;
    const out = await (await host(store)).execute(code, { onApproval: "suspend", runId: "twice" });
    expect(out.status).toBe("suspended");
    const again = await (await host(store)).resume("twice", true);
    if (again.status !== "suspended") throw new Error("not suspended again");
    expect(again.pending.map((p) => p.position)).toEqual([1]);
    expect(writesSent()).toBe(1);
    const done = await (await host(store)).resume("twice", true);
    if (done.status !== "finished") throw new Error("not finished");
    expect(done.result.result).toEqual([1, 2]);
    expect(writesSent()).toBe(2);
  });

  it("audits each call once as sent: a suspended call is deferred, a call answered from the ledger is a replay", async () => {
    ledger = await startLedger();
    const store = memoryContinuationStore();
    const audit = new MemoryAuditSink();
    const program = `const before = await ledger.list_orders({});
       const made = await ${order("acme")};
       const after = await ledger.list_orders({});
       return { before: before.orders, made, after: after.orders };`;
    const first = await host(store, { governance: { tracer: false, audit } });
    const out = await first.execute(program, { onApproval: "suspend", runId: "audited" });
    expect(out.status).toBe("suspended");
    const second = await host(store, { governance: { tracer: false, audit } });
    const done = await second.resume("audited", { 1: true });
    expect(done).toMatchObject({ status: "finished", result: { ok: true, result: { before: 0, after: 1 } } });

    const line = (r: (typeof audit.records)[number]) =>
      `${r.phase} #${r.position} ${r.tool} ${r.decision} ${r.outcome}`;
    expect(audit.records.map(line)).toEqual([
      // First attempt: the read is sent; the write waits for a human, so the run suspends.
      "intent #0 list_orders allow pending",
      "outcome #0 list_orders allow ok",
      "outcome #1 create_order deferred APPROVAL_DEFERRED",
      // The resume: the read is answered from the ledger, the approved write and the last read are sent.
      "replay #0 list_orders allow ok",
      "intent #1 create_order approved pending",
      "outcome #1 create_order approved ok",
      "intent #2 list_orders allow pending",
      "outcome #2 list_orders allow ok",
    ]);
    // Intent records are exactly the calls that reached the server.
    const intents = audit.records.filter((r) => r.phase === "intent").map((r) => r.tool);
    expect(intents.sort()).toEqual(ledger.seen.map((s) => s.tool).sort());
    expect(new Set(audit.records.map((r) => r.runId))).toEqual(new Set(["audited"]));
  });

  it("counts the writes made before a suspension against the run's budget after every resume", async () => {
    ledger = await startLedger();
    const store = memoryContinuationStore();
    const options: Partial<DurableRunsOptions> = {
      governance: { tracer: false, policy: { budgets: { maxWrites: 2 } } },
    };
    const code = `const out = [];
      for (const customer of ["w1", "w2", "w3"]) {
        try {
          const made = await ledger.create_order({ customer, amount_minor: 100, lines: [{ sku: "a", qty: 1 }] });
          out.push(made.order_id);
        } catch (e) { out.push(e.code); }
      }
      return out;`;
    let out = await (await host(store, options)).execute(code, { onApproval: "suspend", runId: "budget" });
    let rounds = 0;
    while (out.status === "suspended" && rounds++ < 5)
      out = await (await host(store, options)).resume("budget", true);
    if (out.status !== "finished") throw new Error("not finished");
    // w1 was sent two resumes before w3: replayed from the ledger, it still counts.
    expect(out.result.result).toEqual([1, 2, "BUDGET_EXCEEDED"]);
    expect(writesSent()).toBe(2);
  });

  it("replays Date and Math.random: a write built from them is the write that was approved", async () => {
    ledger = await startLedger();
    const store = memoryContinuationStore();
    const code = `const stamp = new Date().toISOString() + "|" + Date.now() + "|" + Math.random() + "|" + Date();
      const r = await ledger.create_order({ customer: stamp, amount_minor: 1, lines: [{ sku: "x", qty: 1 }] });
      return { stamp, r, random: Math.random() };`;
    const out = await (await host(store)).execute(code, { onApproval: "suspend", runId: "clock" });
    if (out.status !== "suspended") throw new Error("not suspended");
    const customer = (out.pending[0]?.args as { customer?: string } | undefined)?.customer;
    expect(customer).toMatch(/^\d{4}-\d\d-\d\dT.*\|\d+\|0\.\d+\|/);
    // Time passes between suspend and resume; the program must not notice.
    await new Promise((r) => setTimeout(r, 20));
    const done = await (await host(store)).resume("clock", true);
    if (done.status !== "finished") throw new Error(`not finished: ${JSON.stringify(done)}`);
    expect((done.result.result as { stamp: string }).stamp).toBe(customer);
    expect(ledger.seen.find((s) => s.tool === "create_order")?.args.customer).toBe(customer);
  });

  it("stops a resume whose replayed call differs from the ledger with PLAN_DIVERGED, before anything new is sent", async () => {
    ledger = await startLedger();
    const store = memoryContinuationStore();
    // The real clock, dug out past the replayed Date: a program that is not deterministic.
    const code = `const real = Date.prototype.constructor.now();
      await ledger.echo_config({ note: String(real) });
      return await ${order("x")};`;
    const out = await (await host(store)).execute(code, { onApproval: "suspend", runId: "diverge" });
    expect(out.status).toBe("suspended");
    await new Promise((r) => setTimeout(r, 5));
    const echoes = ledger.seen.filter((s) => s.tool === "echo_config").length;
    const resumed = (await host(store)).resume("diverge", true);
    await expect(resumed).rejects.toMatchObject({ code: "PLAN_DIVERGED" });
    await expect(resumed).rejects.toThrow(/call #0 \(ledger\.echo_config\) has arguments/);
    expect(writesSent()).toBe(0);
    expect(ledger.seen.filter((s) => s.tool === "echo_config").length).toBe(echoes);
    // The continuation is left as it was: still suspended, still refusing the same way.
    expect(store.rows.get("diverge")?.status).toBe("suspended");
  });

  it("applies a decision only to the call it was made for", async () => {
    ledger = await startLedger();
    const store = memoryContinuationStore();
    const code = `const real = Date.prototype.constructor.now();
      return await ledger.create_order({ customer: String(real), amount_minor: 5, lines: [] });`;
    const out = await (await host(store)).execute(code, { onApproval: "suspend", runId: "exact" });
    expect(out.status).toBe("suspended");
    await new Promise((r) => setTimeout(r, 5));
    await expect((await host(store)).resume("exact", true)).rejects.toMatchObject({ code: "PLAN_DIVERGED" });
    expect(writesSent()).toBe(0);
  });

  it("refuses a resume of a different program", async () => {
    ledger = await startLedger();
    const store = memoryContinuationStore();
    const code = `return await ${order("x")};`;
    expect((await (await host(store)).execute(code, { onApproval: "suspend", runId: "p" })).status).toBe(
      "suspended",
    );
    await expect(
      (await host(store)).resume("p", true, { code: code.replace(`"x"`, `"y"`) }),
    ).rejects.toMatchObject({ code: "PROGRAM_CHANGED" });
    expect(writesSent()).toBe(0);
    expect((await (await host(store)).resume("p", true, { code })).status).toBe("finished");
    expect(writesSent()).toBe(1);
  });
});

describe("durable runs of one run in two processes", () => {
  it("refuse a second resume or decision with RUN_BUSY while the first resume runs: the write is sent once", async () => {
    let entered!: () => void;
    let release!: () => void;
    const inWrite = new Promise<void>((r) => {
      entered = r;
    });
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let writes = 0;
    // The first resume stops inside its write (committed, not yet answered) until released.
    ledger = await startLedger({
      afterWrite: async () => {
        if (writes++ > 0) return;
        entered();
        await gate;
      },
    });
    const store = memoryContinuationStore();
    const code = `return await ${order("once")};`;
    expect((await (await host(store)).execute(code, { onApproval: "suspend", runId: "busy" })).status).toBe(
      "suspended",
    );
    const first = (await host(store)).resume("busy", true);
    await inWrite;
    const other = await host(store);
    await expect(other.resume("busy", true)).rejects.toMatchObject({ code: "RUN_BUSY" });
    await expect(other.decide("busy", { 0: false })).rejects.toMatchObject({ code: "RUN_BUSY" });
    release();
    expect((await first).status).toBe("finished");
    // The lease is given back, and the run is over for everyone.
    await expect(other.resume("busy", true)).rejects.toMatchObject({ code: "RUN_FINISHED" });
    await expect(other.decide("busy", { 0: true })).rejects.toMatchObject({ code: "RUN_FINISHED" });
    expect(writesSent()).toBe(1);
    expect(orders()).toBe(1);
  });

  it("let a lease of a process that died lapse: the run resumes once it expired", async () => {
    ledger = await startLedger();
    const store = memoryContinuationStore();
    let clock = Date.now();
    const now = () => clock;
    await (await host(store, { now })).execute(`return await ${order("late")};`, {
      onApproval: "suspend",
      runId: "orphan",
    });
    // A process took the lease and died without giving it back.
    expect(store.claim("orphan", "dead-process", clock + RUN_LEASE_MS, clock)).toBe(true);
    const next = await host(store, { now });
    await expect(next.resume("orphan", true)).rejects.toMatchObject({ code: "RUN_BUSY" });
    expect(writesSent()).toBe(0);
    clock += RUN_LEASE_MS;
    expect((await next.resume("orphan", true)).status).toBe("finished");
    expect(writesSent()).toBe(1);
  });
});

describe("durable runs refuse", () => {
  it("a tampered continuation, an unknown key, an expired one, and a changed policy", async () => {
    ledger = await startLedger();
    const store = memoryContinuationStore();
    const out = await (await host(store)).execute(`return await ${order("t")};`, {
      onApproval: "suspend",
      runId: "t",
    });
    expect(out.status).toBe("suspended");
    const sealed = store.rows.get("t")!.sealed;

    // One changed byte in the signed body (the amount the approver saw).
    store.rows.get("t")!.sealed = sealed.replace('\\"amount_minor\\":100', '\\"amount_minor\\":999');
    expect(store.rows.get("t")!.sealed).not.toBe(sealed);
    await expect((await host(store)).resume("t", true)).rejects.toMatchObject({
      code: "CONTINUATION_INVALID",
    });

    // A host that lacks the signing key.
    store.rows.get("t")!.sealed = sealed;
    const rotated = { current: "k2", keys: { k2: "k2-secret-0123456789abcdef0123456789" } };
    await expect((await host(store, { keys: rotated })).resume("t", true)).rejects.toMatchObject({
      code: "CONTINUATION_INVALID",
    });
    // Rotation: the new key signs, the old one still verifies.
    const both = { current: "k2", keys: { ...rotated.keys, ...KEYS.keys } };
    await expect((await host(store, { keys: both })).show("t")).resolves.toMatchObject({ runId: "t" });

    await expect(
      (await host(store, { maxAgeMs: 60_000, now: () => Date.now() + 61_000 })).resume("t", true),
    ).rejects.toMatchObject({ code: "CONTINUATION_EXPIRED" });

    const stricter: PolicyInput = { defaults: { write: "require_approval" }, budgets: { maxWrites: 1 } };
    await expect(
      (await host(store, { governance: { tracer: false, policy: stricter } })).resume("t", true),
    ).rejects.toMatchObject({ code: "POLICY_CHANGED" });
    await expect(
      (await host(store, { governance: { tracer: false, principal: "mallory" } })).resume("t", true),
    ).rejects.toMatchObject({ code: "POLICY_CHANGED" });

    await expect((await host(store)).resume("t", { 7: true })).rejects.toMatchObject({
      code: "DECISION_INVALID",
    });
    await expect((await host(store)).resume("nope", true)).rejects.toMatchObject({ code: "RUN_NOT_FOUND" });
    expect(writesSent()).toBe(0);
    const done = await (await host(store)).resume("t", true);
    expect(done.status).toBe("finished");
    expect(writesSent()).toBe(1);
  });
});
