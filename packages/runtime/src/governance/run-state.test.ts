import { afterEach, describe, expect, it } from "vitest";
import { type CodeMode, createCodeMode } from "../code-mode.js";
import type { ToolCallMiddleware } from "../pipeline/types.js";
import { createGovernance, type Governance } from "./create-governance.js";
import { startLedger } from "./fixtures/ledger-server.js";
import { ALLOW_WRITES } from "./fixtures/policies.js";
import { resolvePolicy } from "./policy/evaluate.js";
import { parsePolicy } from "./policy/load.js";
import { RunStates } from "./run-state.js";

let ledger: Awaited<ReturnType<typeof startLedger>>;
let open: CodeMode[] = [];
afterEach(async () => {
  await Promise.all(open.map((cm) => cm.close()));
  open = [];
  await ledger?.close();
});

async function codeMode(gov: Governance, before: ToolCallMiddleware[] = []) {
  const cm = await createCodeMode({
    sources: [{ name: "ledger", server: ledger.makeServer() }],
    middleware: [...before, gov.middleware],
    preflight: gov.preflight,
  });
  open.push(cm);
  return cm;
}

const write = (c: string) =>
  `await ledger.create_order({ customer: ${JSON.stringify(c)}, amount_minor: 1, lines: [] })`;
const attempt = (c: string) =>
  `await (async () => { try { ${write(c)}; return "sent"; } catch (e) { return e.code; } })()`;

/** One run as code mode makes it: a call under the run's signal, then the run ends. */
async function shortRun(gov: Governance, runId: string) {
  const run = new AbortController();
  await gov.middleware(
    {
      runId,
      position: 0,
      server: "ledger",
      tool: "list_orders",
      args: {},
      tool_info: ledger.tools.get("list_orders")!,
      meta: {},
      signal: run.signal,
    },
    async () => ({ content: [] }),
  );
  run.abort(new Error("run finished"));
}

describe("run state lives exactly as long as the run", () => {
  it("a running run keeps its write budget while 1,001 other runs start and end", async () => {
    ledger = await startLedger();
    const gov = createGovernance({ tracer: false, policy: { ...ALLOW_WRITES, budgets: { maxWrites: 2 } } });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let waiting!: () => void;
    const atGate = new Promise<void>((resolve) => (waiting = resolve));
    // Holds run "long" at its read until the other runs are done.
    const hold: ToolCallMiddleware = async (call, next) => {
      if (call.runId === "long" && call.tool === "list_orders") {
        waiting();
        await gate;
      }
      return next(call);
    };
    const cm = await codeMode(gov, [hold]);
    const long = cm.execute(
      `const before = [${attempt("a")}, ${attempt("b")}, ${attempt("c")}];
       await ledger.list_orders({});
       return [...before, ${attempt("d")}, ${attempt("e")}];`,
      { runId: "long" },
    );
    await atGate;
    for (let i = 0; i < 1001; i++) await shortRun(gov, `other-${i}`);
    // Two real code-mode runs as well, through the same hooks.
    for (const id of ["x", "y"])
      expect((await cm.execute("return await ledger.list_orders({})", { runId: id })).ok).toBe(true);
    const runningMeanwhile = gov.runCounts().running;
    release();
    const out = await long;
    expect(out.result).toEqual(["sent", "sent", "BUDGET_EXCEEDED", "BUDGET_EXCEEDED", "BUDGET_EXCEEDED"]);
    expect(ledger.db.prepare("SELECT COUNT(*) AS n FROM orders").get()).toEqual({ n: 2 });
    expect(runningMeanwhile).toBe(1);
    // Every run ended on its own; what is kept of ended runs is bounded.
    const counts = gov.runCounts();
    expect(counts.running).toBe(0);
    expect(counts.ended).toBeLessThanOrEqual(256);
  });

  it("runs end on their own when code mode finishes them, crashed or not, and endRun still returns them", async () => {
    ledger = await startLedger();
    const gov = createGovernance({ tracer: false, policy: ALLOW_WRITES });
    const cm = await codeMode(gov);
    const programs = [
      `${write("a")}; throw new Error("crash after a write");`,
      `ledger.create_order({ customer: "late", amount_minor: 1, lines: [] }); return 1;`,
      "while (true) {}",
      "return 1;",
    ];
    for (const [i, code] of programs.entries()) {
      await cm.execute(code, { runId: `crash-${i}`, limits: { timeoutMs: 300 } });
    }
    expect(gov.runCounts().running).toBe(0);
    const { records } = await gov.endRun("crash-0");
    expect(records).toMatchObject([{ tool: "create_order", outcome: "ok" }]);
    expect(gov.recordsFor("crash-0")).toEqual([]);
  });

  it("memory for ended and never-started runs is bounded; a call under an ended run's id resumes its budget", () => {
    const runs = new RunStates(resolvePolicy(parsePolicy({ budgets: { maxWrites: 1 } }), {}).budgets, {
      ended: 10,
      prepared: 10,
    });
    for (let i = 0; i < 1000; i++) {
      const run = new AbortController();
      runs.forCall(`r${i}`, run.signal);
      runs.prepare(`refused-${i}`, "summary");
      run.abort();
    }
    expect(runs.counts()).toEqual({ running: 0, ended: 10, prepared: 10 });

    const none = { source: "policy", moves: { none: true } } as const;
    const first = new AbortController();
    runs.forCall("again", first.signal).budget.reserve("ledger.create_order", "write", {}, none);
    first.abort();
    const second = new AbortController();
    expect(() =>
      runs.forCall("again", second.signal).budget.reserve("ledger.create_order", "write", {}, none),
    ).toThrow(/Write budget exceeded/);
    // A straggler under an aborted signal does not keep a run alive.
    second.abort();
    runs.forCall("again", second.signal);
    expect(runs.counts().running).toBe(0);
  });
});
