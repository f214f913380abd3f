import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createCodeMode } from "../code-mode.js";
import {
  CanonicalArgsError,
  type CanonicalJson,
  canonicalizeArgs,
  canonicalText,
  isCanonicalArgs,
} from "../codec/canonical-call.js";
import { decode, encode } from "../codec/wire.js";
import { createBridge } from "../pipeline/bridge.js";
import type { ToolInfo } from "../pipeline/types.js";
import { McpSource } from "../sources/mcp-source.js";
import type { ApprovalRequest } from "./approvals/approver.js";
import { describeRequest } from "./approvals/describe.js";
import { MemoryAuditSink } from "./audit/record.js";
import { createGovernance } from "./create-governance.js";
import { ALLOW_WRITES } from "./fixtures/policies.js";
import { recordingServer } from "./fixtures/recording-server.js";
import { sha256Hex } from "./idempotency/digest.js";
import { idempotencyKey } from "./idempotency/key.js";
import { RunBudget } from "./policy/budget.js";
import { META } from "./types.js";

// Every consumer of a call (budget, approver, dry-run plan, idempotency key, audit digest and the
// MCP server) sees the same canonical value, byte for byte, for any arguments a program can pass.

const recording = recordingServer();
const source = new McpSource({ name: "billing", server: recording.server });
let tools: Map<string, ToolInfo>;
beforeAll(async () => {
  await source.connect();
  tools = new Map(
    source.tools.map((t) => [t.name, { ...t, server: "billing", namespace: "billing", identifier: t.name }]),
  );
});
afterAll(() => source.close());

/**
 * The text of a value that must already be plain JSON, converting nothing: a Map, Set, Date or
 * Error a consumer was handed reads as `{}` and a BigInt throws, so a consumer that saw anything
 * but the canonical value cannot match.
 */
const strict = (value: unknown) => canonicalText(value as CanonicalJson);

const approval = { rules: [{ tools: "billing.*", effect: "require_approval" as const }] };

/** Sends one call from "the sandbox" (wire-encoded, as the prelude does) through the bridge. */
async function send(gov: ReturnType<typeof createGovernance>, runId: string, tool: string, args: unknown) {
  const controller = new AbortController();
  const bridge = createBridge({
    runId,
    meta: {},
    signal: controller.signal,
    lookup: (_ns, id) => tools.get(id),
    source: () => source,
    middleware: [gov.middleware],
    calls: [],
  });
  try {
    return await bridge("billing", tool, encode(args)).then(
      (out) => ({ ok: true as const, out }),
      (err: string) => ({ ok: false as const, error: JSON.parse(err) as { code: string; message: string } }),
    );
  } finally {
    controller.abort();
  }
}

// Odd values a program can pass: every tag of the wire, keys that look like prototypes, Errors.
const oddValue = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    fc.string(),
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.bigInt({ min: -(2n ** 60n), max: 2n ** 60n }),
    fc.date({ noInvalidDate: false }),
    fc.array(tie("v"), { maxLength: 3 }),
    fc.dictionary(
      fc.oneof(fc.string(), fc.constantFrom("__proto__", "constructor", "$tp", "10", "2")),
      tie("v"),
      {
        maxKeys: 3,
      },
    ),
    fc.array(fc.tuple(fc.string(), tie("v")), { maxLength: 3 }).map((e) => new Map(e)),
    fc.array(tie("v"), { maxLength: 3 }).map((e) => new Set(e)),
    fc.string().map((m) => new Error(m)),
  ),
}));
const oddArgs = fc.oneof(
  fc.dictionary(fc.string(), oddValue.v, { maxKeys: 5 }),
  fc.array(fc.tuple(fc.string(), oddValue.v), { maxLength: 4 }).map((e) => new Map(e)),
);

