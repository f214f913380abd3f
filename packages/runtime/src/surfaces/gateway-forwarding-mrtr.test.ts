/**
 * Capability forwarding to a 2026-07-28 gateway client over multi round-trip requests: a source's
 * roots / elicitation / sampling request parks the run, `execute` answers `input_required`
 * carrying it under the signed state token, and the client's retry answers it. Real SDK 2.4
 * clients over Streamable HTTP; the source is the asking fixture server over stdio.
 */
import { PassThrough } from "node:stream";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { StdioServerTransport } from "@modelcontextprotocol/server/stdio";
import { afterEach, describe, expect, it } from "vitest";
import { createCodeMode } from "../code-mode.js";
import { askingSource, governedAskingCodeMode } from "../sources/fixtures/asking-code-mode.js";
import type { GatewayApprovalsOptions } from "./gateway-approvals.js";
import { serveGatewayHttp, serveGatewayStdio } from "./gateway-node.js";

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A governed gateway (as `toolpacks serve --http` builds it) over the asking server, forwarding. */
async function gateway(protocol: "2025-11-25" | "2026-07-28", parking: GatewayApprovalsOptions = {}) {
  const { cm, served, audit } = await governedAskingCodeMode(protocol, cleanups);
  const tokens = ["alice-token", "bob-token"];
  const serving = await serveGatewayHttp(
    cm,
    { auth: { tokens }, approvalParking: { policyDigest: served.policyDigest, ...parking } },
    { onExecute: served.onExecute },
  );
  cleanups.push(() => serving.close());
  return { cm, audit, serving, tokens };
}

interface Person {
  name: string;
  capabilities?: Record<string, object>;
  /** Retry by hand (`inputRequired.autoFulfill: false`). */
  manual?: boolean;
  token?: string;
}

