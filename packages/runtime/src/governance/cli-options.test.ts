import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { extractGovernanceFlags, governanceOptionsFromFlags } from "./cli-options.js";

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
    expect(() => extractGovernanceFlags(["--approve", "yes"])).toThrow(/auto, deny, prompt or defer/);
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