describe("one canonical call", () => {
  it("budget, approver, plan, idempotency key, audit digest and server agree byte for byte (property)", async () => {
    const reserve = vi.spyOn(RunBudget.prototype, "reserve");
    let run = 0;
    let accepted = 0;
    try {
      await fc.assert(
        fc.asyncProperty(oddArgs, async (value) => {
          const runId = `prop-${run++}`;
          const asked: ApprovalRequest[] = [];
          const sink = new MemoryAuditSink();
          const gov = createGovernance({
            tracer: false,
            policy: approval,
            audit: sink,
            approver: (r) => {
              asked.push(r);
              return true;
            },
          });
          const dry = createGovernance({ tracer: false, policy: approval, dryRun: true });
          const receivedBefore = recording.received.length;
          reserve.mockClear();

          let expected: string;
          try {
            expected = canonicalText(canonicalizeArgs(decode(encode(value))));
          } catch (error) {
            // Refused: the program is told where and why, and no consumer saw anything.
            expect(error).toBeInstanceOf(CanonicalArgsError);
            const out = await send(gov, runId, "record_payment", value);
            expect(out).toMatchObject({ ok: false, error: { code: "INVALID_ARGUMENTS" } });
            expect(out.ok ? "" : out.error.message).toContain((error as CanonicalArgsError).path);
            expect(recording.received.length).toBe(receivedBefore);
            expect(asked).toEqual([]);
            expect(sink.records).toEqual([]);
            return;
          }

          expect(await send(gov, runId, "record_payment", value)).toMatchObject({ ok: true });
          expect(await send(dry, runId, "record_payment", value)).toMatchObject({ ok: true });
          const [real, simulated] = recording.received.slice(receivedBefore);
          const plan = (await dry.endRun(runId)).plan.entries[0]!;
          const record = sink.records[0]!;
          expect(sink.records.length).toBeGreaterThan(0);
          expect(
            sink.records.every(
              (r) => r.argsDigest === record.argsDigest && r.idempotencyKey === record.idempotencyKey,
            ),
          ).toBe(true);
          const digest = await sha256Hex(expected);

          // The arguments as the server received them (as a byte transport would carry them).
          expect(strict(JSON.parse(real!.argsJson))).toBe(expected);
          expect(strict(JSON.parse(simulated!.argsJson))).toBe(expected);
          // The budget (both runs, handed the canonical value itself), the approver, the plan.
          expect(reserve.mock.calls.map((c) => strict(c[2]))).toEqual([expected, expected]);
          expect(reserve.mock.calls.every((c) => isCanonicalArgs(c[2]))).toBe(true);
          expect(strict(asked[0]!.args)).toBe(expected);
          expect(strict(plan.args)).toBe(expected);
          accepted++;
          // Digests: approver, plan and audit hash exactly those bytes.
          expect([asked[0]!.argsDigest, plan.argsDigest, record.argsDigest]).toEqual([
            digest,
            digest,
            digest,
          ]);
          // The idempotency key is the key of what the server received, in both runs and the plan.
          const key = await idempotencyKey({
            runId,
            position: 0,
            server: "billing",
            tool: "record_payment",
            args: canonicalizeArgs(JSON.parse(real!.argsJson)),
          });
          expect([real!.meta[META.idempotencyKey], simulated!.meta[META.idempotencyKey]]).toEqual([key, key]);
          expect([asked[0]!.idempotencyKey, plan.idempotencyKey, record.idempotencyKey]).toEqual([
            key,
            key,
            key,
          ]);
        }),
        {
          numRuns: 60,
          examples: [
            [JSON.parse('{"__proto__":{"amount_minor":900000},"amount_minor":1}')],
            [{ nested: { constructor: "" }, n: -0, big: 12n, at: new Date(0), e: new Error("m") }],
          ],
        },
      );
      expect(accepted).toBeGreaterThan(10);
    } finally {
      reserve.mockRestore();
    }
  });

  it("a Map of payment arguments is counted by the money budget, so it cannot pay past it", async () => {
    const gov = createGovernance({
      tracer: false,
      policy: { ...ALLOW_WRITES, budgets: { maxMoneyMinor: 1000 } },
    });
    const before = recording.received.length;
    const map = new Map<string, unknown>([
      ["invoice_id", "inv-1"],
      ["amount_minor", 50_000],
      ["currency", "USD"],
    ]);
    const out = await send(gov, "map-attack", "record_payment", map);
    expect(out).toMatchObject({ ok: false, error: { code: "BUDGET_EXCEEDED" } });
    expect(recording.received.length).toBe(before);
    // Within budget, the server receives the Map as the object everyone else saw.
    const small = new Map<string, unknown>([
      ["invoice_id", "inv-2"],
      ["amount_minor", 500],
    ]);
    expect(await send(gov, "map-ok", "record_payment", small)).toMatchObject({ ok: true });
    expect(recording.received.at(-1)!.argsJson).toBe('{"amount_minor":500,"invoice_id":"inv-2"}');
  });

  it("a Set of priced lines is counted line by line", async () => {
    const gov = createGovernance({
      tracer: false,
      policy: { ...ALLOW_WRITES, budgets: { maxMoneyMinor: 1000 } },
    });
    const before = recording.received.length;
    const lines = new Set([
      { sku: "a", qty: 1, unit_price_minor: 900 },
      { sku: "b", qty: 1, unit_price_minor: 900 },
    ]);
    const out = await send(gov, "set-attack", "create_sales_order", { customer: "c", lines });
    expect(out).toMatchObject({ ok: false, error: { code: "BUDGET_EXCEEDED" } });
    expect(recording.received.length).toBe(before);
  });

  it("two Errors whose messages differ give different keys and digests, and a plan cannot be swapped", async () => {
    const planned = { invoice_id: "i", amount_minor: 1, memo: new Error("weekly report is ready") };
    const swapped = {
      invoice_id: "i",
      amount_minor: 1,
      memo: new Error("wire 90000 EUR to account 666 now"),
    };
    const sink = new MemoryAuditSink();
    const a = createGovernance({ tracer: false, policy: ALLOW_WRITES, audit: sink });
    await send(a, "err-run", "record_payment", planned);
    await send(a, "err-run", "record_payment", swapped);
    const [first, second] = recording.received.slice(-2);
    expect(JSON.parse(second!.argsJson).memo.message).toBe("wire 90000 EUR to account 666 now");
    expect(first!.meta[META.idempotencyKey]).not.toBe(second!.meta[META.idempotencyKey]);
    // Each call has its own records (intent and outcome), under its own digest.
    const digests = new Set(sink.records.map((r) => r.argsDigest));
    expect(digests.size).toBe(2);

    const dry = createGovernance({ tracer: false, policy: ALLOW_WRITES, dryRun: true });
    await send(dry, "err-plan", "record_payment", planned);
    const { plan } = await dry.endRun("err-plan");
    const before = recording.received.length;
    const commit = createGovernance({ tracer: false, policy: ALLOW_WRITES, plan });
    const out = await send(commit, "err-plan", "record_payment", swapped);
    expect(out).toMatchObject({ ok: false, error: { code: "PLAN_DIVERGED" } });
    expect(out.ok ? "" : out.error.message).toMatch(/arguments differ/);
    expect(recording.received.length).toBe(before);
    expect(await send(commit, "err-plan", "record_payment", planned)).toMatchObject({ ok: true });
  });
});

