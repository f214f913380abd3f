import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
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
    const code = await main([...argv, "--server", `ledger=${TSX} ${LEDGER} ${db}`], {
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
    const again = await exec("exec", prog, "--run-id", "r1", "--json");
    expect(JSON.parse(again.stdout).result).toMatchObject({ made: { order_id: 1 } });
    expect(rows()).toEqual([{ customer: "acme" }]);

    const lines = readFileSync(audit, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.tool, l.dryRun])).toEqual([
      ["list_orders", false],
      ["create_order", true],
    ]);
  });
});
