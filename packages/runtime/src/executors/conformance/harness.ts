/**
 * A fake tool host for executor suites: plain functions behind the wire codec, no MCP,
 * no Node APIs, so the same suites run in Node and inside workerd.
 */
import { decode, encode } from "../../codec/wire.js";
import { cutResult, type Truncation } from "../../result/cut.js";
import type { Executor, SandboxLimits, SandboxResponse } from "../types.js";

export const TEST_LIMITS: SandboxLimits = {
  timeoutMs: 2000,
  memoryMb: 32,
  maxToolCalls: 100,
  maxConcurrentCalls: 8,
  maxLogBytes: 16_384,
  maxResultBytes: 65_536,
};

export const FAKE_BINDINGS: Record<string, string[]> = {
  t: ["echo", "add", "slow", "fail", "big", "kinds", "count", "never"],
};

export interface FakeToolHost {
  callTool(ns: string, tool: string, encodedArgs: string): Promise<string>;
  calls: Array<{ ns: string; tool: string; args: unknown }>;
  maxActive: number;
}

export function createFakeToolHost(): FakeToolHost {
  let active = 0;
  const host: FakeToolHost = {
    calls: [],
    maxActive: 0,
    async callTool(ns, tool, encodedArgs) {
      const args = decode(encodedArgs) as Record<string, unknown> | undefined;
      host.calls.push({ ns, tool, args });
      active++;
      host.maxActive = Math.max(host.maxActive, active);
      try {
        switch (tool) {
          case "echo":
            return encode(args);
          case "add":
            return encode(Number(args?.a) + Number(args?.b));
          case "slow":
            await new Promise((r) => setTimeout(r, Number(args?.ms ?? 10)));
            return encode(args?.value ?? "slow done");
          case "fail":
            throw {
              code: String(args?.code ?? "TOOL_ERROR"),
              message: String(args?.message ?? "the tool failed"),
            };
          case "big":
            return encode(Array.from({ length: Number(args?.n ?? 10) }, (_, i) => ({ i })));
          case "kinds": {
            const cyc: Record<string, unknown> = { name: "cycle" };
            cyc.self = cyc;
            return encode({
              big: 12345678901234567890n,
              date: new Date("2024-01-02T03:04:05.000Z"),
              map: new Map<unknown, unknown>([
                ["a", 1],
                [2, "b"],
              ]),
              set: new Set([1, 2, 3]),
              undef: undefined,
              cyc,
              negZero: -0,
              nan: Number.NaN,
            });
          }
          case "count":
            return encode(host.calls.length);
          case "never":
            // Holds no host handle: only the run's end can release what waits on it.
            return await new Promise<string>(() => {});
          default:
            throw { code: "UNKNOWN_TOOL", message: `${ns}.${tool} is not a tool` };
        }
      } catch (err) {
        throw encode(err);
      } finally {
        active--;
      }
    },
  };
  return host;
}

export interface ProgramRun {
  response: SandboxResponse;
  /** Decoded result, cut to maxResultBytes like the runtime does. */
  result: unknown;
  truncated?: Truncation;
  host: FakeToolHost;
}

export async function runProgram(
  executor: Executor,
  code: string,
  limits: Partial<SandboxLimits> = {},
  host: FakeToolHost = createFakeToolHost(),
): Promise<ProgramRun> {
  const merged = { ...TEST_LIMITS, ...limits };
  const response = await executor.run({
    code,
    bindings: FAKE_BINDINGS,
    limits: merged,
    callTool: (ns, tool, args) => host.callTool(ns, tool, args),
  });
  let result: unknown;
  let truncated: Truncation | undefined;
  if (response.ok && response.encodedResult !== undefined) {
    const cut = cutResult(decode(response.encodedResult), merged.maxResultBytes);
    result = cut.value;
    truncated = cut.truncated;
  }
  return { response, result, truncated, host };
}

/** The subset of a vitest/jest-style API the suites use. */
export interface TestApi {
  describe(name: string, fn: () => void): void;
  it(name: string, fn: () => Promise<void> | void, timeout?: number): void;
  // biome-ignore lint/suspicious/noExplicitAny: matches any test runner's expect
  expect: (actual: unknown) => any;
}