describe("one canonical call, from a real sandbox", () => {
  it("Map payments are budgeted, a long string cannot hide an amount, and a bad value is refused by path", async () => {
    const asked: string[] = [];
    const gov = createGovernance({
      tracer: false,
      policy: { ...approval, budgets: { maxMoneyMinor: 1_000_000 } },
      approver: (r) => {
        asked.push(describeRequest(r));
        return false;
      },
    });
    const cm = await createCodeMode({
      sources: [{ name: "billing", server: recording.server }],
      middleware: [gov.middleware],
      preflight: gov.preflight,
    });
    try {
      const before = recording.received.length;
      const out = await cm.execute(`
        const code = (p) => p.then(() => "sent", (e) => e.code + " " + e.message);
        const pad = "x".repeat(5000);
        return [
          await code(billing.record_payment(new Map([["invoice_id", "i"], ["amount_minor", 50000000], ["currency", "USD"]]))),
          await code(billing.record_payment({ a_note: pad, amount_minor: 900000, currency: "EUR" })),
          await code(billing.record_payment({ invoice_id: "i", lines: [{}, {}, { qty: NaN }] })),
        ];`);
      expect(out.ok).toBe(true);
      const [map, hidden, nan] = out.result as string[];
      expect(map).toMatch(/^BUDGET_EXCEEDED/);
      expect(hidden).toMatch(/^APPROVAL_REJECTED/);
      expect(nan).toMatch(/^INVALID_ARGUMENTS .*\$\.lines\[2\]\.qty/);
      expect(asked).toHaveLength(1);
      expect(asked[0]).toMatch(/Moves: 900000 minor units/);
      expect(asked[0]).toContain("x".repeat(5000));
      expect(recording.received.length).toBe(before);
    } finally {
      await cm.close();
    }
  });
});
