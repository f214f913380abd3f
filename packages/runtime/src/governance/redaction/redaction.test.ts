import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { resultValue } from "../../sources/mcp-source.js";
import type { ApprovalRequest } from "../approvals/approver.js";
import { jsonlAuditSink } from "../audit/jsonl-sink.js";
import { MemoryAuditSink } from "../audit/record.js";
import { createGovernance } from "../create-governance.js";
import { startLedger } from "../fixtures/ledger-server.js";
import { ALLOW_WRITES } from "../fixtures/policies.js";
import { ENCODINGS } from "../fixtures/secret-encodings.js";
import { createRedactor, MIN_SECRET_LENGTH } from "./redactor.js";

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

// A secret with a "/" (JSON may write it "\/"), one that changes under NFC/NFD/NFKC, and a numeric one.
const ASCII = "sk_live/51Hx9Zq8Secret";
const UNICODE = "Pa\u0301ssw\u00f6rd-\u03a9mega-\ufb01x";
const NUMERIC = "98765432109";

describe("a secret in every recognised form", () => {
  const r = createRedactor({ secrets: [ASCII, UNICODE, NUMERIC] });
  for (const secret of [ASCII, UNICODE, NUMERIC]) {
    for (const [name, encode] of Object.entries(ENCODINGS)) {
      it(`${name} of ${JSON.stringify(secret)} is replaced`, () => {
        const encoded = encode(secret);
        const out = r.text(`before ${encoded} after`);
        expect(out).toContain("[REDACTED]");
        expect(out).not.toContain(encoded);
        expect(out).not.toContain(secret);
        expect(r.leaks(out)).toBe(false);
        expect(r.leaks(encoded)).toBe(true);
      });
    }
  }

  it("an encoded blob is replaced whole, plain and escaped forms only where they are", () => {
    const basic = `Basic ${btoa(`svc-user:${ASCII}`)}`;
    expect(r.text(`Authorization: ${basic}, ok`)).toBe("Authorization: Basic [REDACTED], ok");
    expect(r.text(`url=https://x.test/?k=${encodeURIComponent(ASCII)}&page=2`)).toBe(
      "url=https://x.test/?k=[REDACTED]&page=2",
    );
    expect(r.text(`{"k":"${ASCII.replace("/", "\\/")}","n":1}`)).toBe('{"k":"[REDACTED]","n":1}');
  });

  it("a string that only shows the secret once NFKC-normalised is returned normalised, secret replaced", () => {
    const fullWidth = [...ASCII].map((c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0)).join("");
    expect(r.text(`\u2460 key ${fullWidth}`)).toBe("1 key [REDACTED]");
  });
});

describe("a secret spelled out", () => {
  const r = createRedactor({ secrets: [ASCII, UNICODE] });
  it("as an array of characters, code points or UTF-8 bytes is replaced whole; other arrays are kept", () => {
    const bytes = [...new TextEncoder().encode(UNICODE)];
    const out = r.value({
      chars: [...ASCII],
      codes: [...ASCII].map((c) => c.charCodeAt(0)),
      reversedCodes: [...ASCII].reverse().map((c) => c.charCodeAt(0)),
      bytes,
      other: [1, 2, 3, 4, 5, 6, 7, 8, 9],
      words: ["a", "b", "c", "d", "e", "f", "g", "h"],
    });
    expect(out).toEqual({
      chars: "[REDACTED]",
      codes: "[REDACTED]",
      reversedCodes: "[REDACTED]",
      bytes: "[REDACTED]",
      other: [1, 2, 3, 4, 5, 6, 7, 8, 9],
      words: ["a", "b", "c", "d", "e", "f", "g", "h"],
    });
    expect(r.value(Array.from({ length: 100_000 }, (_, i) => i % 100))).toHaveLength(100_000);
  });

  it("as hex bytes written apart or as \\x escapes is replaced", () => {
    const hexBytes = [...new TextEncoder().encode(ASCII)].map((b) => b.toString(16).padStart(2, "0"));
    for (const form of [hexBytes.join(" "), hexBytes.join(":"), hexBytes.map((h) => `0x${h}`).join(", ")]) {
      expect(r.text(`dump: ${form} end`)).toBe("dump: [REDACTED] end");
    }
    expect(r.text(`"${hexBytes.map((h) => `\\x${h}`).join("")}"`)).toBe('"[REDACTED]"');
  });
});

