import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ApprovalRequest } from "../approvals/approver.js";
import { jsonlAuditSink } from "../audit/jsonl-sink.js";
import { MemoryAuditSink } from "../audit/record.js";
import { createGovernance } from "../create-governance.js";
import { startLedger } from "../fixtures/ledger-server.js";
import { ALLOW_WRITES } from "../fixtures/policies.js";
import { createRedactor } from "./redactor.js";

const SECRET = "sk_live_51Hx9Zq8Secret";
let ledger: Awaited<ReturnType<typeof startLedger>>;
afterEach(() => ledger?.close());

describe("redaction", () => {
  it("no configured secret appears in any result, error, approval, plan or audit line, even when a tool echoes it", async () => {
    ledger = await startLedger({ secret: SECRET });
    const file = join(mkdtempSync(join(tmpdir(), "tp-audit-")), "audit.jsonl");
    const memory = new MemoryAuditSink();
    const asked: ApprovalRequest[] = [];
    const gov = createGovernance({
      tracer: false,
      secrets: [SECRET],
      piiFields: ["email"],
      audit: [memory, jsonlAuditSink(file)],
      policy: { rules: [{ tools: "ledger.create_order", effect: "require_approval" }] },
      approver: (r) => {
        asked.push(r);
        return false;
      },
    });
    const echoed = await ledger.call(gov, "r", 0, "echo_config", { note: `copy ${SECRET}` });
    const failed = await ledger.call(gov, "r", 1, "echo_config", { note: "fail" });
    const rejected = await ledger
      .call(gov, "r", 2, "create_order", {
        customer: SECRET,
        amount_minor: 1,
        lines: [],
        email: "ann@acme.test",
      })
      .catch((e) => e);
    await gov.endRun("r");

    const everything = [
      JSON.stringify(echoed),
      JSON.stringify(failed),
      String(rejected?.message),
      String(rejected?.stack),
      JSON.stringify(asked.map(({ signal: _s, ...r }) => r)),
      JSON.stringify(memory.records),
      readFileSync(file, "utf8"),
    ];
    for (const text of everything) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain("ann@acme.test");
    }
    expect(JSON.stringify(echoed)).toContain("token=[REDACTED]");
    // Two sent calls (intent and outcome each) and one refusal.
    expect(readFileSync(file, "utf8").trim().split("\n")).toHaveLength(5);
  });

  it("hides encoded forms of a secret and PII fields inside free text", () => {
    const r = createRedactor({ secrets: [SECRET, "p@ss word"], piiFields: ["email", "phone"] });
    expect(r.text(`Bearer ${btoa(SECRET)}`)).toBe("Bearer [REDACTED]");
    expect(r.text(`q=${encodeURIComponent("p@ss word")}`)).toBe("q=[REDACTED]");
    expect(r.text('{"email": "a@b.c", "phone":123, "name":"x"}', { pii: true })).toBe(
      '{"email": "[REDACTED]", "phone":"[REDACTED]", "name":"x"}',
    );
    expect(r.text("contact email=a@b.c now", { pii: true })).toBe("contact email=[REDACTED] now");
    expect(r.value({ Email: "a@b.c", nested: [{ note: SECRET }] }, { pii: true })).toEqual({
      Email: "[REDACTED]",
      nested: [{ note: "[REDACTED]" }],
    });
    expect(r.leaks(`x${SECRET}`)).toBe(true);
    expect(createRedactor({ secrets: [""] }).text("abc")).toBe("abc");
  });
});

describe("run output", () => {
  it("hides a secret the program rebuilt or printed, and PII in logs and errors but not in the value", () => {
    const gov = createGovernance({
      tracer: false,
      policy: ALLOW_WRITES,
      secrets: [SECRET],
      piiFields: ["email"],
    });
    const output = gov.redactOutput({
      ok: false,
      value: { email: "kept@acme.test", token: SECRET },
      logs: [{ level: "log", text: `token ${SECRET.slice(0, 8)}${SECRET.slice(8)} email=ann@acme.test` }],
      error: { code: "RUNTIME_ERROR", message: `bad ${SECRET} {"email":"bob@acme.test"}` },
    });
    expect(output).toEqual({
      ok: false,
      value: { email: "kept@acme.test", token: "[REDACTED]" },
      logs: [{ level: "log", text: "token [REDACTED] email=[REDACTED]" }],
      error: { code: "RUNTIME_ERROR", message: 'bad [REDACTED] {"email":"[REDACTED]"}' },
    });
  });
});
