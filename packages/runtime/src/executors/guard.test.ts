import { describe, expect, it } from "vitest";
import { decode } from "../codec/wire.js";
import { byteLengthUpTo, RunGuard } from "./guard.js";
import type { SandboxLimits } from "./types.js";

const LIMITS: SandboxLimits = {
  timeoutMs: 10_000,
  memoryMb: 64,
  maxToolCalls: 1000,
  maxConcurrentCalls: 2,
  maxLogBytes: 1000,
  maxResultBytes: 1000,
  maxArgumentBytes: 10_000,
  maxInFlightArgumentBytes: 25_000,
};

/** A bridge whose calls stay open until released, recording the arguments it holds. */
function heldBridge() {
  const open: Array<{ args: string; release: () => void }> = [];
  return {
    open,
    bridge: (_ns: string, _tool: string, args: string) =>
      new Promise<string>((resolve) => open.push({ args, release: () => resolve("1") })),
  };
}

const codeOf = (err: unknown) => (decode(err as string) as { code: string }).code;

describe("RunGuard: argument bytes", () => {
  it("holds the bytes of running and queued calls to maxInFlightArgumentBytes, refusing the excess at once", async () => {
    const { open, bridge } = heldBridge();
    const guard = new RunGuard(LIMITS, bridge);
    const outcomes: Array<Promise<string>> = [];
    // Twenty calls of 4 KB: two run, the rest would queue behind maxConcurrentCalls.
    for (let i = 0; i < 20; i++) outcomes.push(guard.call("t", "put", JSON.stringify("x".repeat(4000))));
    const settled = await Promise.allSettled(outcomes.slice(6));
    expect(guard.argumentBytesInFlight).toBeLessThanOrEqual(25_000);
    expect(
      settled.every((s) => s.status === "rejected" && codeOf(s.reason) === "ARGUMENTS_IN_FLIGHT_LIMIT"),
    ).toBe(true);
    expect(open).toHaveLength(2);
    // Releasing a running call frees its bytes (room for one more) and starts a queued one.
    open[0]?.release();
    await outcomes[0];
    expect(open).toHaveLength(3);
    void guard.call("t", "put", JSON.stringify("y".repeat(4000)));
    await expect(guard.call("t", "put", JSON.stringify("z".repeat(4000)))).rejects.toSatisfy(
      (e) => codeOf(e) === "ARGUMENTS_IN_FLIGHT_LIMIT",
    );
    expect(guard.argumentBytesInFlight).toBeLessThanOrEqual(25_000);
  });

  it("refuses one call's arguments over maxArgumentBytes, in UTF-8 bytes, before the bridge sees them", async () => {
    const { open, bridge } = heldBridge();
    const guard = new RunGuard(LIMITS, bridge);
    const err = await guard.call("t", "put", JSON.stringify("é".repeat(5000))).catch((e) => e);
    expect(codeOf(err)).toBe("ARGUMENTS_TOO_LARGE");
    expect((decode(err) as { message: string }).message).toContain("10000-byte limit (maxArgumentBytes)");
    expect(open).toHaveLength(0);
    expect(guard.argumentBytesInFlight).toBe(0);
  });

  it("drops queued calls when closed: they never reach the bridge and their bytes are released", async () => {
    const { open, bridge } = heldBridge();
    const guard = new RunGuard(LIMITS, bridge);
    const outcomes = [1, 2, 3, 4, 5].map(() => guard.call("t", "put", '"abc"'));
    expect(open).toHaveLength(2);
    guard.close();
    const queued = await Promise.allSettled(outcomes.slice(2));
    expect(queued.map((s) => s.status === "rejected" && codeOf(s.reason))).toEqual([
      "ABORTED",
      "ABORTED",
      "ABORTED",
    ]);
    for (const c of open) c.release();
    await Promise.all(outcomes.slice(0, 2));
    expect(open).toHaveLength(2);
    expect(guard.argumentBytesInFlight).toBe(0);
    await expect(guard.call("t", "put", "1")).rejects.toSatisfy((e) => codeOf(e) === "ABORTED");
  });

  it("measures UTF-8 bytes up to a cap without measuring past it", () => {
    expect(byteLengthUpTo("abc", 10)).toBe(3);
    expect(byteLengthUpTo("é€😀", 100)).toBe(2 + 3 + 4);
    expect(byteLengthUpTo("x".repeat(50), 10)).toBeGreaterThan(10);
    expect(byteLengthUpTo("€".repeat(5), 10)).toBeGreaterThan(10);
  });
});

describe("RunGuard: tool call limit", () => {
  it("tells the program the limit it reached, in the rejection it can catch", async () => {
    const guard = new RunGuard({ ...LIMITS, maxToolCalls: 2 }, async () => "1");
    await guard.call("t", "a", "{}");
    await guard.call("t", "a", "{}");
    const err = await guard.call("t", "a", "{}").catch((e) => e);
    expect(codeOf(err)).toBe("TOOL_CALL_LIMIT");
    expect((decode(err) as { message: string }).message).toMatch(/more than 2 tool calls.*maxToolCalls/);
  });
});
