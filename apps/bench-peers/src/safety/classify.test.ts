import { parseHostileProgram } from "@toolpacks/runtime/testing";
import { describe, expect, it } from "vitest";
import type { RunReply } from "../host/protocol.js";
import { classify } from "./classify.js";

const evidence = { envSecret: "tp-env-abc", globalSecret: "tp-global-xyz", canaryConnections: 0 };
const program = (header: string) => parseHostileProgram("p", `// category: test\n${header}\nreturn 1;\n`);
const reply = (result: RunReply["result"]): RunReply => ({ result, calls: [] });

describe("judging a hostile program's outcome", () => {
  it("calls it an escape when the host's env secret shows up anywhere the run produced, even in a log", () => {
    const v = classify(
      program("// expect: any"),
      reply({ ok: true, value: 1, logs: ["found tp-env-abc"] }),
      evidence,
    );
    expect(v).toMatchObject({ outcome: "escaped", escapes: ["env"] });
  });

  it("calls it an escape when the host global's secret or a file's contents come back", () => {
    const secret = classify(
      program("// expect: any"),
      reply({ ok: true, value: { g: "tp-global-xyz" }, logs: [] }),
      evidence,
    );
    expect(secret.escapes).toEqual(["secret"]);
    const fs = classify(
      program("// expect: error RUNTIME_ERROR"),
      reply({ ok: true, value: "root:x:0:0:root:/root:/bin/bash", logs: [] }),
      evidence,
    );
    expect(fs).toMatchObject({ outcome: "escaped", escapes: ["fs"] });
  });

  it("calls it a network escape when the canary port saw a connection, even if the run then failed or hung", () => {
    const failed = classify(
      program("// expect: error RUNTIME_ERROR"),
      reply({ ok: false, error: { message: "refused" }, logs: [] }),
      {
        ...evidence,
        canaryConnections: 1,
      },
    );
    expect(failed).toMatchObject({ outcome: "escaped", escapes: ["network"] });
    const hung = classify(
      program("// expect: error TIMEOUT"),
      { hostFailure: "hung", message: "killed" },
      { ...evidence, canaryConnections: 2 },
    );
    expect(hung).toMatchObject({ outcome: "escaped", escapes: ["network"] });
  });

  it("reports a host that hung or died as such", () => {
    expect(
      classify(program("// expect: error TIMEOUT"), { hostFailure: "hung", message: "no answer" }, evidence)
        .outcome,
    ).toBe("hung");
    expect(
      classify(program("// expect: error TIMEOUT"), { hostFailure: "crashed", message: "SIGABRT" }, evidence)
        .outcome,
    ).toBe("crashed");
  });

  it("tells a program that ran to its end where ours stops it from one that was contained", () => {
    const expectError = program("// expect: error TOOL_CALL_LIMIT");
    expect(classify(expectError, reply({ ok: true, value: "done", logs: [] }), evidence).outcome).toBe("ran");
    expect(
      classify(expectError, reply({ ok: false, error: { message: "limit" }, logs: [] }), evidence).outcome,
    ).toBe("contained");
  });

  it("calls a different declared result a difference (e.g. host objects visible on the global)", () => {
    const probe = program("// expect: ok\n// result: []");
    expect(classify(probe, reply({ ok: true, value: ["__callToolRef"], logs: [] }), evidence).outcome).toBe(
      "differs",
    );
    expect(classify(probe, reply({ ok: true, value: [], logs: [] }), evidence).outcome).toBe("contained");
  });
});
