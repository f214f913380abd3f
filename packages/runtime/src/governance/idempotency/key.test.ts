import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical.js";
import { idempotencyKey } from "./key.js";

const base = {
  runId: "r1",
  position: 3,
  server: "billing",
  tool: "create_invoice",
  args: { a: 1, b: [1, 2] },
};

describe("idempotency keys", () => {
  it("are the same for the same run, position and arguments, whatever the key order", async () => {
    const a = await idempotencyKey(base);
    const b = await idempotencyKey({ ...base, args: { b: [1, 2], a: 1 } });
    expect(a).toBe(b);
    expect(a).toMatch(/^tp1_[0-9a-f]{64}$/);
  });

  it("change with the run id, the position, the tool or any argument", async () => {
    const a = await idempotencyKey(base);
    const variants = [
      { ...base, runId: "r2" },
      { ...base, position: 4 },
      { ...base, tool: "void_invoice" },
      { ...base, args: { a: 2, b: [1, 2] } },
      { ...base, args: { a: 1, b: [2, 1] } },
    ];
    for (const v of variants) expect(await idempotencyKey(v)).not.toBe(a);
  });

  it("cannot be forged by a run id that contains the separator", async () => {
    const x = await idempotencyKey({ ...base, runId: 'r1",3,"billing' });
    expect(x).not.toBe(await idempotencyKey(base));
  });
});

describe("canonical JSON", () => {
  it("writes any value by the canonical-call rules, keys sorted, and rejects cycles", () => {
    expect(canonicalJson({ n: 1n })).not.toBe(canonicalJson({ n: "1" }));
    expect(canonicalJson({ n: 1n })).toBe(canonicalJson({ n: 1 }));
    expect(canonicalJson(new Date(0))).toBe('"1970-01-01T00:00:00.000Z"');
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(
      canonicalJson(
        new Map([
          ["b", 1],
          ["a", 2],
        ]),
      ),
    ).toBe('{"a":2,"b":1}');
    expect(canonicalJson(new Set([2, 1]))).toBe("[2,1]");
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/\$\.self .*cycle/);
    const shared = { x: 1 };
    expect(canonicalJson([shared, shared])).toBe('[{"x":1},{"x":1}]');
  });
});
