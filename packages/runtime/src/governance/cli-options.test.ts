import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { extractGovernanceFlags, governanceOptionsFromFlags, runGoverned } from "./cli-options.js";
import { startLedger } from "./fixtures/ledger-server.js";

let ledger: Awaited<ReturnType<typeof startLedger>> | undefined;
afterEach(() => ledger?.close());

const dir = () => mkdtempSync(join(tmpdir(), "tp-cli-"));

describe("governance flags", () => {
  it("are taken out of argv in both --flag value and --flag=value forms", () => {
    const { flags, rest } = extractGovernanceFlags([
      "exec",
      "prog.ts",
      "--role",
      "ops",
      "--principal=ann",
      "--pack",
      "crm",
      "--dry-run",
      "--approve=auto",
      "--audit",
      "a.jsonl",
      "--redact-env",
      "TOKEN",
      "--pii-field",
      "email",
      "--run-id",
      "r1",
      "--json",
    ]);
    expect(rest).toEqual(["exec", "prog.ts", "--pack", "crm", "--json"]);
    expect(flags).toEqual({
      role: "ops",
      principal: "ann",
      dryRun: true,
      approve: "auto",
      auditFile: "a.jsonl",
      redactEnv: ["TOKEN"],
      piiFields: ["email"],
      runId: "r1",
    });
  });

  it("reject a missing value and an unknown approval mode with how to fix it", () => {
    expect(() => extractGovernanceFlags(["--policy"])).toThrow(
      /--policy needs a value, e.g. --policy policy.json/,
    );
    expect(() => extractGovernanceFlags(["--role", "--json"])).toThrow(/--role needs a value/);
    expect(() => extractGovernanceFlags(["--approve", "yes"])).toThrow(/auto, deny or prompt/);
  });

  it("fail before anything runs on a bad policy file, an unknown role or an unset secret variable", async () => {
    const d = dir();
    writeFileSync(join(d, "bad.json"), JSON.stringify({ rules: [{ tools: "*", effect: "nope" }] }));
    writeFileSync(join(d, "ok.json"), JSON.stringify({ roles: { ops: {} } }));
    const base = extractGovernanceFlags([]).flags;
    await expect(
      governanceOptionsFromFlags({ ...base, policyFile: join(d, "bad.json") }),
    ).rejects.toMatchObject({
      code: "POLICY_INVALID",
    });
    await expect(
      governanceOptionsFromFlags({ ...base, policyFile: join(d, "missing.json") }),
    ).rejects.toThrow(/Cannot read the policy file/);
    await expect(
      governanceOptionsFromFlags({ ...base, policyFile: join(d, "ok.json"), role: "admin" }),
    ).rejects.toMatchObject({ code: "GOVERNANCE_USAGE" });
    await expect(governanceOptionsFromFlags({ ...base, redactEnv: ["NOPE"] }, { env: {} })).rejects.toThrow(
      /NOPE is not set/,
    );
  });
});

describe("runGoverned", () => {
  it("--dry-run --approve deny shows the plan and writes nothing; --approve auto commits it with the same run id", async () => {
    ledger = await startLedger();
    const l = ledger;
    const d = dir();
    const audit = join(d, "audit.jsonl");
    const program = async (gov: Parameters<Parameters<typeof runGoverned>[2]>[0], runId: string) =>
      l.call(gov, runId, 0, "create_order", {
        customer: "acme",
        amount_minor: 5,
        lines: [{ sku: "a", qty: 1 }],
      });

    const lines: string[] = [];
    const denied = extractGovernanceFlags([
      "--dry-run",
      "--approve",
      "deny",
      "--run-id",
      "run-9",
      "--audit",
      audit,
    ]).flags;
    const first = await runGoverned(denied, await governanceOptionsFromFlags(denied), program, (x) =>
      lines.push(x),
    );
    expect(first.committed).toBe(false);
    expect(lines[0]).toBe("dry-run run-9: this run would write: ledger.create_order");
    expect(lines.at(-1)).toMatch(/--run-id run-9 --dry-run/);
    expect(l.dump()).toBe(JSON.stringify([[], [], []]));

    const auto = { ...denied, approve: "auto" as const };
    const second = await runGoverned(auto, await governanceOptionsFromFlags(auto), program, () => {});
    expect(second).toMatchObject({
      committed: true,
      runId: "run-9",
      result: { structuredContent: { order_id: 1 } },
    });
    const records = readFileSync(audit, "utf8")
      .trim()
      .split("\n")
      .map((x) => JSON.parse(x));
    expect(records.map((r) => [r.dryRun, r.decision])).toEqual([
      [true, "allow"],
      [true, "allow"],
      [false, "allow"],
    ]);
  });
});
