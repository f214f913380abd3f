/**
 * Resumable streams of the gateway's 2025-11-25 sessions: a client whose SSE stream drops mid-call
 * (an approval being asked, progress being reported) reconnects with `Last-Event-ID` and gets the
 * events it missed, in order, once; the call goes on. Only the session's owner can resume it,
 * resumption is bounded, and a call nobody resumes is cancelled with nothing sent.
 */
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

const TOKENS = ["token-of-alice-0123456789abcdef", "token-of-bob-0123456789abcdefgh"];
const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The gateway over the ledger, `create_order` needing approval, asked by elicitation. */
async function gateway(sessions: LegacySessionsOptions = {}, progressIntervalMs = 0) {
  const ledger = await startLedger();
  cleanups.push(() => ledger.close());
  const flags = extractGovernanceFlags(["--approve", "prompt"]).flags;
  const audit = new MemoryAuditSink();
  const switcher = switchableGovernance();
  const cm = await createCodeMode({
    sources: [{ name: "ledger", server: ledger.makeServer() }],
    ...switcher.hooks,
  });
  cleanups.push(() => cm.close());
  const served = serveGovernance(flags, {
    ...(await governanceOptionsFromFlags(flags)),
    policy: { rules: [{ tools: "ledger.create_order", effect: "require_approval" as const }] },
    audit,
    tracer: false as const,
  });
  switcher.use(served.governance);
  const serving = await serveGatewayHttp(
    cm,
    {
      auth: { tokens: TOKENS },
      approvalParking: { policyDigest: served.policyDigest },
      legacySessions: sessions,
    },
    { onExecute: served.onExecute, progressIntervalMs },
  );
  cleanups.push(() => serving.close());
  const writes = () => ledger.seen.filter((c) => c.tool === "create_order" && !c.meta[META.dryRun]);
  const decisions = () => audit.records.filter((r) => r.tool === "create_order").map((r) => r.decision);
  return { url: serving.url, writes, decisions };
}

interface RpcError {
  error: { code: number; message: string };
}

interface SseEvent {
  id?: string;
  data: string;
  /** The JSON-RPC message, when the event carries one (a priming event does not). */
  message?: { id?: string | number; method?: string; result?: unknown; error?: unknown; params?: any };
}

/** Reads an SSE body event by event. */
function sse(response: Response) {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  return {
    async next(): Promise<SseEvent | undefined> {
      for (;;) {
        const end = buffer.indexOf("\n\n");
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith(":")) continue; // keep-alive
          const event: SseEvent = { data: "" };
          for (const line of block.split("\n")) {
            if (line.startsWith("id:")) event.id = line.slice(3).trim();
            if (line.startsWith("data:")) event.data += line.slice(5).trim();
          }
          if (event.data) event.message = JSON.parse(event.data);
          return event;
        }
        const { value, done } = await reader.read();
        if (done) return undefined;
        buffer += value;
      }
    },
    async rest(): Promise<SseEvent[]> {
      const all: SseEvent[] = [];
      for (let e = await this.next(); e; e = await this.next()) all.push(e);
      return all;
    },
  };
}

