/**
 * The hostile-program suite: every program in hostile/programs/ against an executor.
 * Each must end with its expected error (or a harmless result), leak no host secret,
 * pollute no host prototype, and leave the executor serving the next run correctly.
 *   runHostileSuite(() => createQuickJSExecutor(), { describe, it, expect })
 */
import type { Executor, SandboxLimits } from "../../types.js";
import { runProgram, type TestApi } from "../harness.js";
import { HOSTILE_SOURCES } from "./programs.generated.js";

export interface HostileProgram {
  name: string;
  category: string;
  /** "ok", "any" (either way, as long as it is clean), or "error" with the allowed codes. */
  expect: { kind: "ok" | "any" | "error"; codes: string[] };
  limits: Partial<SandboxLimits>;
  /** Expected result (JSON), when the program declares one. */
  result?: unknown;
  code: string;
}

export function parseHostileProgram(name: string, source: string): HostileProgram {
  const header: Record<string, string> = {};
  for (const line of source.split("\n")) {
    const m = /^\/\/ (\w+): (.*)$/.exec(line);
    if (!m) break;
    header[m[1] as string] = (m[2] as string).trim();
  }
  const [kind = "any", ...codes] = (header.expect ?? "any").split(/\s+/);
  const program: HostileProgram = {
    name,
    category: header.category ?? "misc",
    expect: { kind: kind as HostileProgram["expect"]["kind"], codes },
    limits: header.limits ? (JSON.parse(header.limits) as Partial<SandboxLimits>) : {},
    code: source,
  };
  if (header.result !== undefined) program.result = JSON.parse(header.result);
  return program;
}

export const HOSTILE_PROGRAMS: HostileProgram[] = HOSTILE_SOURCES.map((p) =>
  parseHostileProgram(p.name, p.source),
);

export interface HostileSuiteOptions {
  /** A secret placed in the host's environment for the duration of the suite (when it has one). */
  secret?: string;
  /** Only run these programs (by name). */
  only?: string[];
  /** Per-test timeout for the runner. Default 30 s. */
  testTimeoutMs?: number;
}

function hostEnv(): Record<string, string | undefined> | undefined {
  const p = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return p?.env;
}

export function runHostileSuite(
  makeExecutor: () => Executor,
  { describe, it, expect }: TestApi,
  options: HostileSuiteOptions = {},
): void {
  const secret = options.secret ?? `tp-secret-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  const programs = HOSTILE_PROGRAMS.filter((p) => !options.only || options.only.includes(p.name));
  describe(`hostile programs: ${makeExecutor().name}`, () => {
    const ex = makeExecutor();
    it("has at least 40 hostile programs", () => {
      expect(HOSTILE_PROGRAMS.length).toBeGreaterThanOrEqual(40);
    });
    for (const program of programs) {
      it(
        `${program.category}: ${program.name}`,
        async () => {
          const env = hostEnv();
          if (env) env.TOOLPACKS_HOSTILE_SECRET = secret;
          try {
            const run = await runProgram(ex, program.code, program.limits);
            const { response } = run;
            if (program.expect.kind === "ok") {
              expect({ ok: response.ok, error: response.error }).toEqual({ ok: true, error: undefined });
            } else if (program.expect.kind === "error") {
              expect(response.ok).toBe(false);
              expect(program.expect.codes).toContain(response.error?.code);
              expect(typeof response.error?.message).toBe("string");
            }
            if (program.result !== undefined) expect(run.result).toEqual(program.result);
            // No host secret anywhere in what the run produced.
            const everything = JSON.stringify(
              { response, result: run.result, calls: run.host.calls },
              (_k, v) => (typeof v === "bigint" ? v.toString() : v),
            );
            expect(everything).not.toContain(secret);
            // Output stays within its budgets.
            const limits = { maxLogBytes: 16_384, maxResultBytes: 65_536, ...program.limits };
            const logBytes = response.logs.reduce((n: number, l: { text: string }) => n + l.text.length, 0);
            expect(logBytes).toBeLessThanOrEqual(limits.maxLogBytes + 200);
            if (run.result !== undefined) {
              expect(JSON.stringify(run.result).length).toBeLessThanOrEqual(limits.maxResultBytes);
            }
            // Nothing reached the host's prototypes.
            expect(({} as Record<string, unknown>).polluted).toBeUndefined();
            expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();
            // The same executor serves the next run correctly.
            const next = await runProgram(
              ex,
              "const v = await t.add({ a: 2, b: 3 });\nreturn { v, ok: typeof t.echo };",
            );
            expect(next.response.ok).toBe(true);
            expect(next.result).toEqual({ v: 5, ok: "function" });
          } finally {
            if (env) delete env.TOOLPACKS_HOSTILE_SECRET;
          }
        },
        options.testTimeoutMs ?? 30_000,
      );
    }
  });
}