/** A 2026-07-28 SDK 2.4 client over HTTP answering as `person`, recording what it is asked. */
async function connect(g: Awaited<ReturnType<typeof gateway>>, person: Person) {
  const seen: string[] = [];
  const capabilities = person.capabilities ?? { elicitation: { form: {} }, roots: {}, sampling: {} };
  const client = new Client(
    { name: person.name, version: "1.0.0" },
    {
      capabilities,
      versionNegotiation: { mode: "auto" },
      ...(person.manual ? { inputRequired: { autoFulfill: false } } : {}),
    },
  );
  if (capabilities.elicitation) {
    client.setRequestHandler("elicitation/create", async (req) => {
      seen.push(`elicit:${(req.params as { message: string }).message}`);
      return { action: "accept", content: { name: person.name } };
    });
  }
  if (capabilities.roots) {
    client.setRequestHandler("roots/list", async () => {
      seen.push("roots");
      return { roots: [{ uri: `file:///home/${person.name}` }] };
    });
  }
  if (capabilities.sampling) {
    client.setRequestHandler("sampling/createMessage", async () => {
      seen.push("sample");
      return { role: "assistant", content: { type: "text", text: `${person.name}'s model` }, model: "m" };
    });
  }
  const token = person.token ?? g.tokens[0]!;
  await client.connect(
    new StreamableHTTPClientTransport(new URL(g.serving.url), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  cleanups.push(() => client.close());
  expect(client.getNegotiatedProtocolVersion()).toBe("2026-07-28");
  return { client, seen };
}

type Run = { ok: boolean; result?: unknown; error?: { code: string; message: string } };
const runOf = (res: { content?: unknown }) =>
  JSON.parse((res.content as Array<{ text: string }>)[0]!.text) as Run;
const execute = async (client: Client, code: string) =>
  runOf(await client.callTool({ name: "execute", arguments: { code } }));

interface InputRequired {
  resultType: string;
  inputRequests: Record<string, { method: string; params: Record<string, unknown> }>;
  requestState: string;
}

async function firstRound(client: Client, code: string): Promise<InputRequired> {
  const first = (await client.callTool(
    { name: "execute", arguments: { code } },
    { allowInputRequired: true },
  )) as unknown as InputRequired;
  expect(first.resultType).toBe("input_required");
  return first;
}

async function retry(
  client: Client,
  code: string,
  requestState: string,
  inputResponses: Record<string, unknown>,
) {
  return (await client.callTool(
    { name: "execute", arguments: { code }, inputResponses, requestState } as never,
    { allowInputRequired: true },
  )) as unknown as { resultType?: string; content?: unknown; isError?: boolean } & Partial<InputRequired>;
}

const ALL = `return [await ask.whoami({ prompt: "name?" }), await ask.where({}), await ask.summarize({ text: "x" })];`;
const WHOAMI = `try { return await ask.whoami({ prompt: "name?" }); } catch (e) { return [e.code, e.message]; }`;

describe.each(["2026-07-28", "2025-11-25"] as const)("a source speaking %s", (protocol) => {
  it("its roots, elicitation and sampling requests reach the 2026-07-28 client over input_required, audited", async () => {
    const g = await gateway(protocol);
    const alice = await connect(g, { name: "alice" });
    const run = await execute(alice.client, ALL);
    expect(run).toMatchObject({
      ok: true,
      result: [
        expect.stringMatching(/^hello alice /),
        expect.stringMatching(/^file:\/\/\/home\/alice /),
        expect.stringMatching(/^summary: alice's model /),
      ],
    });
    expect(alice.seen).toEqual(["elicit:name?", "roots", "sample"]);
    const forwarded = g.audit.records.filter((r) => r.tool.includes("/"));
    expect(forwarded.map((r) => [r.server, r.tool, r.phase, r.outcome])).toEqual([
      ["ask", "elicitation/create", "intent", "pending"],
      ["ask", "elicitation/create", "outcome", "ok"],
      ["ask", "roots/list", "intent", "pending"],
      ["ask", "roots/list", "outcome", "ok"],
      ["ask", "sampling/createMessage", "intent", "pending"],
      ["ask", "sampling/createMessage", "outcome", "ok"],
    ]);
    // The prompt is never in the audit, and nothing stays parked.
    expect(JSON.stringify(forwarded)).not.toContain("name?");
    expect(g.serving.approvals.parked()).toBe(0);
  });

  it("a client that did not declare the capability is never asked", async () => {
    const g = await gateway(protocol);
    const carol = await connect(g, { name: "carol", capabilities: { roots: {} } });
    const run = await execute(carol.client, WHOAMI);
    expect(carol.seen).toEqual([]);
    expect(run.result).toEqual(
      protocol === "2025-11-25"
        ? [
            "CLIENT_CAPABILITY_UNAVAILABLE",
            expect.stringContaining("did not declare the elicitation capability"),
          ]
        : ["TOOL_ERROR", expect.stringContaining("do not declare the required capability")],
    );
  });
});

describe("the client's answers are untrusted (2026-07-28 client)", () => {
  it("an answer of the wrong shape or too large is CLIENT_ANSWER_INVALID to the program; the server never sees it", async () => {
    const g = await gateway("2026-07-28", { forwardLimits: { maxAnswerBytes: 2000 } });
    const { client } = await connect(g, { name: "alice", manual: true });
    const bad = [
      [{ action: "sure", content: { name: "x" } }, /not a elicitation\/create result/],
      [{ action: "accept", content: { name: { nested: true } } }, /not a elicitation\/create result/],
      [{ action: "accept", content: { name: "x".repeat(5000) } }, /over the 2000-byte limit/],
    ] as const;
    for (const [answer, why] of bad) {
      const first = await firstRound(client, WHOAMI);
      const [key, asked] = Object.entries(first.inputRequests)[0]!;
      expect(asked).toMatchObject({ method: "elicitation/create", params: { message: "name?" } });
      const res = await retry(client, WHOAMI, first.requestState, { [key]: answer });
      expect(runOf(res).result).toEqual(["CLIENT_ANSWER_INVALID", expect.stringMatching(why)]);
    }
    const outcomes = g.audit.records.filter((r) => r.tool === "elicitation/create" && r.phase === "outcome");
    expect(outcomes.map((r) => r.outcome)).toEqual(["CLIENT_ERROR", "CLIENT_ERROR", "CLIENT_ERROR"]);
    // The source never got an answer: its first completed call is still #1.
    const first = await firstRound(client, WHOAMI);
    const key = Object.keys(first.inputRequests)[0]!;
    const ok = await retry(client, WHOAMI, first.requestState, {
      [key]: { action: "accept", content: { name: "alice" } },
    });
    expect(runOf(ok).result).toBe("hello alice (#1)");
  });

  it("a token altered, replayed, or sent by another client answers nothing", async () => {
    const g = await gateway("2026-07-28");
    const alice = await connect(g, { name: "alice", manual: true });
    const first = await firstRound(alice.client, WHOAMI);
    const key = Object.keys(first.inputRequests)[0]!;
    const answers = { [key]: { action: "accept", content: { name: "mallory" } } };
    const [prefix, kid, body, mac] = first.requestState.split(".") as [string, string, string, string];
    const altered = await retry(
      alice.client,
      WHOAMI,
      `${prefix}.${kid}.${body}.${mac.slice(0, -2)}AA`,
      answers,
    );
    expect(runOf(altered).error).toMatchObject({ code: "APPROVAL_STATE_INVALID" });
    const bob = await connect(g, { name: "bob", manual: true, token: g.tokens[1]! });
    const stolen = await retry(bob.client, WHOAMI, first.requestState, answers);
    expect(runOf(stolen).error).toMatchObject({ code: "APPROVAL_STATE_MISMATCH" });
    const otherProgram = await retry(alice.client, `${WHOAMI}\n`, first.requestState, answers);
    expect(runOf(otherProgram).error).toMatchObject({ code: "APPROVAL_STATE_MISMATCH" });
    expect(g.serving.approvals.parked()).toBe(1);

    const ok = await retry(alice.client, WHOAMI, first.requestState, {
      [key]: { action: "accept", content: { name: "alice" } },
    });
    expect(runOf(ok).result).toBe("hello alice (#1)");
    const replayed = await retry(alice.client, WHOAMI, first.requestState, answers);
    expect(runOf(replayed).error).toMatchObject({ code: "APPROVAL_STATE_REPLAYED" });
  });

  it("a forwarded request over the size limit is refused before it reaches the client", async () => {
    const g = await gateway("2026-07-28", { forwardLimits: { maxRequestBytes: 100 } });
    const alice = await connect(g, { name: "alice" });
    const run = await execute(
      alice.client,
      `try { return await ask.whoami({ prompt: "${"p".repeat(200)}" }); } catch (e) { return [e.code, e.message]; }`,
    );
    expect(alice.seen).toEqual([]);
    expect(run.result).toEqual([
      "CLIENT_CAPABILITY_UNAVAILABLE",
      expect.stringMatching(/over the 100-byte limit/),
    ]);
  });
});

describe("without governance, over stdio", () => {
  it("a 2026-07-28 client still answers its run's sources over input_required", async () => {
    const cm = await createCodeMode({ sources: [askingSource("2026-07-28")] });
    cleanups.push(() => cm.close());
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    const served = serveGatewayStdio(cm, { stdin: toServer, stdout: toClient });
    const client = new Client(
      { name: "dora", version: "1.0.0" },
      { capabilities: { roots: {} }, versionNegotiation: { mode: "auto" } },
    );
    client.setRequestHandler("roots/list", async () => ({ roots: [{ uri: "file:///home/dora" }] }));
    await client.connect(new StdioServerTransport(toClient, toServer));
    cleanups.push(async () => {
      await client.close();
      toServer.end();
      await served;
    });
    expect(client.getNegotiatedProtocolVersion()).toBe("2026-07-28");
    const run = await execute(client, "return await ask.where({});");
    expect(run).toMatchObject({ ok: true, result: expect.stringMatching(/^file:\/\/\/home\/dora /) });
  });
});
