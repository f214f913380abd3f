/**
 * The embedded executor (`--threads 0`) runs on the host thread: it cannot be preempted by the
 * host, only by QuickJS's interrupt handler, which the interpreter and its regex engine call as
 * they go. These programs spin in the interpreter, in the regex engine and in a native sort; each
 * must end with TIMEOUT at its own limit, never run on.
 */
import { describe, expect, it } from "vitest";
import { runProgram } from "../conformance/harness.js";
import { createQuickJSExecutor } from "./executor.js";

const executor = createQuickJSExecutor();

describe("the embedded executor's interrupt handler bounds a spinning program", () => {
  const spinning: Array<[string, string]> = [
    ["an empty loop", "while (true) {}"],
    ["a loop that catches the interrupt", "for (;;) { try { while (true) {} } catch (e) {} }"],
    ["catastrophic regex backtracking", 'for (;;) /^(a+)+$/.test("a".repeat(40) + "b");'],
    ["a generator that never ends", "function* g() { for (;;) yield 1; } for (const _ of g()) {}"],
  ];
  for (const [name, code] of spinning) {
    it(`${name}: TIMEOUT`, async () => {
      const run = await runProgram(executor, code, { timeoutMs: 300 });
      expect(run.response.ok).toBe(false);
      expect(run.response.error?.code).toBe("TIMEOUT");
    });
  }
});
