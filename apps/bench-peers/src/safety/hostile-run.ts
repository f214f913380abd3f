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
export const HUNG_GRACE_MS = 10_000;

const HEALTH_PROGRAM = "const v = await t.add({ a: 2, b: 3 });\nreturn v;";

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
        if (!(err instanceof HostHungError || err instanceof HostCrashedError)) throw err;
        reply = { hostFailure: err instanceof HostHungError ? "hung" : "crashed", message: err.message };
        await host.close();
        host = undefined;
      }
      // Give a connection the program opened a moment to land.
      await new Promise((r) => setTimeout(r, 20));
      const verdict = classify(program, reply, {
        envSecret: options.secrets.env,
        globalSecret: options.secrets.global,
        canaryConnections: options.canary.connections - before,
      });
      let brokeNextRun = false;
      if (host) {
        try {
          const next = await host.run(
            HEALTH_PROGRAM,
            HOSTILE_BASE_LIMITS,
            HOSTILE_BASE_LIMITS.timeoutMs + HUNG_GRACE_MS,
          );
          brokeNextRun = !(next.result.ok && next.result.value === 5);
        } catch (err) {
          if (!(err instanceof HostHungError || err instanceof HostCrashedError)) throw err;
          brokeNextRun = true;
          await host.close();
          host = undefined;
        }
      }
      const full: Verdict = { ...verdict, brokeNextRun };
      verdicts.push(full);
      options.onProgram?.(full);
    }
  } finally {
    await host?.close();
  }
  return verdicts;
}
