import { afterEach, describe, expect, it } from "vitest";
import { type CodeMode, createCodeMode } from "../code-mode.js";
import { createGovernance, type Governance, type GovernanceOptions } from "./create-governance.js";
import { dryRunThenCommit } from "./dry-run/commit.js";
import { startLedger } from "./fixtures/ledger-server.js";
import { ALLOW_WRITES } from "./fixtures/policies.js";

// End to end: real programs in the QuickJS sandbox, governance plugged into createCodeMode's
// middleware and preflight hooks, an MCP server over a real SQLite store.

const SECRET = "sk_live_51Hx9Zq8Secret";
let ledger: Awaited<ReturnType<typeof startLedger>>;
let open: CodeMode[] = [];
afterEach(async () => {
  await Promise.all(open.map((cm) => cm.close()));
  open = [];
  await ledger?.close();
});

/** A code mode over the test ledger with governance in its hooks (preflight optional). */
async function codeModeFor(gov: Governance, hooks: { preflight?: boolean } = {}) {
  const cm = await createCodeMode({
    sources: [{ name: "ledger", server: ledger.makeServer() }],
    middleware: [gov.middleware],
    onResult: (result) => gov.redactOutput(result),
    ...(hooks.preflight === false ? {} : { preflight: gov.preflight }),
  });
  open.push(cm);
  return cm;
}

async function governed(options: GovernanceOptions, hooks: { preflight?: boolean } = {}) {
  const gov = createGovernance({ tracer: false, ...options });
  const cm = await codeModeFor(gov, hooks);
  return {
    gov,
    // Redaction happens in the onResult hook, so the caller sees the result as code mode returns it.
    run: (code: string, runId?: string) => cm.execute(code, { runId }),
  };
}

const createOrder = (customer: string) =>
  `ledger.create_order({ customer: ${JSON.stringify(customer)}, amount_minor: 100, lines: [{ sku: "a", qty: 1 }] })`;

