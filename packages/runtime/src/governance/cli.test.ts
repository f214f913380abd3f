import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "../cli/main.js";

// `toolpacks exec` with the governance flags, against the test ledger as a stdio MCP server
// over a SQLite file, so the store can be inspected between runs.

const TSX = fileURLToPath(new URL("../../../../node_modules/.bin/tsx", import.meta.url));
const LEDGER = fileURLToPath(new URL("./fixtures/ledger-stdio.ts", import.meta.url));

function setup() {
  const dir = mkdtempSync(join(tmpdir(), "tp-gov-cli-"));
  const db = join(dir, "ledger.db");
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const exec = async (...argv: string[]) => {
    const out = { stdout: "", stderr: "" };
    // Generous connect timeout: on a loaded machine tsx can take long to start the stdio server.
    const server = ["--server", `ledger=${TSX} ${LEDGER} ${db}`, "--connect-timeout-ms", "120000"];
    const code = await main([...argv, ...server], {
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
  const rows = () => {
    const sqlite = new DatabaseSync(db);
    try {
      return sqlite.prepare("SELECT customer FROM orders ORDER BY id").all();
    } finally {
      sqlite.close();
    }
  };
  return { dir, write, exec, rows };
}

const PROGRAM = `
const before = await ledger.list_orders({});
const made = await ledger.create_order({ customer: "acme", amount_minor: 250, lines: [{ sku: "a", qty: 1 }] });
return { before, made };`;

describe("toolpacks exec with governance flags", () => {
  it("documents the flags in --help", async () => {
    const out = { text: "" };
    await main(["--help"], { stdout: (t) => (out.text += t), stderr: () => {}, stdin: async () => "" });
    for (const flag of ["--policy", "--role", "--principal", "--approve", "--audit", "--dry-run"]) {
      expect(out.text).toContain(flag);
    }
  });

  it("a read-only role is refused before any call; a bad role is a usage error", async () => {
    const { write, exec, rows } = setup();
    const policy = write("policy.json", JSON.stringify({ roles: { analyst: { readOnly: true } } }));
    const prog = write("p.js", PROGRAM);
    const refused = await exec("exec", prog, "--policy", policy, "--role", "analyst");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/PREFLIGHT_REFUSED.*ledger\.create_order/s);
    expect(rows()).toEqual([]);
    const typo = await exec("exec", prog, "--policy", policy, "--role", "analyts");
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/Role "analyts" is not defined/);
  });

  it("--dry-run shows the plan and writes nothing until approved; the same --run-id never writes twice", async () => {
    const { write, exec, rows, dir } = setup();
    const prog = write("p.js", PROGRAM);
    const audit = join(dir, "audit.jsonl");
    const dry = await exec(
      "exec",
      prog,
      "--dry-run",
      "--approve",
      "deny",
      "--run-id",
      "r1",
      "--audit",
      audit,
    );
    expect(dry.code).toBe(0);
    expect(dry.stderr).toContain("dry-run r1: this run would write: ledger.create_order");
    expect(dry.stderr).toContain("not committed");
    expect(rows()).toEqual([]);

    const commit = await exec(
      "exec",
      prog,
      "--dry-run",
      "--approve",
      "auto",
      "--run-id",
      "r1",
      "--principal",
      "ann",
    );
    expect(commit.code).toBe(0);
    expect(JSON.parse(commit.stdout)).toMatchObject({ made: { order_id: 1 } });
    const again = await exec("exec", prog, "--run-id", "r1", "--json", "--approve", "auto");
    expect(JSON.parse(again.stdout).result).toMatchObject({ made: { order_id: 1 } });
    expect(rows()).toEqual([{ customer: "acme" }]);

    const lines = readFileSync(audit, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.phase, l.tool, l.dryRun])).toEqual([
      ["intent", "list_orders", false],
      ["outcome", "list_orders", false],
      ["intent", "create_order", true],
      ["outcome", "create_order", true],
    ]);
  }, 60_000); // four CLI runs, each starting a stdio server: slow on a loaded machine
});

