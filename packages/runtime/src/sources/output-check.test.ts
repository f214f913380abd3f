import { McpServer, Server } from "@modelcontextprotocol/server";
import { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/server/validators/cf-worker";
import { afterEach, describe, expect, it } from "vitest";
import { ToolCallError } from "../errors.js";
import { McpSource } from "./mcp-source.js";
import { checkDeadline } from "./output-check.js";
import { withoutServerRegexes } from "./schema-regex.js";

/** `^(a+)+$` against 40 `a`s and a `!`: a backtracking engine needs about 2^40 steps to say no. */
const EVIL = "^(a+)+$";
const EVIL_INPUT = `${"a".repeat(40)}!`;

/**
 * A low-level server (it checks nothing itself) whose `echo` tool answers `structuredContent` =
 * its `value` argument, under the given output schema. `answered` resolves once it has answered.
 */
function hostileServer(outputSchema: Record<string, unknown>) {
  let answered!: () => void;
  const state = { answered: new Promise<void>((r) => (answered = r)) };
  const server = () => {
    const s = new Server({ name: "hostile", version: "0.0.0" }, { capabilities: { tools: {} } });
    s.setRequestHandler("tools/list", async () => ({
      tools: [{ name: "echo", inputSchema: { type: "object" }, outputSchema }],
    }));
    s.setRequestHandler("tools/call", async (req) => {
      const structuredContent = req.params.arguments?.value as Record<string, unknown>;
      answered();
      return { content: [], structuredContent };
    });
    return s;
  };
  return { server, state };
}

function benignServer() {
  const s = new McpServer({ name: "benign", version: "0.0.0" });
  s.registerTool("ping", { inputSchema: {} }, async () => ({
    content: [{ type: "text" as const, text: "pong" }],
  }));
  return s;
}

const open: McpSource[] = [];
async function source(config: ConstructorParameters<typeof McpSource>[0]): Promise<McpSource> {
  const s = new McpSource(config);
  open.push(s);
  await s.connect();
  expect(s.status).toBe("ready");
  return s;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

/**
 * Calls the hostile tool and, once its server has answered (so the check is due), a benign tool of
 * another server. Returns the order in which they settled and the hostile call's outcome.
 */
async function race(hostile: McpSource, answered: Promise<void>, value: unknown) {
  const order: string[] = [];
  const slow = hostile.callTool("echo", { value }).then(
    (r) => {
      order.push("hostile");
      return r;
    },
    (e: unknown) => {
      order.push("hostile");
      return e;
    },
  );
  const benign = await source({ name: "benign", server: benignServer });
  await answered;
  await new Promise((r) => setImmediate(r));
  const pong = await benign.callTool("ping", {});
  order.push("benign");
  expect(pong.content).toEqual([{ type: "text" as const, text: "pong" }]);
  return { order, outcome: await slow };
}

describe("output schemas cannot block the host (Node: checked in a worker thread)", () => {
  const schema = {
    type: "object",
    properties: { s: { type: "string", pattern: EVIL } },
    required: ["s"],
  };

  it("a catastrophic pattern times out in the worker while other servers keep answering", async () => {
    const { server, state } = hostileServer(schema);
    const hostile = await source({ name: "hostile", server, outputCheckTimeoutMs: 500 });
    const { order, outcome } = await race(hostile, state.answered, { s: EVIL_INPUT });
    expect(order).toEqual(["benign", "hostile"]);
    expect(outcome).toBeInstanceOf(ToolCallError);
    expect((outcome as ToolCallError).code).toBe("OUTPUT_SCHEMA_TIMEOUT");
    expect((outcome as ToolCallError).message).toMatch(/hostile.*echo.*output schema.*500 ms/s);
    // The server stays usable, and its schema is still enforced in full (pattern included).
    expect((await hostile.callTool("echo", { value: { s: "aaa" } })).structuredContent).toEqual({ s: "aaa" });
    await expect(hostile.callTool("echo", { value: { s: "b" } })).rejects.toMatchObject({
      code: "TOOL_ERROR",
      message: expect.stringMatching(/does not match the tool's output schema/),
    });
  });

  it("bounds patternProperties and a schema that is exponential without any regex", async () => {
    const keys = {
      type: "object",
      patternProperties: { [EVIL]: { type: "string" } },
      additionalProperties: false,
    };
    const { server, state } = hostileServer(keys);
    const hostile = await source({ name: "hostile", server, outputCheckTimeoutMs: 300 });
    const { outcome } = await race(hostile, state.answered, { [EVIL_INPUT]: "x" });
    expect(outcome).toMatchObject({ code: "OUTPUT_SCHEMA_TIMEOUT" });

    // Each level tries both branches of `anyOf` on the whole subtree below it: 2^depth steps.
    const tree = {
      type: "object",
      $defs: {
        node: {
          anyOf: [
            { type: "object", properties: { c: { $ref: "#/$defs/node" } }, required: ["never"] },
            { type: "object", properties: { c: { $ref: "#/$defs/node" } }, required: ["never2"] },
            { type: "object", properties: { c: { $ref: "#/$defs/node" } } },
          ],
        },
      },
      $ref: "#/$defs/node",
    };
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 40; i++) deep = { c: deep };
    const nested = hostileServer(tree);
    const second = await source({ name: "nested", server: nested.server, outputCheckTimeoutMs: 300 });
    await expect(second.callTool("echo", { value: deep })).rejects.toMatchObject({
      code: "OUTPUT_SCHEMA_TIMEOUT",
    });
  });
});

describe("output checks of answers the worker cannot take", () => {
  it("a value nested too deeply to copy to the worker fails the call, and the host keeps running", async () => {
    const { server } = hostileServer({ type: "object" });
    const hostile = await source({ name: "hostile", server });
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 200_000; i++) deep = { c: deep };
    const outcome = await hostile.callTool("echo", { value: deep }).then(
      () => "ok",
      (e: unknown) => e,
    );
    // Either the copy went through (then the check passed) or the call failed with a typed error.
    if (outcome !== "ok") expect(outcome).toBeInstanceOf(ToolCallError);
    expect((await hostile.callTool("echo", { value: { fine: true } })).structuredContent).toEqual({
      fine: true,
    });
  });
});

describe("output checks on the host thread (Workers, or a caller's validator)", () => {
  it("run @cfworker/json-schema without the server's regexes: the answer comes back, types still checked", async () => {
    const schema = {
      type: "object",
      properties: { s: { type: "string", pattern: EVIL }, n: { type: "integer" } },
      required: ["s"],
    };
    const { server, state } = hostileServer(schema);
    const hostile = await source({
      name: "hostile",
      server,
      schemaValidator: new CfWorkerJsonSchemaValidator(),
    });
    // Were the pattern run here, the host would hang and `race` would never return.
    const { outcome } = await race(hostile, state.answered, { s: EVIL_INPUT });
    expect((outcome as { structuredContent: unknown }).structuredContent).toEqual({ s: EVIL_INPUT });
    await expect(hostile.callTool("echo", { value: { s: "a", n: "three" } })).rejects.toThrow(
      /does not match the tool's output schema/,
    );
  });
});

describe("withoutServerRegexes", () => {
  it("drops pattern keywords at every depth, never a property that is named like one", () => {
    const schema = {
      type: "object",
      properties: {
        pattern: { type: "string", pattern: "x" },
        list: { type: "array", items: { anyOf: [{ pattern: "y" }, { type: "null" }] } },
        map: { type: "object", patternProperties: { z: {} }, additionalProperties: false },
      },
      $defs: { d: { propertyNames: { pattern: "w" } } },
      enum: [{ pattern: "data, not schema" }],
    };
    expect(withoutServerRegexes(schema)).toEqual({
      type: "object",
      properties: {
        pattern: { type: "string" },
        list: { type: "array", items: { anyOf: [{}, { type: "null" }] } },
        map: { type: "object" },
      },
      $defs: { d: { propertyNames: {} } },
      enum: [{ pattern: "data, not schema" }],
    });
    let deep: Record<string, unknown> = { pattern: "x" };
    for (let i = 0; i < 100_000; i++) deep = { properties: { a: deep } };
    expect(JSON.stringify(withoutServerRegexes(deep))).not.toContain("pattern");
    const plain = { type: "object", properties: { a: { type: "string" } } };
    expect(withoutServerRegexes(plain)).toBe(plain);
  });
});

describe("checkDeadline: the limit is the checking thread's time, not the machine's load", () => {
  it("a thread that waited for a core is given its time; one that used it is ended", () => {
    // 2 s on the wall clock, 0.3 s of it running: the rest was waiting, so look again in 1.7 s.
    expect(checkDeadline({ limitMs: 2_000, wallMs: 2_000, cpuMs: 300 })).toEqual({
      expired: false,
      recheckInMs: 1_700,
    });
    expect(checkDeadline({ limitMs: 2_000, wallMs: 2_050, cpuMs: 2_000 })).toEqual({ expired: true });
  });

  it("ends a check at ten times the limit on the wall clock even if the thread never ran", () => {
    expect(checkDeadline({ limitMs: 2_000, wallMs: 19_000, cpuMs: 10 })).toEqual({
      expired: false,
      recheckInMs: 1_000,
    });
    expect(checkDeadline({ limitMs: 2_000, wallMs: 20_000, cpuMs: 10 })).toEqual({ expired: true });
  });

  it("falls back to the wall clock where the thread's CPU time is not reported", () => {
    expect(checkDeadline({ limitMs: 2_000, wallMs: 2_000, cpuMs: undefined })).toEqual({ expired: true });
    expect(checkDeadline({ limitMs: 2_000, wallMs: 1_500, cpuMs: undefined })).toEqual({
      expired: false,
      recheckInMs: 500,
    });
  });
});
