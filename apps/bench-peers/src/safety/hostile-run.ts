/**
 * Our hostile suite (the executor conformance suite's programs) against one project, each program
 * in a host the bench can lose: a program that wedges or kills the host is recorded as hung or
 * crashed and a fresh host serves the rest. After each program a benign run on the same host
 * checks the sandbox still works.
 */
import type { HostileProgram } from "@toolpacks/runtime/testing";
import type { PeerLimits } from "../adapter.js";
import { HostCrashedError, HostHungError, type SandboxHost } from "../host/protocol.js";
import type { Canary } from "./canary.js";
import { classify, type Verdict } from "./classify.js";

/** The limits the suite's programs assume unless their header says otherwise (as TEST_LIMITS). */
export const HOSTILE_BASE_LIMITS: PeerLimits = {
  timeoutMs: 2_000,
  memoryMb: 32,
  maxToolCalls: 100,
  maxConcurrentCalls: 8,
};

/** How long past a program's own timeout the host may take before it counts as hung. */
export const HUNG_GRACE_MS = 15_000;

const HEALTH_PROGRAM = "const v = await t.add({ a: 2, b: 3 });\nreturn v;";
/** The benign run after each program gets a generous timeout, so a slow restart is not a broken sandbox. */
const HEALTH_LIMITS: PeerLimits = { ...HOSTILE_BASE_LIMITS, timeoutMs: 10_000 };

export interface HostileRunOptions {
  programs: readonly HostileProgram[];
  startHost: () => Promise<SandboxHost>;
  secrets: { env: string; global: string };
  canary: Canary;
  onProgram?: (verdict: Verdict) => void;
}

export function programLimits(program: HostileProgram): PeerLimits {
  const { timeoutMs, memoryMb, maxToolCalls, maxConcurrentCalls } = {
    ...HOSTILE_BASE_LIMITS,
    ...program.limits,
  };
  return { timeoutMs, memoryMb, maxToolCalls, maxConcurrentCalls };
}

export async function runHostilePrograms(options: HostileRunOptions): Promise<Verdict[]> {
  const verdicts: Verdict[] = [];
  let host: SandboxHost | undefined;
  try {
    for (const program of options.programs) {
      host ??= await options.startHost();
      const limits = programLimits(program);
      const before = options.canary.connections;
      let reply: Parameters<typeof classify>[1];
      try {
        reply = await host.run(program.code, limits, limits.timeoutMs + HUNG_GRACE_MS);
      } catch (err) {
        if (err instanceof HostHungError || err instanceof HostCrashedError) {
          reply = { hostFailure: err instanceof HostHungError ? "hung" : "crashed", message: err.message };
          await host.close();
          host = undefined;
        } else {
          // The project's own host-side code threw instead of returning a result; the host lives.
          reply = { hostFailure: "threw", message: err instanceof Error ? err.message : String(err) };
        }
      }
      // Give a connection the program opened a moment to land.
      await new Promise((r) => setTimeout(r, 20));
      const verdict = classify(program, reply, {
        envSecret: options.secrets.env,
        globalSecret: options.secrets.global,
        canaryConnections: options.canary.connections - before,
      });
      let brokeNextRun = false;
      let nextRun: string | undefined;
      if (host) {
        try {
          const next = await host.run(HEALTH_PROGRAM, HEALTH_LIMITS, HEALTH_LIMITS.timeoutMs + HUNG_GRACE_MS);
          brokeNextRun = !(next.result.ok && next.result.value === 5);
          if (brokeNextRun)
            nextRun = next.result.ok
              ? `returned ${JSON.stringify(next.result.value)}`
              : `${next.result.error?.code ?? "error"}: ${next.result.error?.message ?? ""}`;
        } catch (err) {
          brokeNextRun = true;
          nextRun = err instanceof Error ? err.message : String(err);
          if (err instanceof HostHungError || err instanceof HostCrashedError) {
            await host.close();
            host = undefined;
          }
        }
      }
      const full: Verdict = {
        ...verdict,
        brokeNextRun,
        ...(nextRun ? { nextRun: nextRun.slice(0, 160) } : {}),
      };
      verdicts.push(full);
      options.onProgram?.(full);
    }
  } finally {
    await host?.close();
  }
  return verdicts;
}
