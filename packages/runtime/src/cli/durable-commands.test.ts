import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { sqliteContinuationStore } from "../governance/durable/sqlite-store.js";
import { main } from "./main.js";

// Suspended runs: `toolpacks exec --approve defer`, decisions and `resume`, against the test ledger
// as a stdio MCP server over a SQLite file, so the writes that reached the server are counted
// there. Most commands run in this process (`main`), each opening the state afresh as a new process
// would; the crash test runs them as real processes (one killed), since that is what it is about.

const TSX = fileURLToPath(new URL("../../../../node_modules/.bin/tsx", import.meta.url));
const BIN = fileURLToPath(new URL("./bin.ts", import.meta.url));
const REPO = fileURLToPath(new URL("../../../../", import.meta.url));
const LEDGER = fileURLToPath(new URL("../governance/fixtures/ledger-stdio.ts", import.meta.url));

function setup() {
  const dir = mkdtempSync(join(tmpdir(), "tp-durable-cli-"));
  const db = join(dir, "ledger.db");
  const state = join(dir, "state");
  // Generous: on a loaded machine the stdio server can take long to start.
  const server = ["--server", `ledger=${TSX} ${LEDGER} ${db}`, "--connect-timeout-ms", "120000"];
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const args = (argv: string[]) => [BIN, ...argv, "--state", state];
  /** Runs `toolpacks …` in this process. */
  const cli = async (argv: string[]) => {
    const out = { stdout: "", stderr: "" };
    const code = await main([...argv, "--state", state], {
      stdout: (t) => {
        out.stdout += t;
      },
      stderr: (t) => {
        out.stderr += t;
      },
      stdin: async () => "",
    });
    return { code, ...out };
  };
  /** Runs `toolpacks …` in its own process and waits for it to exit. */
  const processCli = (argv: string[], env: Record<string, string> = {}) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(TSX, args(argv), { env: { ...process.env, ...env }, cwd: REPO }, (error, stdout, stderr) => {
        const code = error ? Number((error as { code?: unknown }).code ?? 1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  const orders = () => {
    // Polled while the ledger server commits: wait out its lock instead of failing with SQLITE_BUSY.
    const sqlite = new DatabaseSync(db, { readOnly: true, timeout: 10_000 });
    try {
      return sqlite.prepare("SELECT customer FROM orders ORDER BY id").all() as Array<{ customer: string }>;
    } finally {
      sqlite.close();
    }
  };
  return { dir, state, server, file, cli, processCli, args, orders };
}

const PROGRAM = `
const before = await ledger.list_orders({});
const stamp = Date.now() + ":" + Math.random();
const made = await ledger.create_order({ customer: "acme " + stamp, amount_minor: 250, lines: [{ sku: "a", qty: 1 }] });
return { before: before.orders, made, stamp };`;

describe("toolpacks exec --approve defer, approvals, approve/reject, resume", { timeout: 300_000 }, () => {
  it("suspends in one process, is approved and resumed in others, and writes exactly once", async () => {
    const { cli, file, server, orders } = setup();
    const prog = file("p.js", PROGRAM);
    const suspended = await cli(["exec", prog, "--approve", "defer", ...server]);
    expect(suspended.code).toBe(3);
    const runId = suspended.stdout.trim();
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);
    expect(suspended.stderr).toMatch(/suspended: run .* waits for 1 decision/);
    expect(suspended.stderr).toMatch(/#1 ledger\.create_order \(write\) \{"amount_minor":250/);
    expect(orders()).toEqual([]);

    const listed = await cli(["approvals", "list"]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`${runId}  suspended`);
    expect(listed.stdout).toContain("#1 ledger.create_order");
    const shown = await cli(["approvals", "show", runId, "--json"]);
    expect(JSON.parse(shown.stdout)).toMatchObject({
      runId,
      status: "suspended",
      pending: [{ position: 1 }],
    });

    // Resuming before a decision suspends again at the same call, sending nothing.
    const early = await cli(["resume", runId, ...server]);
    expect(early.code).toBe(3);
    expect(orders()).toEqual([]);

    expect((await cli(["approve", runId, "#7"])).code).toBe(1);
    const approved = await cli(["approve", runId, "1", "--by", "alice"]);
    expect(approved.code).toBe(0);
    const done = await cli(["resume", runId, ...server]);
    expect(done.code, done.stderr).toBe(0);
    const result = JSON.parse(done.stdout);
    expect(result).toMatchObject({ ok: true, result: { before: 0, made: { order_id: 1 } } });
    // The write's arguments were the ones approved: the replayed clock and PRNG gave the same stamp.
    expect(orders()).toEqual([{ customer: `acme ${result.result.stamp}` }]);
    expect(suspended.stderr).toContain(result.result.stamp);

    const again = await cli(["resume", runId, ...server]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/RUN_FINISHED/);
    expect(orders()).toHaveLength(1);
  });

  it("a run suspended by a process that exited, whose resume is killed after its write reached the server, writes once", async () => {
    const { cli, processCli, file, server, orders, args, state } = setup();
    const prog = file("p.js", PROGRAM);
    const suspended = await processCli(["exec", prog, "--approve", "defer", ...server]);
    expect(suspended.code).toBe(3);
    const runId = suspended.stdout.trim();
    expect((await cli(["approve", runId])).code).toBe(0);

    // This resume's server commits the write and never answers; the resume is killed meanwhile.
    const child: ChildProcess = spawn(
      TSX,
      args(["resume", runId, ...server, "--env", "LEDGER_HANG_AFTER_WRITE=1"]),
      { stdio: "ignore", detached: true, cwd: REPO },
    );
    const deadline = Date.now() + 120_000;
    while (orders().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(orders()).toHaveLength(1);
    process.kill(-(child.pid as number), "SIGKILL");
    await new Promise((r) => child.once("exit", r));
    // The continuation still says suspended with the call approved: the crash lost only the answer.
    const store = sqliteContinuationStore(state);
    expect(store.load(runId)).toMatchObject({ status: "suspended" });
    store.close();

    const done = await cli(["resume", runId, ...server]);
    expect(done.code, done.stderr).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({ ok: true, result: { made: { order_id: 1 } } });
    expect(orders()).toHaveLength(1);
  });

  it("reject sends nothing; a resume under another policy, or of a tampered continuation, is refused", async () => {
    const { cli, file, server, orders, dir, state } = setup();
    const prog = file("p.js", PROGRAM);
    const first = await cli(["exec", prog, "--approve", "defer", ...server]);
    const runId = first.stdout.trim();
    const policy = file("policy.json", JSON.stringify({ budgets: { maxWrites: 5 } }));
    const other = await cli(["resume", runId, ...server, "--policy", policy]);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/POLICY_CHANGED/);

    const db = new DatabaseSync(join(state, "continuations.sqlite"));
    const { sealed } = db.prepare("SELECT sealed FROM continuations WHERE run_id = ?").get(runId) as {
      sealed: string;
    };
    db.prepare("UPDATE continuations SET sealed = ? WHERE run_id = ?").run(
      sealed.replace('\\"amount_minor\\":250', '\\"amount_minor\\":1'),
      runId,
    );
    const tampered = await cli(["resume", runId, ...server]);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toMatch(/CONTINUATION_INVALID/);
    db.prepare("UPDATE continuations SET sealed = ? WHERE run_id = ?").run(sealed, runId);
    db.close();

    expect((await cli(["reject", runId, "--reason", "not today"])).code).toBe(0);
    const done = await cli(["resume", runId, ...server]);
    expect(done.code).toBe(1);
    expect(JSON.parse(done.stdout)).toMatchObject({ ok: false, error: { code: "APPROVAL_REJECTED" } });
    expect(orders()).toEqual([]);
    expect(readFileSync(join(state, "keys.json"), "utf8")).toMatch(/"current"/);
    void dir;
  });
});