describe("governance inside code mode", () => {
  it("refuses a read-only role's program that mentions a write tool before any call", async () => {
    ledger = await startLedger();
    const { run } = await governed({ policy: { roles: { analyst: { readOnly: true } } }, role: "analyst" });
    const out = await run(`
      const before = await ledger.list_orders({});
      if (before.orders > 1000) await ${createOrder("never")};
      return before;`);
    expect(out.ok).toBe(false);
    expect(out.error?.code).toBe("PREFLIGHT_REFUSED");
    expect(out.error?.message).toMatch(/ledger\.create_order/);
    expect(ledger.seen).toHaveLength(0);
    const reads = await run("return await ledger.list_orders({});");
    expect(reads).toMatchObject({ ok: true, result: { orders: 0 } });
  });

  it("a denied call is a typed error the program can catch, and nothing reaches the server", async () => {
    ledger = await startLedger();
    const policy = { rules: [{ tools: "ledger.create_*", effect: "deny" as const }] };
    const program = `
      const name = ["create", "order"].join("_");
      try { await ledger[name]({ customer: "x", amount_minor: 1, lines: [] }); return "sent"; }
      catch (e) { return { code: e.code, name: e.name }; }`;
    // Call time (the host middleware) is the guarantee, even without preflight...
    const callTime = await governed({ policy }, { preflight: false });
    expect((await callTime.run(program)).result).toEqual({ code: "POLICY_DENIED", name: "ToolCallError" });
    // ...and preflight refuses the dynamic access up front, since it could reach a denied tool.
    const early = await governed({ policy });
    const out = await early.run(program);
    expect(out.error?.code).toBe("PREFLIGHT_REFUSED");
    expect(out.error?.message).toMatch(/call tools by name/);
    expect(ledger.seen).toHaveLength(0);
  });

  it("approvals pause only their call; the program handles a rejection and keeps going", async () => {
    ledger = await startLedger();
    const { run } = await governed({
      policy: { rules: [{ tools: "ledger.create_order", effect: "require_approval" }] },
      approver: async (r) => {
        expect(r.programSummary).toBe("this program may write: ledger.create_order");
        await new Promise((res) => setTimeout(res, 20));
        return (r.args as { customer: string }).customer !== "bad";
      },
    });
    const out = await run(`
      const results = await Promise.allSettled([
        ${createOrder("good")},
        ${createOrder("bad")},
        ledger.list_orders({}),
      ]);
      return results.map((r) => r.status === "fulfilled" ? r.value : r.reason.code);`);
    expect(out.ok).toBe(true);
    expect(out.result).toEqual([{ order_id: 1 }, "APPROVAL_REJECTED", { orders: 0 }]);
    expect(ledger.seen.filter((s) => s.tool === "create_order").map((s) => s.args.customer)).toEqual([
      "good",
    ]);
  });

  it("the write budget stops the N+1th write inside a loop", async () => {
    ledger = await startLedger();
    const { run } = await governed({ policy: { ...ALLOW_WRITES, budgets: { maxWrites: 3 } } });
    const out = await run(`
      const done = [];
      for (let i = 0; i < 5; i++) {
        try { await ${createOrder("c")}; done.push("ok"); } catch (e) { done.push(e.code); }
      }
      return done;`);
    expect(out.result).toEqual(["ok", "ok", "ok", "BUDGET_EXCEEDED", "BUDGET_EXCEEDED"]);
    expect(ledger.db.prepare("SELECT COUNT(*) AS n FROM orders").get()).toEqual({ n: 3 });
  });

  it("no configured secret appears in the result, logs, error or calls, even when a tool echoes it or the program prints it", async () => {
    ledger = await startLedger({ secret: SECRET });
    const { run } = await governed({ secrets: [SECRET] });
    const out = await run(`
      const echoed = await ledger.echo_config({ note: "hi" });
      console.log("echo:", echoed);
      console.log("rebuilt:", ${JSON.stringify(SECRET.slice(0, 9))} + ${JSON.stringify(SECRET.slice(9))});
      try { await ledger.echo_config({ note: "fail" }); } catch (e) { console.error(e.message); }
      throw new Error("boom " + ${JSON.stringify(SECRET.slice(0, 9))} + ${JSON.stringify(SECRET.slice(9))});`);
    const text = JSON.stringify(out);
    expect(out.ok).toBe(false);
    expect(out.logs.length).toBe(3);
    expect(text).not.toContain(SECRET);
    expect(text).toContain("[REDACTED]");
  });

  it("dry-run leaves the store byte-for-byte unchanged; the approved plan commits with the same keys", async () => {
    ledger = await startLedger();
    await ledger.call(createGovernance({ tracer: false, policy: ALLOW_WRITES }), "seed", 0, "create_order", {
      customer: "s",
      amount_minor: 1,
      lines: [],
    });
    const before = ledger.dump();
    const program = `
      const a = await ${createOrder("alpha")};
      const b = await ${createOrder("beta")};
      return [a, b];`;
    const execute = async (gov: Governance, runId: string) =>
      (await codeModeFor(gov)).execute(program, { runId });
    let planShown = "";
    const outcome = await dryRunThenCommit({
      governance: { tracer: false },
      runId: "run-42",
      run: execute,
      approvePlan: (plan) => {
        planShown = plan.summary;
        expect(ledger.dump()).toBe(before);
        return true;
      },
    });
    expect(planShown).toBe("this run would write: ledger.create_order x2");
    expect(outcome.dryRunResult.result).toEqual([
      { would_create: { customer: "alpha", amount_minor: 100, lines: 1 } },
      { would_create: { customer: "beta", amount_minor: 100, lines: 1 } },
    ]);
    expect(outcome.result?.result).toEqual([{ order_id: 2 }, { order_id: 3 }]);
    const keys = ledger.seen
      .filter((s) => s.tool === "create_order")
      .map((s) => s.meta["toolpacks.dev/idempotencyKey"]);
    expect(keys.slice(1, 3)).toEqual(keys.slice(3, 5));
  });
});