describe("toolpacks exec: safe defaults", () => {
  it("with no policy and no terminal, reads run and writes are refused with a message naming --approve auto and --policy", async () => {
    const { write, exec, rows } = setup();
    const prog = write(
      "p.js",
      `const before = await ledger.list_orders({});
       try { await ledger.create_order({ customer: "acme", amount_minor: 250, lines: [] }); return "written"; }
       catch (e) { return { before, refused: e.code }; }`,
    );
    const run = await exec("exec", prog);
    expect(JSON.parse(run.stdout)).toEqual({ before: { orders: 0 }, refused: "APPROVAL_REJECTED" });
    // Said to the person at the command line even though the program caught the refusal.
    expect(run.stderr).toMatch(/not a terminal.*--approve auto.*--policy/);
    expect(rows()).toEqual([]);
  });

  it("--approve deny sends no write even when the policy allows it; reads still run", async () => {
    const { write, exec, rows, dir } = setup();
    const policy = write("policy.json", JSON.stringify({ defaults: { write: "allow" } }));
    const audit = join(dir, "audit.jsonl");
    const run = await exec(
      "exec",
      write("p.js", PROGRAM),
      "--policy",
      policy,
      "--approve",
      "deny",
      "--audit",
      audit,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/APPROVAL_REJECTED.*approvals are set to deny/s);
    expect(rows()).toEqual([]);
    const lines = readFileSync(audit, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    // The write never had an intent record: it was never about to be sent.
    expect(lines.map((l) => [l.phase, l.tool, l.outcome])).toEqual([
      ["intent", "list_orders", "pending"],
      ["outcome", "list_orders", "ok"],
      ["outcome", "create_order", "APPROVAL_REJECTED"],
    ]);
  });
});

describe("toolpacks exec: audit that cannot be written", () => {
  const failingAudits = [
    [
      "a path whose directory is a file",
      (dir: string) => {
        writeFileSync(join(dir, "blocker"), "");
        return join(dir, "blocker", "audit.jsonl");
      },
    ],
    ...(existsSync("/dev/full") ? [["/dev/full", () => "/dev/full"] as const] : []),
  ] as const;
  for (const [label, auditPath] of failingAudits) {
    it(`--audit on ${label}: nothing is sent, a clean error and exit 1, no crash`, async () => {
      const { write, exec, rows, dir } = setup();
      const prog = write(
        "p.js",
        `try { await ledger.create_order({ customer: "acme", amount_minor: 250, lines: [] }); }
         catch (e) { return e.code; }`,
      );
      const run = await exec("exec", prog, "--approve", "auto", "--audit", auditPath(dir));
      expect(run.code).toBe(1);
      // Even though the program caught AUDIT_UNAVAILABLE and "succeeded", the run reports the gap.
      expect(run.stdout.trim()).toBe('"AUDIT_UNAVAILABLE"');
      expect(run.stderr).toMatch(/audit trail of run .* is incomplete/);
      expect(run.stderr).toMatch(/NOT sent.*ledger\.create_order #0/s);
      expect(rows()).toEqual([]);
    });
  }

  it.runIf(existsSync("/dev/full"))(
    "the real toolpacks process with --audit /dev/full exits 1 with a clean message, not a crash",
    async () => {
      const { write, dir } = setup();
      const prog = write("p.js", PROGRAM);
      const BIN = fileURLToPath(new URL("../cli/bin.ts", import.meta.url));
      const db = join(dir, "ledger.db");
      const child = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
        execFile(
          TSX,
          [
            BIN,
            "exec",
            prog,
            "--approve",
            "auto",
            "--audit",
            "/dev/full",
            "--server",
            `ledger=${TSX} ${LEDGER} ${db}`,
            "--connect-timeout-ms",
            "120000",
          ],
          { encoding: "utf8", timeout: 150_000 },
          (error, _stdout, stderr) => resolve({ status: error ? (error.code as number | null) : 0, stderr }),
        );
      });
      expect(child.status).toBe(1);
      expect(child.stderr).toMatch(/error AUDIT_UNAVAILABLE/);
      expect(child.stderr).toMatch(/audit trail of run .* is incomplete/);
      expect(child.stderr).not.toMatch(/Unhandled|node:internal|^\s+at /m);
    },
    180_000, // a real process: tsx start-up for the CLI and for the stdio server
  );
});
