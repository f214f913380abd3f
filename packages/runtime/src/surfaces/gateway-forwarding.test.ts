/**
 * Capability forwarding through the gateway: a real source server (SDK 2.x over stdio) asks for
 * elicitation, roots and sampling during a tool call; the request reaches the MCP client session
 * whose `execute` started the run, and no other, whichever revision the source speaks. Requests a
 * run's client cannot answer are refused with a typed error, and every request is audited.
 */
import { PassThrough } from "node:stream";
import { Client, InMemoryTransport } from "@modelcontextprotocol/client";
import { StdioServerTransport } from "@modelcontextprotocol/server/stdio";
import { afterEach, describe, expect, it } from "vitest";
import { governedAskingCodeMode } from "../sources/fixtures/asking-code-mode.js";
import { createGatewayServer } from "./gateway.js";
import { serveGatewayStdio } from "./gateway-node.js";

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A governed code mode (as `toolpacks serve` builds it) over the asking server, forwarding. */
async function gateway(protocol: "2025-11-25" | "2026-07-28") {
  const { cm, served, audit } = await governedAskingCodeMode(protocol, cleanups);
  return { cm, served, audit };
}

interface Person {
  name: string;
  /** Capabilities the client declares; default all three. */
  capabilities?: Record<string, object>;
  /** How long the elicitation answer takes, ms. */
  delayMs?: number;
}

/** A 2025-11-25 SDK client that answers as `person`, recording every request it is sent. */
function personClient(person: Person) {
  const seen: string[] = [];
  const capabilities = person.capabilities ?? { elicitation: { form: {} }, roots: {}, sampling: {} };
  const client = new Client(
    { name: person.name, version: "1.0.0" },
    { capabilities, versionNegotiation: { mode: "legacy" } },
  );
  if (capabilities.elicitation) {
    client.setRequestHandler("elicitation/create", async (req) => {
      seen.push(`elicit:${(req.params as { message: string }).message}`);
      await new Promise((r) => setTimeout(r, person.delayMs ?? 0));
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
  return { client, seen };
}

/** Connects a client to the gateway in process (one gateway server per client session). */
async function inMemory(g: Awaited<ReturnType<typeof gateway>>, person: Person) {
  const server = createGatewayServer(g.cm, { onExecute: g.served.onExecute });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(b);
  const made = personClient(person);
  await made.client.connect(a);
  cleanups.push(() => made.client.close());
  return made;
}

/** Connects a client to the gateway over stdio (the SDK's framing on crossed pipes). */
async function overStdio(g: Awaited<ReturnType<typeof gateway>>, person: Person) {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const served = serveGatewayStdio(g.cm, {
    onExecute: g.served.onExecute,
    stdin: toServer,
    stdout: toClient,
  });
  const made = personClient(person);
  await made.client.connect(new StdioServerTransport(toClient, toServer));
  cleanups.push(async () => {
    await made.client.close();
    toServer.end();
    await served;
  });
  return made;
}

const execute = async (client: Client, code: string) => {
  const res = await client.callTool({ name: "execute", arguments: { code } });
  return JSON.parse((res.content as Array<{ text: string }>)[0]!.text) as {
    ok: boolean;
    result?: unknown;
    error?: { code: string; message: string };
  };
};

const ALL = `return [await ask.whoami({ prompt: "name?" }), await ask.where({}), await ask.summarize({ text: "x" })];`;
const TRY_WHOAMI = `try { return await ask.whoami({}); } catch (e) { return [e.code, e.message]; }`;

describe.each(["2025-11-25", "2026-07-28"] as const)("a source speaking %s", (protocol) => {
  it("asks the gateway's stdio client for elicitation, roots and sampling, and the audit shows each", async () => {
    const g = await gateway(protocol);
    const alice = await overStdio(g, { name: "alice" });
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
    expect(forwarded.map((r) => [r.server, r.tool, r.phase, r.decision, r.outcome])).toEqual([
      ["ask", "elicitation/create", "intent", "allow", "pending"],
      ["ask", "elicitation/create", "outcome", "allow", "ok"],
      ["ask", "roots/list", "intent", "allow", "pending"],
      ["ask", "roots/list", "outcome", "allow", "ok"],
      ["ask", "sampling/createMessage", "intent", "allow", "pending"],
      ["ask", "sampling/createMessage", "outcome", "allow", "ok"],
    ]);
    // Under the run and the position of the call that asked; the prompt itself is not in the audit.
    expect(new Set(forwarded.map((r) => r.position))).toEqual(new Set([0, 1, 2]));
    expect(JSON.stringify(forwarded)).not.toContain("name?");
  });

  it("two concurrent clients: each one's requests reach that client only", async () => {
    const g = await gateway(protocol);
    // Each answer takes a while, so the two runs' calls and questions interleave.
    const alice = await inMemory(g, { name: "alice", delayMs: 40 });
    const bob = await inMemory(g, { name: "bob", delayMs: 25 });
    // Warm: the first run's start-up cost would otherwise keep the two runs from overlapping.
    await Promise.all([g.cm.execute("return 1"), g.cm.execute("return 2")]);
    const program = (who: string) =>
      `const out = []; for (let i = 0; i < 3; i++) out.push(await ask.whoami({ prompt: "${who}?" })); return out;`;
    const [a, b] = await Promise.all([
      execute(alice.client, program("alice")),
      execute(bob.client, program("bob")),
    ]);
    expect(a.result).toEqual([0, 1, 2].map(() => expect.stringMatching(/^hello alice /)));
    expect(b.result).toEqual([0, 1, 2].map(() => expect.stringMatching(/^hello bob /)));
    expect(alice.seen).toEqual(["elicit:alice?", "elicit:alice?", "elicit:alice?"]);
    expect(bob.seen).toEqual(["elicit:bob?", "elicit:bob?", "elicit:bob?"]);
  });

  it("a client without the capability is never asked: the program gets CLIENT_CAPABILITY_UNAVAILABLE", async () => {
    const g = await gateway(protocol);
    const carol = await inMemory(g, { name: "carol", capabilities: { roots: {} } });
    const run = await execute(carol.client, TRY_WHOAMI);
    expect(carol.seen).toEqual([]);
    if (protocol === "2025-11-25") {
      expect(run.result).toEqual([
        "CLIENT_CAPABILITY_UNAVAILABLE",
        expect.stringContaining("did not declare the elicitation capability"),
      ]);
      const denied = g.audit.records.filter((r) => r.tool === "elicitation/create");
      expect(denied.map((r) => [r.decision, r.outcome])).toEqual([["deny", "CLIENT_LACKS_CAPABILITY"]]);
    } else {
      // 2026-07-28: the call declares the client's own capabilities, so the server does not even ask.
      expect(run.result).toEqual([
        "TOOL_ERROR",
        expect.stringContaining("do not declare the required capability"),
      ]);
    }
  });

  it("a run started from the library has no client: refused, nothing sent", async () => {
    const g = await gateway(protocol);
    const run = await g.cm.execute(TRY_WHOAMI);
    expect(run.result).toEqual([
      protocol === "2025-11-25" ? "CLIENT_CAPABILITY_UNAVAILABLE" : "TOOL_ERROR",
      expect.any(String),
    ]);
  });
});
