/**
 * The host tools every adapter is measured and attacked with: plain functions over JSON values,
 * no Node APIs, so the same tools serve the Node host and the host Worker inside workerd. They
 * mirror the runtime's conformance fake host (`echo`, `add`, `slow`, `fail`, `big`, `count`,
 * `never`) minus the codec-only `kinds`, since no peer carries more than JSON.
 */
import type { HostToolCall } from "./adapter.js";

export const FAKE_TOOL_NAMES = ["echo", "add", "slow", "fail", "big", "count", "never"] as const;

/** The bindings the hostile suite's programs expect: `t.echo(...)` and friends. */
export const FAKE_BINDINGS: Record<string, string[]> = { t: [...FAKE_TOOL_NAMES] };

/** A tool failure as a host reports it: a code the program could branch on, and a message. */
export class FakeToolError extends Error {
  override name = "FakeToolError";
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface FakeToolHost {
  callTool: HostToolCall;
  /** Every call that reached the host, in order, with its arguments. */
  calls: Array<{ ns: string; tool: string; input: unknown }>;
  maxActive: number;
}

/** A fresh host: records calls and the most calls in flight at once. */
export function createFakeToolHost(): FakeToolHost {
  let active = 0;
  const host: FakeToolHost = {
    calls: [],
    maxActive: 0,
    async callTool(ns, tool, input) {
      const args = (input ?? {}) as Record<string, unknown>;
      host.calls.push({ ns, tool, input });
      active++;
      host.maxActive = Math.max(host.maxActive, active);
      try {
        switch (tool) {
          case "echo":
            return input;
          case "add":
            return Number(args.a) + Number(args.b);
          case "slow":
            await new Promise((r) => setTimeout(r, Number(args.ms ?? 10)));
            return args.value ?? "slow done";
          case "fail":
            throw new FakeToolError(
              String(args.code ?? "TOOL_ERROR"),
              String(args.message ?? "the tool failed"),
            );
          case "big":
            return Array.from({ length: Number(args.n ?? 10) }, (_, i) => ({ i }));
          case "count":
            return host.calls.length;
          case "never":
            return await new Promise<never>(() => {});
          default:
            throw new FakeToolError("UNKNOWN_TOOL", `${ns}.${tool} is not a tool`);
        }
      } finally {
        active--;
      }
    },
  };
  return host;
}
