import { parseHostileProgram } from "@toolpacks/runtime/testing";
import { describe, expect, it } from "vitest";
import {
  HostCrashedError,
  HostHungError,
  type HostMeta,
  type RunReply,
  type SandboxHost,
} from "../host/protocol.js";
import { runHostilePrograms } from "./hostile-run.js";

const meta: HostMeta = { id: "fake", label: "fake", pkg: { name: "fake", version: "1.0.0" }, engine: "node" };
const programs = ["spin", "crash", "boom", "fine"].map((name) =>
  parseHostileProgram(
    name,
    `// category: cpu\n// expect: error TIMEOUT\n// limits: {"timeoutMs": 300}\n${name}();\n`,
  ),
);

/** A host whose fate per program is scripted; counts how many hosts were started and closed. */
function scriptedHosts() {
  const log = { started: 0, closed: 0, watchdogs: [] as number[] };
  const start = async (): Promise<SandboxHost> => {
    log.started++;
    let closed = false;
    return {
      meta,
      async run(code, _limits, watchdogMs): Promise<RunReply> {
        if (closed) throw new HostCrashedError("gone");
        if (code.includes("spin()")) {
          log.watchdogs.push(watchdogMs);
          throw new HostHungError("no answer");
        }
        if (code.includes("crash()")) throw new HostCrashedError("SIGSEGV");
        if (code.includes("boom()")) throw new Error("RangeError: Maximum call stack size exceeded");
        if (code.includes("fine()"))
          return { result: { ok: false, error: { message: "timeout" }, logs: [] }, calls: [] };
        return { result: { ok: true, value: 5, logs: [] }, calls: [] };
      },
      perf: () => Promise.reject(new Error("unused")),
      memory: () => Promise.reject(new Error("unused")),
      async close() {
        closed = true;
        log.closed++;
      },
    };
  };
  return { log, start };
}

describe("running the hostile suite in hosts the bench can lose", () => {
  it("records a hung, crashed or throwing host, replaces a lost one, and keeps going with the rest", async () => {
    const { log, start } = scriptedHosts();
    const canary = { connections: 0, listening: false, close: async () => {} };
    const verdicts = await runHostilePrograms({
      programs,
      startHost: start,
      secrets: { env: "tp-env-5f1c", global: "tp-global-9a2e" },
      canary,
    });
    expect(verdicts.map((v) => [v.program, v.outcome])).toEqual([
      ["spin", "hung"],
      ["crash", "crashed"],
      ["boom", "threw"],
      ["fine", "contained"],
    ]);
    // One host per failure plus the one that finished; every one closed.
    expect(log.started).toBe(3);
    expect(log.closed).toBe(3);
    // The watchdog is the program's own timeout plus the grace.
    expect(log.watchdogs).toEqual([15_300]);
    // A project that threw in the host keeps its host, and the next run there still works.
    expect(verdicts[2]?.brokeNextRun).toBe(false);
    expect(verdicts[3]?.brokeNextRun).toBe(false);
  });
});
