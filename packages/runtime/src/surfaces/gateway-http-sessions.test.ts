/**
 * 2025-11-25 clients over the gateway's Streamable HTTP: a client that initializes gets a session
 * over SSE, so the gateway asks it by elicitation mid-call (approvals; a source's forwarded
 * requests). The Host/Origin guard and the credential apply to every request of the session, a
 * session belongs to the client that opened it, and a client that disconnects while being asked
 * gets nothing sent.
 */
import { fileURLToPath } from "node:url";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { afterEach, describe, expect, it } from "vitest";
import { createCodeMode } from "../code-mode.js";
import { MemoryAuditSink } from "../governance/audit/record.js";
import { extractGovernanceFlags, governanceOptionsFromFlags } from "../governance/cli-options.js";
import { serveGovernance, switchableGovernance } from "../governance/cli-run.js";
import { startLedger } from "../governance/fixtures/ledger-server.js";
import { META } from "../governance/types.js";
import { serveGatewayHttp } from "./gateway-node.js";
import type { LegacySessionsOptions } from "./http-sessions.js";

const ASKING = fileURLToPath(new URL("../sources/fixtures/asking-server.mjs", import.meta.url));
const RUNTIME_DIR = fileURLToPath(new URL("../..", import.meta.url));
const TOKENS = ["token-of-alice-0123456789abcdef", "token-of-bob-0123456789abcdefgh"];

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** `toolpacks serve --http --approve prompt` over the ledger (create_order needs approval) and the asking server. */
async function gateway(sessions: LegacySessionsOptions = {}) {
  const ledger = await startLedger();
  cleanups.push(() => ledger.close());
  const flags = extractGovernanceFlags(["--approve", "prompt"]).flags;
  const audit = new MemoryAuditSink();
  const switcher = switchableGovernance();
  const cm = await createCodeMode({
    sources: [
      { name: "ledger", server: ledger.makeServer() },
      { name: "ask", command: process.execPath, args: [ASKING], cwd: RUNTIME_DIR, forward: true },
    ],
    ...switcher.hooks,
  });
  cleanups.push(() => cm.close());
  const options = {
    ...(await governanceOptionsFromFlags(flags)),
    policy: {
      rules: [
        { tools: "ledger.create_order", effect: "require_approval" as const },
        { tools: "ask.*", effect: "allow" as const },
      ],
    },
    audit,
    tracer: false as const,
  };
  const served = serveGovernance(flags, options);
  switcher.use(served.governance);
  const serving = await serveGatewayHttp(
    cm,
    {
      auth: { tokens: TOKENS },
      approvalParking: { policyDigest: served.policyDigest },
      legacySessions: sessions,
    },
    { onExecute: served.onExecute },
  );
  cleanups.push(() => serving.close());
  const writes = () => ledger.seen.filter((c) => c.tool === "create_order" && !c.meta[META.dryRun]);
  return { serving, audit, writes };
}

type Answer = (
  message: string,
) => Promise<{ action: "accept" | "decline"; content?: Record<string, unknown> }>;

/** A 2025-11-25 SDK client over HTTP with `token`, answering elicitation with `answer`. */
async function legacyClient(url: string, token: string, answer: Answer, name = "alice") {
  const asked: string[] = [];
  const client = new Client(
    { name, version: "1.0.0" },
    { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode: "legacy" } },
  );
  client.setRequestHandler("elicitation/create", async (req) => {
    const message = (req.params as { message: string }).message;
    asked.push(message);
    return (await answer(message)) as never;
  });
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
  cleanups.push(() => client.close().catch(() => {}));
  return { client, asked, transport };
}

const order = JSON.stringify({ customer: "acme", amount_minor: 1250, lines: [] });
const TRY_ORDER = `try { return await ledger.create_order(${order}); } catch (e) { return [e.code, e.message]; }`;

const execute = async (client: Client, code: string) => {
  const res = await client.callTool({ name: "execute", arguments: { code } });
  return JSON.parse((res.content as Array<{ text: string }>)[0]!.text) as { ok: boolean; result?: unknown };
};