describe("numbers", () => {
  const r = createRedactor({ secrets: [NUMERIC] });

  it("a number, BigInt or exponent form equal to a numeric secret is replaced; other numbers are kept", () => {
    expect(
      r.value({
        a: 98765432109,
        b: 98765432109n,
        c: 9.8765432109e10,
        d: [-98765432109],
        e: 9876543210,
        f: 42,
      }),
    ).toEqual({ a: "[REDACTED]", b: "[REDACTED]", c: "[REDACTED]", d: ["[REDACTED]"], e: 9876543210, f: 42 });
  });

  it("a number with the secret's digits inside it is replaced", () => {
    expect(r.value({ n: 1_98765432109 })).toEqual({ n: "[REDACTED]" });
  });

  it("byte arrays holding the secret are replaced, others kept", () => {
    const bytes = new TextEncoder().encode(`x${NUMERIC}`);
    const other = new Uint8Array([1, 2, 3]);
    expect(r.value({ bytes, other })).toEqual({ bytes: "[REDACTED]", other });
  });
});

describe("tool results, redacted as the program will receive them", () => {
  const r = createRedactor({ secrets: [ASCII, UNICODE, NUMERIC] });
  const text = (t: string) => ({ content: [{ type: "text" as const, text: t }] });
  const received = (result: Parameters<typeof r.toolResult>[0]) =>
    JSON.stringify(resultValue(r.toolResult(result)));
  const unicodeEscaped = (s: string) =>
    [...s].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");

  it.each([
    ["JSON text with \\/ escapes", text(`{"token":"${ASCII.replace("/", "\\/")}"}`)],
    ["JSON text with \\u escapes", text(`{"token":"${unicodeEscaped(ASCII)}"}`)],
    ["JSON text of the NFD form", text(JSON.stringify({ token: UNICODE.normalize("NFD") }))],
    ["a JSON number in text", text(`{"pin": ${NUMERIC}}`)],
    ["a bare number as the whole text", text(NUMERIC)],
    ["a number in structuredContent", { content: [], structuredContent: { pin: Number(NUMERIC) } }],
    [
      "a Basic header in structuredContent",
      { content: [], structuredContent: { h: `Basic ${btoa(`u:${ASCII}`)}` } },
    ],
    ["a duplicate key whose first value is dropped by the parser", text(`{"a":"${ASCII}","a":"x"}`)],
  ])("%s", (_name, result) => {
    const out = r.toolResult(result);
    const all = JSON.stringify(out);
    for (const secret of [ASCII, UNICODE, NUMERIC]) {
      expect(received(result)).not.toContain(secret);
      expect(r.leaks(all)).toBe(false);
    }
    // What the host parses from the redacted text is what was redacted: the text was re-serialised.
    for (const item of out.content)
      if (item.type === "text") expect(() => JSON.parse(item.text)).not.toThrow();
  });

  it("a result without a secret is returned with its text unchanged, byte for byte", () => {
    const raw = '{ "orders": [ {"id": "o-1", "total": 1200} ], "note": "caf\\u00e9" }';
    const result = { content: [{ type: "text" as const, text: raw }], structuredContent: { n: 1 } };
    expect(r.toolResult(result)).toEqual(result);
    expect(received(text("plain words, no JSON"))).toBe('"plain words, no JSON"');
  });
});

describe("no false positives", () => {
  it(`refuses a secret shorter than ${MIN_SECRET_LENGTH} characters, without printing it`, () => {
    const attempt = () => createRedactor({ secrets: ["hunter2"] });
    expect(attempt).toThrow(/at least 8/);
    expect(attempt).toThrow(expect.objectContaining({ code: "GOVERNANCE_USAGE" }));
    try {
      attempt();
    } catch (e) {
      expect((e as Error).message).not.toContain("hunter2");
    }
    // Length is counted in characters after NFC: five accented letters written decomposed are five.
    expect(() => createRedactor({ secrets: ["e\u0301e\u0301e\u0301e\u0301e\u0301"] })).toThrow(
      /has 5 characters/,
    );
  });

  it("leaves ordinary values alone: words, hashes, base64 blobs, URLs, numbers, unicode text", () => {
    const r = createRedactor({ secrets: [ASCII, UNICODE, NUMERIC] });
    const ordinary = {
      words: "Invoice INV-2024-0042 for ACME Corp is overdue by 12 days.",
      sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
      upperHex: "DEADBEEFCAFEBABE0011223344556677",
      blob: btoa("some perfectly ordinary binary-ish payload, nothing to hide"),
      url: "https://api.example.test/v1/orders?page=2&limit=50&q=caf%C3%A9",
      jwtish: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc",
      unicode: "Crème brûlée, Ωmega, ﬁnance, ①②③",
      numbers: [0, 1, 42, 1_000_000, 9876543210, 98765432108, 2.5, -1],
      big: 11112222333344445555n,
      short: "Pa\u0301ss",
    };
    expect(r.value(ordinary)).toEqual(ordinary);
  });
});
