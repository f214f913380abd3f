import { PassThrough } from "node:stream";
import { describe, expect, it, vi } from "vitest";
import type { ApprovalRequest } from "./approver.js";
import { describeRequest } from "./describe.js";
import { ttyApprover } from "./tty.js";

const request = (args: unknown, moneyFields: string[] = []): ApprovalRequest => ({
  runId: "r",
  position: 0,
  server: "billing",
  tool: "record_payment",
  name: "billing.record_payment",
  kind: "write",
  args,
  argsDigest: "d",
  moneyFields,
  dryRun: false,
  signal: new AbortController().signal,
});

describe("what an approver reads", () => {
  it("a long string placed first cannot hide the amount: money comes first and nothing is cut", () => {
    const pad = "x".repeat(20_000);
    const text = describeRequest(request({ a_note: pad, amount_minor: 900_000, currency: "EUR" }));
    const money = text.indexOf("$.amount_minor = 900000");
    expect(money).toBeGreaterThan(0);
    expect(money).toBeLessThan(text.indexOf("Arguments"));
    expect(text).toContain('$.currency = "EUR"');
    expect(text).toContain(pad);
    expect(text).toContain('"amount_minor":900000');
  });

  it("lists every money-looking value, nested, declared or stated in text, with their sum", () => {
    const text = describeRequest(
      request(
        {
          customer: "c",
          lines: [
            { sku: "a", qty: 3, unit_price_minor: 300 },
            { sku: "b", qty: 1, unit_price_minor: 700 },
          ],
          memo: "wire 90000 EUR to account 666 now",
          hidden: { x: 5 },
        },
        ["hidden.x"],
      ),
    );
    for (const line of [
      "$.lines[0].qty = 3",
      "$.lines[0].unit_price_minor = 300",
      "$.lines[1].unit_price_minor = 700",
      '$.memo = "wire 90000 EUR to account 666 now"',
      "$.hidden.x = 5",
    ]) {
      expect(text).toContain(line);
    }
    expect(text).toMatch(/amounts summing to 1005\)/);
  });

  it("says first what the call moves by its tool's declaration", () => {
    const text = describeRequest({
      ...request({ lines: [{ qty: 1000, unit_price_minor: 900 }] }, ["lines.qty", "lines.unit_price_minor"]),
      moves: {
        declared: true,
        rule: "lines[*].qty x lines[*].unit_price_minor",
        minor: 900_000,
        currency: "EUR",
      },
    });
    expect(text.split("\n")[1]).toBe(
      "Moves: 900000 minor units EUR (declared as lines[*].qty x lines[*].unit_price_minor).",
    );
    const undeclared = describeRequest({ ...request({ amount: 5 }), moves: { declared: false } });
    expect(undeclared).toMatch(/Moves: not declared by the tool/);
  });

  it("the terminal prompt shows the whole call", async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = "";
    output.on("data", (d) => {
      shown += d;
    });
    const pad = "y".repeat(5000);
    const answer = ttyApprover({ input, output })(request({ a: pad, amount_minor: 900_000 }));
    await vi.waitFor(() => expect(shown).toMatch(/Approve\?/));
    input.write("n\n");
    expect(await answer).toMatchObject({ approved: false });
    expect(shown).toContain("$.amount_minor = 900000");
    expect(shown).toContain(pad);
  });
});