/** A raw 2025-11-25 session over fetch, so a test decides exactly when a stream drops. */
async function session(url: string, token: string) {
  const headers = (more: Record<string, string> = {}) => ({
    authorization: `Bearer ${token}`,
    accept: "application/json, text/event-stream",
    "content-type": "application/json",
    "mcp-protocol-version": "2025-11-25",
    ...more,
  });
  const init = await fetch(url, {
    method: "POST",
    headers: headers(),
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 0,
      method: "initialize",
      params: {
        protocolVersion: "2025-11-25",
        capabilities: { elicitation: { form: {} } },
        clientInfo: { name: "raw", version: "1.0.0" },
      },
    }),
  });
  const sessionId = init.headers.get("mcp-session-id")!;
  await sse(init).rest();
  const withSession = (more: Record<string, string> = {}) =>
    headers({ "mcp-session-id": sessionId, ...more });
  const post = (message: unknown, signal?: AbortSignal) =>
    fetch(url, {
      method: "POST",
      headers: withSession(),
      body: JSON.stringify(message),
      ...(signal ? { signal } : {}),
    });
  await post({ jsonrpc: "2.0", method: "notifications/initialized" });
  return {
    sessionId,
    /** Calls `execute`; the caller reads (and may drop) its stream. */
    async execute(id: number, code: string) {
      const abort = new AbortController();
      const response = await post(
        {
          jsonrpc: "2.0",
          id,
          method: "tools/call",
          params: { name: "execute", arguments: { code }, _meta: { progressToken: `p${id}` } },
        },
        abort.signal,
      );
      expect(response.headers.get("content-type")).toContain("text/event-stream");
      return { stream: sse(response), drop: () => abort.abort() };
    },
    /** Reconnects with `Last-Event-ID` (as `token`, default this session's). */
    resume: (lastEventId: string, as = token) =>
      fetch(url, {
        method: "GET",
        headers: {
          authorization: `Bearer ${as}`,
          accept: "text/event-stream",
          "mcp-protocol-version": "2025-11-25",
          "mcp-session-id": sessionId,
          "last-event-id": lastEventId,
        },
      }),
    /** Opens the session's own GET stream (no `Last-Event-ID`). */
    listen: (signal?: AbortSignal) =>
      fetch(url, {
        method: "GET",
        headers: {
          authorization: `Bearer ${token}`,
          accept: "text/event-stream",
          "mcp-protocol-version": "2025-11-25",
          "mcp-session-id": sessionId,
        },
        ...(signal ? { signal } : {}),
      }),
    /** Answers the gateway's elicitation. */
    answer: (requestId: string | number, approve: boolean) =>
      post({
        jsonrpc: "2.0",
        id: requestId,
        result: approve ? { action: "accept", content: { approve: true } } : { action: "decline" },
      }),
  };
}

const order = JSON.stringify({ customer: "acme", amount_minor: 1250, lines: [] });
const TRY_ORDER = `try { return await ledger.create_order(${order}); } catch (e) { return [e.code, e.message]; }`;

const until = async (done: () => boolean) => {
  for (let i = 0; i < 250 && !done(); i++) await new Promise((r) => setTimeout(r, 20));
};

/** Event ids of one session grow with each event; numeric order is the order they were sent. */
const seqOf = (id: string | undefined) => Number(id!.split("-").at(-1));

