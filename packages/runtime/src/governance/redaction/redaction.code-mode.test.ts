import { afterEach, describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { type CodeMode, createCodeMode } from "../../code-mode.js";
import { createGovernance } from "../create-governance.js";
import { type LeakedSecrets, leakForms, leakyServer } from "../fixtures/leaky-server.js";
import { fromBase64, fromHex } from "../fixtures/secret-encodings.js";

// End to end: a tool hands a secret back in every form it can take, a real program in the QuickJS
// sandbox collects what it received and returns it as character codes (pieces, which output
// redaction cannot recognise), so anything that reached the sandbox shows up here.

const SECRETS: LeakedSecrets = {
  ascii: "sk_live/51Hx9Zq8Secret",
  unicode: "P\u00e4ssw\u00f6rd-\u03a9mega-2024",
  numeric: "98765432109",
};
const FORMS = Object.keys(leakForms(SECRETS));
const PROGRAM = `
  const got = {};
  for (const form of ${JSON.stringify(FORMS)}) {
    try { got[form] = await leaky.reveal({ form }); } catch (e) { got[form] = { error: e.message }; }
  }
  console.log("received", JSON.stringify(got));
  return [...JSON.stringify(got)].map((c) => c.charCodeAt(0));`;

let open: CodeMode[] = [];
afterEach(async () => {
  await Promise.all(open.map((cm) => cm.close()));
  open = [];
});

async function leakyCodeMode(secrets: string[], extra: { unreachableUrl?: string } = {}) {
  const gov = createGovernance({ tracer: false, secrets });
  const cm = await createCodeMode({
    sources: [
      { name: "leaky", server: () => leakyServer(SECRETS) },
      ...(extra.unreachableUrl
        ? [{ name: "remote", url: extra.unreachableUrl, connectTimeoutMs: 5000 }]
        : []),
    ],
    middleware: [gov.middleware],
    onResult: gov.redactOutput,
    redact: gov.redactor.text,
  });
  open.push(cm);
  return cm;
}

/**
 * Every plain text an attacker can recover from a value by undoing one listed encoding, computed
 * independently of the redactor under test.
 */
function recoverable(value: unknown): string[] {
  const out: string[] = [];
  const visit = (v: unknown) => {
    if (typeof v === "number" || typeof v === "bigint") out.push(String(v));
    else if (typeof v === "string") {
      out.push(v, v.normalize("NFC"), v.normalize("NFKC"), [...v].reverse().join(""));
      try {
        out.push(decodeURIComponent(v));
      } catch {}
      for (const run of v.match(/[A-Za-z0-9+/_-]{8,}={0,2}/g) ?? []) out.push(fromBase64(run));
      for (const run of v.match(/[0-9a-fA-F]{16,}/g) ?? []) out.push(fromHex(run));
    } else if (v && typeof v === "object") for (const x of Object.values(v)) visit(x);
  };
  visit(value);
  return out;
}
const leaked = (value: unknown) =>
  recoverable(value).some((t) => Object.values(SECRETS).some((s) => t.includes(s)));

async function receivedBySandbox(cm: CodeMode): Promise<Record<string, unknown>> {
  const out = await cm.execute(PROGRAM);
  expect(out.ok).toBe(true);
  return JSON.parse(String.fromCharCode(...(out.result as number[])));
}

describe("redaction before the sandbox", () => {
  it("without secrets configured, the program recovers the secret from every form (the fixture leaks)", async () => {
    const received = await receivedBySandbox(await leakyCodeMode([]));
    for (const form of FORMS)
      expect({ form, leaked: leaked(received[form]) }).toEqual({ form, leaked: true });
  });

  it("with the secrets configured, no form reaches the program: result, logs and calls hold none", async () => {
    const cm = await leakyCodeMode(Object.values(SECRETS));
    const out = await cm.execute(PROGRAM);
    const received = JSON.parse(String.fromCharCode(...(out.result as number[])));
    for (const form of FORMS) {
      expect({ form, leaked: leaked(received[form]) }).toEqual({ form, leaked: false });
      expect(JSON.stringify(received[form])).toContain("[REDACTED]");
    }
    expect(leaked(out.logs)).toBe(false);
    expect(leaked(out.calls)).toBe(false);
  });

  it("a program that holds a secret cannot print or return it hex-encoded, reversed or spelled out", async () => {
    const cm = await leakyCodeMode(Object.values(SECRETS));
    const s = JSON.stringify(SECRETS.ascii);
    const out = await cm.execute(`
      const s = ${s};
      const hex = [...s].map((c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join("");
      console.log("hex", hex, "reversed", [...s].reverse().join(""));
      return { hex, codes: [...s].map((c) => c.charCodeAt(0)), chars: [...s], upper: s.toUpperCase() };`);
    expect(out.result).toEqual({
      hex: "[REDACTED]",
      codes: "[REDACTED]",
      chars: "[REDACTED]",
      upper: "[REDACTED]",
    });
    expect(out.logs.map((l) => l.text)).toEqual(["hex [REDACTED] reversed [REDACTED]"]);
  });

  it("a secret in an unreachable server's URL is not in the declarations, search, status or a call's error", async () => {
    const url = `http://127.0.0.1:9/mcp?key=${SECRETS.ascii}&alt=${encodeURIComponent(SECRETS.unicode)}`;
    const cm = await leakyCodeMode(Object.values(SECRETS), { unreachableUrl: url });
    const remote = cm.status().find((s) => s.server === "remote");
    expect(remote?.status).toBe("failed");
    const shown = [cm.declarations(), cm.declarations({ detail: "full" }), JSON.stringify(cm.status())];
    shown.push(JSON.stringify(cm.search("configuration value")));
    for (const text of shown) expect(leaked(text)).toBe(false);
    expect(cm.declarations()).toMatch(/remote.*unavailable.*\[REDACTED\]/s);
    const call = await cm.execute(
      "try { await remote.ping({}); return 'sent'; } catch (e) { return [...String(e.code) + ' ' + e.message].map((c) => c.charCodeAt(0)); }",
    );
    const message = String.fromCharCode(...(call.result as number[]));
    expect(message).toMatch(/^SERVER_UNAVAILABLE .*\[REDACTED\]/);
    expect(leaked(message)).toBe(false);
  });
});

describe("toolpacks CLI with --redact-env", () => {
  const url = `remote=http://127.0.0.1:9/mcp?key=${SECRETS.ascii}`;
  async function run(...argv: string[]) {
    const out = { code: 0, stdout: "", stderr: "" };
    out.code = await main(argv, {
      stdout: (t) => {
        out.stdout += t;
      },
      stderr: (t) => {
        out.stderr += t;
      },
      stdin: async () => "",
    });
    return out;
  }

  it("hides the secret in the server URL from the types output and the warning on stderr", async () => {
    process.env.TP_REDACTION_TEST_KEY = SECRETS.ascii;
    try {
      const plain = await run("types", "--server", url);
      expect(plain.stdout + plain.stderr).toContain(SECRETS.ascii);
      const redacted = await run("types", "--server", url, "--redact-env", "TP_REDACTION_TEST_KEY");
      expect(redacted.stdout).toContain("[REDACTED]");
      expect(redacted.stderr).toContain("[REDACTED]");
      expect(redacted.stdout + redacted.stderr).not.toContain(SECRETS.ascii);
    } finally {
      delete process.env.TP_REDACTION_TEST_KEY;
    }
  }, 30_000);

  it("refuses a --redact-env value too short to redact safely, naming the variable", async () => {
    process.env.TP_REDACTION_SHORT = "abc";
    try {
      const out = await run("types", "--pack", "billing", "--redact-env", "TP_REDACTION_SHORT");
      expect(out.code).toBe(2);
      expect(out.stderr).toMatch(/--redact-env TP_REDACTION_SHORT: .* 3 characters; .* at least 8/);
    } finally {
      delete process.env.TP_REDACTION_SHORT;
    }
  });
});