describe("2025-11-25 sessions over the gateway's Streamable HTTP", () => {
  it("asks the client by elicitation mid-call: approve sends the write once, decline sends nothing", async () => {
    const g = await gateway();
    const yes = await legacyClient(g.serving.url, TOKENS[0]!, async () => ({
      action: "accept",
      content: { approve: true },
    }));
    expect(yes.client.getNegotiatedProtocolVersion()).toBe("2025-11-25");
    expect(yes.transport.sessionId).toEqual(expect.any(String));
    expect(await execute(yes.client, TRY_ORDER)).toMatchObject({ ok: true, result: { order_id: 1 } });
    expect(yes.asked).toEqual([expect.stringContaining("WRITE ledger.create_order")]);
    expect(g.writes()).toHaveLength(1);

    const no = await legacyClient(g.serving.url, TOKENS[1]!, async () => ({ action: "decline" }), "bob");
    const refused = await execute(no.client, TRY_ORDER);
    expect(refused.result).toEqual(["APPROVAL_REJECTED", expect.stringMatching(/decline/)]);
    expect(no.asked).toHaveLength(1);
    expect(g.writes()).toHaveLength(1);
  });

  it("forwards a source's elicitation to the session whose run asked", async () => {
    const g = await gateway();
    const alice = await legacyClient(g.serving.url, TOKENS[0]!, async () => ({
      action: "accept",
      content: { name: "alice" },
    }));
    const bob = await legacyClient(
      g.serving.url,
      TOKENS[1]!,
      async () => ({ action: "accept", content: { name: "bob" } }),
      "bob",
    );
    const program = `return await ask.whoami({});`;
    const [a, b] = await Promise.all([execute(alice.client, program), execute(bob.client, program)]);
    expect(a.result).toMatch(/^hello alice /);
    expect(b.result).toMatch(/^hello bob /);
    expect(alice.asked).toHaveLength(1);
    expect(bob.asked).toHaveLength(1);
  });

  it("a client that disconnects while being asked and does not resume: the call is refused and nothing is sent", async () => {
    // The call waits this long for the client to resume its stream (gateway-http-resume.test.ts).
    const g = await gateway({ resumeWindowMs: 50 });
    let askedNow!: () => void;
    const beingAsked = new Promise<void>((r) => {
      askedNow = r;
    });
    const leaving = await legacyClient(g.serving.url, TOKENS[0]!, () => {
      askedNow();
      return new Promise(() => {}); // never answers: the client goes away instead
    });
    const pending = execute(leaving.client, TRY_ORDER).catch((e: unknown) => e);
    await beingAsked;
    await leaving.transport.close();
    await pending;
    // The run was cancelled with the request: the approval is refused and audited, nothing written.
    for (let i = 0; i < 100 && !g.audit.records.some((r) => r.tool === "create_order"); i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(g.audit.records.filter((r) => r.tool === "create_order").map((r) => r.decision)).toEqual([
      "rejected",
    ]);
    expect(g.writes()).toEqual([]);
  });

  it("guards every request of a session: Host, credential, and the client that opened it", async () => {
    const g = await gateway();
    const alice = await legacyClient(g.serving.url, TOKENS[0]!, async () => ({ action: "decline" }));
    const sessionId = alice.transport.sessionId as string;
    const ping = (headers: Record<string, string>) =>
      fetch(g.serving.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          "mcp-protocol-version": "2025-11-25",
          "mcp-session-id": sessionId,
          ...headers,
        },
        body: JSON.stringify({ jsonrpc: "2.0", id: 9, method: "tools/list" }),
      });
    expect((await ping({ authorization: `Bearer ${TOKENS[0]}` })).status).toBe(200);
    expect((await ping({})).status).toBe(401);
    expect(
      (await ping({ authorization: `Bearer ${TOKENS[0]}`, origin: "https://evil.example" })).status,
    ).toBe(403);
    // Bob's valid token does not open Alice's session: it does not exist for him.
    expect((await ping({ authorization: `Bearer ${TOKENS[1]}` })).status).toBe(404);
  });
});