describe("resuming a 2025-11-25 session's stream with Last-Event-ID", () => {
  it("a stream dropped while the approval is being asked: the client reconnects, gets the question and then the answer, once, in order", async () => {
    const g = await gateway();
    const alice = await session(g.url, TOKENS[0]!);
    const call = await alice.execute(2, TRY_ORDER);
    const priming = await call.stream.next();
    expect(priming).toMatchObject({ id: expect.any(String), data: "" });
    call.drop(); // the connection breaks before the question is read

    const resumed = await alice.resume(priming!.id!);
    expect(resumed.status).toBe(200);
    const stream = sse(resumed);
    const seen: SseEvent[] = [];
    for (let e = await stream.next(); e; e = await stream.next()) {
      seen.push(e);
      if (e.message?.method === "elicitation/create") {
        expect(e.message.params.message).toContain("WRITE ledger.create_order");
        expect((await alice.answer(e.message.id!, true)).status).toBe(202);
      }
    }
    const messages = seen.map((e) => e.message?.method ?? (e.message?.id === 2 ? "answer" : "other"));
    expect(messages).toEqual(["elicitation/create", "answer"]);
    expect(seen.every((e) => seqOf(e.id) > seqOf(priming!.id))).toBe(true);
    expect(JSON.parse((seen[1]!.message!.result as any).content[0].text)).toMatchObject({
      ok: true,
      result: { order_id: 1 },
    });
    expect(g.writes()).toHaveLength(1);
  });

  it("a stream dropped after the question while progress goes on: what was sent meanwhile arrives once, in order", async () => {
    const g = await gateway({}, 20);
    const alice = await session(g.url, TOKENS[0]!);
    const call = await alice.execute(3, TRY_ORDER);
    let question: SseEvent | undefined;
    let last: SseEvent | undefined;
    const before: number[] = [];
    while (!question) {
      last = await call.stream.next();
      if (last?.message?.method === "notifications/progress") before.push(last.message.params.progress);
      if (last?.message?.method === "elicitation/create") question = last;
    }
    call.drop();
    // While nobody listens: progress keeps coming, the approval is answered, the write is sent.
    await new Promise((r) => setTimeout(r, 150));
    await alice.answer(question.message!.id!, true);
    await until(() => g.writes().length === 1);

    const missed = await sse(await alice.resume(question.id!)).rest();
    const progress = missed.filter((e) => e.message?.method === "notifications/progress");
    const answers = missed.filter((e) => e.message?.id === 3);
    expect(answers).toHaveLength(1);
    expect(missed.at(-1)).toBe(answers[0]);
    expect(missed.some((e) => e.message?.method === "elicitation/create")).toBe(false);
    // Progress resumes right after the last one read before the drop, without a gap or a repeat.
    expect(progress.length).toBeGreaterThan(0);
    const numbers = progress.map((e) => e.message!.params.progress as number);
    const expected = numbers.map((_, i) => (before.at(-1) ?? 0) + 1 + i);
    expect(numbers).toEqual(expected);
    const seqs = missed.map((e) => seqOf(e.id));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(g.writes()).toHaveLength(1);
  });

  it("a resumed call outlives the resume window: only an unresumed one is cancelled", async () => {
    // Wide enough for the reconnection on a loaded machine; the decision takes longer still.
    const g = await gateway({ resumeWindowMs: 1500 });
    const alice = await session(g.url, TOKENS[0]!);
    const call = await alice.execute(2, TRY_ORDER);
    const priming = await call.stream.next();
    call.drop();
    const stream = sse(await alice.resume(priming!.id!));
    const question = await stream.next();
    expect(question?.message?.method).toBe("elicitation/create");
    // The person takes far longer than the window to decide: the resumed stream keeps the call.
    await new Promise((r) => setTimeout(r, 2000));
    await alice.answer(question!.message!.id!, true);
    const rest = await stream.rest();
    expect(rest.map((e) => e.message?.id)).toEqual([2]);
    expect(g.decisions()).not.toContain("rejected");
    expect(g.writes()).toHaveLength(1);
  });

  it("a call not resumed within the window is cancelled: nothing is sent, and a late resume gets an error saying why", async () => {
    const g = await gateway({ resumeWindowMs: 200 });
    const alice = await session(g.url, TOKENS[0]!);
    const call = await alice.execute(2, TRY_ORDER);
    const priming = await call.stream.next();
    call.drop();
    await until(() => g.decisions().length > 0);
    expect(g.decisions()).toEqual(["rejected"]);
    const late = await sse(await alice.resume(priming!.id!)).rest();
    const answers = late.filter((e) => e.message?.id === 2 && !e.message.method);
    expect(answers).toHaveLength(1);
    const answer = answers[0]!.message!;
    expect((answer.error as { message: string }).message).toMatch(
      /Cancelled: the client's stream closed and was not resumed within 200 ms/,
    );
    expect(g.writes()).toEqual([]);
  });

  it("a closed connection releases its stream at once: the session's GET stream can be opened again", async () => {
    const g = await gateway();
    const alice = await session(g.url, TOKENS[0]!);
    const first = new AbortController();
    expect((await alice.listen(first.signal)).status).toBe(200);
    // One GET stream per session: while the first is open, a second is refused.
    const second = await alice.listen();
    expect(second.status).toBe(409);
    first.abort();
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      const again = new AbortController();
      const response = await alice.listen(again.signal);
      status = response.status;
      again.abort();
      if (status !== 200) await new Promise((r) => setTimeout(r, 20));
    }
    expect(status).toBe(200);
  });

  it("only the session's owner resumes it: another credential gets 404, another session's id 400", async () => {
    const g = await gateway();
    const alice = await session(g.url, TOKENS[0]!);
    const call = await alice.execute(2, TRY_ORDER);
    const priming = await call.stream.next();
    call.drop();

    const bob = await alice.resume(priming!.id!, TOKENS[1]!);
    expect(bob.status).toBe(404);
    expect(await bob.text()).not.toContain("elicitation");
    // Alice's own other session does not know this session's events.
    const other = await session(g.url, TOKENS[0]!);
    // The other session has a call of its own, so the id's stream and position exist there too.
    const queued = await other.execute(2, "return 1;");
    await queued.stream.next();
    queued.drop();
    const foreign = await other.resume(priming!.id!);
    expect(foreign.status).toBe(400);
    expect(await foreign.text()).toMatch(/is not an event of this session/);
    for (const made of ["1", `${priming!.id}9`, "x".repeat(500)]) {
      const r = await alice.resume(made);
      expect(r.status).toBe(400);
      expect(((await r.json()) as RpcError).error.message).toMatch(/not an event of this session/);
    }

    // The owner still resumes, and decides.
    const stream = sse(await alice.resume(priming!.id!));
    for (let e = await stream.next(); e; e = await stream.next()) {
      if (e.message?.method === "elicitation/create") await alice.answer(e.message.id!, false);
    }
    expect(g.writes()).toEqual([]);
    expect(g.decisions()).toEqual(["rejected"]);
  });

  it("past a limit the events are gone: resuming from before them is refused (410, naming the limit), from after them it works", async () => {
    const g = await gateway({ events: { maxEventsPerStream: 1 } });
    const alice = await session(g.url, TOKENS[0]!);
    const call = await alice.execute(2, TRY_ORDER);
    const priming = await call.stream.next();
    const question = await call.stream.next();
    expect(question?.message?.method).toBe("elicitation/create");
    call.drop();
    await alice.answer(question!.message!.id!, false);
    await until(() => g.decisions().length > 0);
    // The answer is stored now, and one event per stream is kept: the question is gone.
    const refused = await alice.resume(priming!.id!);
    expect(refused.status).toBe(410);
    const { message } = ((await refused.json()) as RpcError).error;
    expect(message).toMatch(/dropped past the limit of 1 events per stream/);
    expect(message).toMatch(/Retry the call/);
    // After the question nothing is missing: the answer arrives.
    const missed = await sse(await alice.resume(question!.id!)).rest();
    expect(missed.map((e) => e.message?.id)).toEqual([2]);
    expect(g.decisions()).toEqual(["rejected"]);
    expect(g.writes()).toEqual([]);
  });

  it("a real SDK client whose stream breaks mid-call resumes by itself and gets its answer once", async () => {
    const g = await gateway();
    let broken = false;
    // Breaks the connection of the first `execute` stream right after its first event arrives.
    const breaking: typeof fetch = async (input, init) => {
      const body = typeof init?.body === "string" ? init.body : "";
      if (broken || !body.includes('"tools/call"')) return fetch(input, init);
      broken = true;
      const abort = new AbortController();
      const response = await fetch(input, { ...init, signal: abort.signal });
      const reader = response.body!.getReader();
      const first = await reader.read();
      abort.abort();
      let sent = false;
      const cut = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent) controller.error(new TypeError("network connection lost"));
          else controller.enqueue(first.value!);
          sent = true;
        },
      });
      return new Response(cut, { status: response.status, headers: response.headers });
    };
    const asked: string[] = [];
    const client = new Client(
      { name: "alice", version: "1.0.0" },
      { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode: "legacy" } },
    );
    client.setRequestHandler("elicitation/create", async (req) => {
      asked.push((req.params as { message: string }).message);
      return { action: "accept", content: { approve: true } } as never;
    });
    const transport = new StreamableHTTPClientTransport(new URL(g.url), {
      requestInit: { headers: { authorization: `Bearer ${TOKENS[0]}` } },
      fetch: breaking,
    });
    await client.connect(transport);
    cleanups.push(() => client.close().catch(() => {}));
    const res = await client.callTool({ name: "execute", arguments: { code: TRY_ORDER } });
    expect(broken).toBe(true);
    expect(JSON.parse((res.content as Array<{ text: string }>)[0]!.text)).toMatchObject({
      ok: true,
      result: { order_id: 1 },
    });
    expect(asked).toHaveLength(1);
    expect(g.writes()).toHaveLength(1);
  });

  it("a bad session limit stops the start with its name, and leaves nothing listening", async () => {
    const cm = await createCodeMode({ sources: [] });
    cleanups.push(() => cm.close());
    const bad = await serveGatewayHttp(cm, { port: 0 });
    const { port } = bad;
    await bad.close();
    await expect(
      serveGatewayHttp(cm, { port, legacySessions: { events: { maxEventsPerStream: 0 } } }),
    ).rejects.toThrow(/maxEventsPerStream must be a positive integer/);
    // The refused start released its port: a good start takes it.
    const good = await serveGatewayHttp(cm, { port });
    cleanups.push(() => good.close());
    expect(good.port).toBe(port);
  });
});
