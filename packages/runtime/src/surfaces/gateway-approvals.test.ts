/**
 * Gateway approvals through real SDK 2.4 clients: a 2026-07-28 client is asked over multi
 * round-trip requests (the run parks; `execute` answers `input_required` with the batch and a
 * signed state token), a 2025-11-25 client through elicitation, over Streamable HTTP and stdio.
 */
import { PassThrough } from "node:stream";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { StdioServerTransport } from "@modelcontextprotocol/server/stdio";
import { afterEach, describe, expect, it } from "vitest";
import { createCodeMode } from "../code-mode.js";
import { MemoryAuditSink } from "../governance/audit/record.js";
import { extractGovernanceFlags, governanceOptionsFromFlags } from "../governance/cli-options.js";
import { serveGovernance, switchableGovernance } from "../governance/cli-run.js";
import { createDurableRuns } from "../governance/durable/durable-runs.js";
import { memoryContinuationStore } from "../governance/durable/store.js";
import { startLedger } from "../governance/fixtures/ledger-server.js";
import { META } from "../governance/types.js";
import type { GatewayApprovalsOptions } from "./gateway-approvals.js";
import { serveGatewayHttp, serveGatewayStdio } from "./gateway-node.js";
import type { RunQueueOptions } from "./run-queue.js";

const approvalPolicy = { rules: [{ tools: "ledger.create_order", effect: "require_approval" as const }] };
const order = (customer: string) => JSON.stringify({ customer, amount_minor: 1250, lines: [] });

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A governed code mode over the ledger (create_order needs approval), as `toolpacks serve` builds it. */
async function governed() {
  const ledger = await startLedger();
  cleanups.push(() => ledger.close());
  const flags = extractGovernanceFlags(["--approve", "prompt"]).flags;
  const audit = new MemoryAuditSink();
  const options = {
    ...(await governanceOptionsFromFlags(flags)),
    policy: approvalPolicy,
    audit,
    tracer: false as const,
  };
  const switcher = switchableGovernance();
  const cm = await createCodeMode({
    sources: [{ name: "ledger", server: ledger.makeServer() }],
    ...switcher.hooks,
  });
  cleanups.push(() => cm.close());
  const served = serveGovernance(flags, options);
  switcher.use(served.governance);
  const writes = () => ledger.seen.filter((c) => c.tool === "create_order" && !c.meta[META.dryRun]);
  return { ledger, cm, served, audit, writes };
}

type Answer =
  | "accept"
  | "decline"
  | ((message: string) => { action: "accept" | "decline"; content?: { approve: boolean } });

interface Asking {
  mode: "auto" | "legacy";
  answer?: Answer;
  /** No elicitation capability at all. */
  cannotElicit?: boolean;
  manual?: boolean;
}

/** A real SDK client that answers elicitation the given way, and counts its `execute` requests on the wire. */
function sdkClient(asking: Asking) {
  const asked: string[] = [];
  const client = new Client(
    { name: "approver", version: "1.0.0" },
    {
      capabilities: asking.cannotElicit ? {} : { elicitation: { form: {} } },
      versionNegotiation: { mode: asking.mode },
      ...(asking.manual ? { inputRequired: { autoFulfill: false } } : {}),
    },
  );
  if (!asking.cannotElicit) {
    client.setRequestHandler("elicitation/create", async (req) => {
      const message = (req.params as { message: string }).message;
      asked.push(message);
      const answer = asking.answer ?? "accept";
      if (typeof answer === "function") return answer(message);
      return answer === "accept" ? { action: "accept", content: { approve: true } } : { action: "decline" };
    });
  }
  return { client, asked };
}

let executeRequests = 0;
const countingFetch: typeof fetch = async (input, init) => {
  if (typeof init?.body === "string" && init.body.includes('"tools/call"')) executeRequests++;
  return fetch(input, init);
};

interface HttpSetup {
  parking?: GatewayApprovalsOptions;
  queue?: RunQueueOptions;
  /** Bearer tokens the gateway accepts; the client sends the first. */
  tokens?: string[];
}

async function overHttp(g: Awaited<ReturnType<typeof governed>>, asking: Asking, setup: HttpSetup = {}) {
  const serving = await serveGatewayHttp(
    g.cm,
    {
      approvalParking: { policyDigest: g.served.policyDigest, ...setup.parking },
      ...(setup.queue ? { queue: setup.queue } : {}),
      ...(setup.tokens ? { auth: { tokens: setup.tokens } } : {}),
    },
    { onExecute: g.served.onExecute },
  );
  cleanups.push(() => serving.close());
  const connect = async (as: Asking, token?: string) => {
    const { client, asked } = sdkClient(as);
    await client.connect(
      new StreamableHTTPClientTransport(new URL(serving.url), {
        fetch: countingFetch,
        ...(token ? { requestInit: { headers: { authorization: `Bearer ${token}` } } } : {}),
      }),
    );
    cleanups.push(() => client.close());
    return { client, asked };
  };
  const first = await connect(asking, setup.tokens?.[0]);
  return { ...first, serving, connect };
}

async function overStdio(g: Awaited<ReturnType<typeof governed>>, asking: Asking) {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const served = serveGatewayStdio(g.cm, {
    onExecute: g.served.onExecute,
    approvalParking: { policyDigest: g.served.policyDigest },
    stdin: toServer,
    stdout: toClient,
  });
  const { client, asked } = sdkClient(asking);
  // The SDK's own stdio framing (newline-delimited JSON-RPC), with the streams crossed for the client.
  await client.connect(new StdioServerTransport(toClient, toServer));
  cleanups.push(async () => {
    await client.close();
    toServer.end();
    await served;
  });
  return { client, asked };
}

const runOf = (res: { content?: unknown }) =>
  JSON.parse((res.content as Array<{ text: string }>)[0]!.text) as {
    ok: boolean;
    result?: unknown;
    error?: { code: string; message: string };
    runId?: string;
  };

const execute = async (client: Client, code: string) =>
  runOf(await client.callTool({ name: "execute", arguments: { code } }));

describe.each([
  ["Streamable HTTP", overHttp],
  ["stdio", overStdio],
] as const)("gateway approvals over %s", (_transport, connect) => {
  it("a 2026-07-28 client approves over multi round-trip requests: the write happens once, after the answer", async () => {
    const g = await governed();
    const { client, asked } = await connect(g, { mode: "auto" });
    expect(client.getNegotiatedProtocolVersion()).toBe("2026-07-28");
    const run = await execute(client, `return await ledger.create_order(${order("acme")});`);
    expect(run).toMatchObject({ ok: true, result: { order_id: 1 } });
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain("WRITE ledger.create_order");
    expect(asked[0]).toContain('"customer":"acme"');
    expect(g.writes()).toHaveLength(1);
    expect(g.writes()[0]!.meta[META.idempotencyKey]).toEqual(expect.any(String));
    expect(
      g.audit.records.filter((r) => r.tool === "create_order").map((r) => [r.phase, r.decision]),
    ).toEqual([
      ["intent", "approved"],
      ["outcome", "approved"],
    ]);
  });

  it("a 2026-07-28 client that declines: the program gets APPROVAL_REJECTED and nothing is written", async () => {
    const g = await governed();
    const { client, asked } = await connect(g, { mode: "auto", answer: "decline" });
    const run = await execute(
      client,
      `try { return await ledger.create_order(${order("acme")}); } catch (e) { return [e.code, e.message]; }`,
    );
    expect(asked).toHaveLength(1);
    expect(run.result).toEqual(["APPROVAL_REJECTED", expect.stringMatching(/chose decline/)]);
    expect(g.writes()).toEqual([]);
    expect(g.audit.records.filter((r) => r.tool === "create_order").map((r) => r.decision)).toEqual([
      "rejected",
    ]);
  });

  it("a 2025-11-25 client with elicitation is asked by elicitation (over HTTP in its SSE session)", async () => {
    const g = await governed();
    const { client, asked } = await connect(g, { mode: "legacy", answer: "accept" });
    expect(client.getNegotiatedProtocolVersion()).toBe("2025-11-25");
    const run = await execute(
      client,
      `try { return await ledger.create_order(${order("legacy")}); } catch (e) { return [e.code, e.message]; }`,
    );
    expect(asked).toHaveLength(1);
    expect(run).toMatchObject({ ok: true, result: { order_id: 1 } });
    expect(g.writes()).toHaveLength(1);
  });

  it.each(["auto", "legacy"] as const)(
    "a %s client that cannot elicit gets a clear refusal, nothing written",
    async (mode) => {
      const g = await governed();
      const { client } = await connect(g, { mode, cannotElicit: true });
      const run = await execute(
        client,
        `try { return await ledger.create_order(${order("x")}); } catch (e) { return [e.code, e.message]; }`,
      );
      expect(run.result).toEqual([
        "APPROVAL_REJECTED",
        expect.stringMatching(/does not support elicitation.*--approve auto/),
      ]);
      expect(g.writes()).toEqual([]);
    },
  );
});

describe("a batch of parallel approvals (2026-07-28)", () => {
  it("calls made together are asked in one round; each answer applies to its own call", async () => {
    const g = await governed();
    const { client, asked } = await overHttp(g, {
      mode: "auto",
      answer: (message) =>
        message.includes('"customer":"b"')
          ? { action: "decline" }
          : { action: "accept", content: { approve: true } },
    });
    executeRequests = 0;
    const run = await execute(
      client,
      `return await Promise.all(["a", "b", "c"].map((customer) =>
        ledger.create_order({ customer, amount_minor: 1, lines: [] }).then((r) => r.order_id, (e) => e.code)));`,
    );
    // One execute request, answered input_required with all three calls, and one retry.
    expect(executeRequests).toBe(2);
    expect(asked).toHaveLength(3);
    expect(asked.every((m) => /^Approval \d of 3 \(these calls were made together\)/.test(m))).toBe(true);
    expect(run.ok).toBe(true);
    const [a, b, c] = run.result as unknown[];
    expect(b).toBe("APPROVAL_REJECTED");
    expect([a, c].sort()).toEqual([1, 2]);
    expect(
      g
        .writes()
        .map((w) => w.args.customer)
        .sort(),
    ).toEqual(["a", "c"]);
  });

  it("sequential approvals take one round each, every approved write once", async () => {
    const g = await governed();
    const { client, asked } = await overHttp(g, { mode: "auto" });
    executeRequests = 0;
    const run = await execute(
      client,
      `const x = await ledger.create_order(${order("one")}); const y = await ledger.create_order(${order("two")}); return [x.order_id, y.order_id];`,
    );
    expect(run.result).toEqual([1, 2]);
    expect(asked).toHaveLength(2);
    expect(executeRequests).toBe(3);
    expect(g.writes().map((w) => w.args.customer)).toEqual(["one", "two"]);
  });
});

/** The first round by hand: the input_required answer with its requests and state token. */
async function firstRound(client: Client, code: string) {
  const first = (await client.callTool(
    { name: "execute", arguments: { code } },
    { allowInputRequired: true },
  )) as unknown as {
    resultType?: string;
    inputRequests?: Record<string, { method: string; params: { message: string } }>;
    requestState?: string;
  };
  expect(first.resultType).toBe("input_required");
  return first as Required<typeof first>;
}

const approveAllOf = (inputRequests: Record<string, unknown>) =>
  Object.fromEntries(
    Object.keys(inputRequests).map((k) => [k, { action: "accept", content: { approve: true } }]),
  );

async function retry(
  client: Client,
  code: string,
  requestState: string,
  inputResponses: Record<string, unknown>,
) {
  const res = await client.callTool(
    { name: "execute", arguments: { code }, inputResponses, requestState } as never,
    { allowInputRequired: true },
  );
  return res as unknown as { resultType?: string; content?: unknown; isError?: boolean };
}

const program = `return await ledger.create_order(${order("acme")});`;

describe("the approval state token", () => {
  it("a forged or altered token is a typed tool error and approves nothing; the genuine one still works once", async () => {
    const g = await governed();
    const { client } = await overHttp(g, { mode: "auto", manual: true });
    const first = await firstRound(client, program);
    const answers = approveAllOf(first.inputRequests);
    expect(Object.keys(first.inputRequests)).toHaveLength(1);

    const [prefix, kid, body, mac] = first.requestState.split(".") as [string, string, string, string];
    const claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
    const forgedBody = Buffer.from(JSON.stringify({ ...claims, e: claims.e + 3_600_000 })).toString(
      "base64url",
    );
    const forgeries = [
      `${prefix}.${kid}.${forgedBody}.${mac}`, // claims changed, old signature
      `${prefix}.${kid}.${body}.${mac.slice(0, -2)}AA`, // signature altered
      `${prefix}.other-key.${body}.${mac}`, // a key this gateway does not hold
      "tpa1.x.y", // malformed
      `${"A".repeat(5000)}`, // oversized
    ];
    for (const forged of forgeries) {
      const res = await retry(client, program, forged, answers);
      expect(res.isError).toBe(true);
      expect(runOf(res).error).toMatchObject({
        code: "APPROVAL_STATE_INVALID",
        message: /Nothing was approved/,
      });
    }
    expect(g.writes()).toEqual([]);

    const ok = await retry(client, program, first.requestState, answers);
    expect(runOf(ok)).toMatchObject({ ok: true, result: { order_id: 1 } });

    // Replayed: the same token again approves nothing and writes nothing more.
    const replay = await retry(client, program, first.requestState, answers);
    expect(runOf(replay).error).toMatchObject({ code: "APPROVAL_STATE_REPLAYED" });
    expect(g.writes()).toHaveLength(1);
  });

  it("a token for another program or from another client is a mismatch; the run stays parked for the right retry", async () => {
    const g = await governed();
    const tokens = ["token-a-0123456789abcdef0123456789", "token-b-0123456789abcdef0123456789"];
    const { client, serving, connect } = await overHttp(g, { mode: "auto", manual: true }, { tokens });
    const first = await firstRound(client, program);
    const answers = approveAllOf(first.inputRequests);
    const changed = await retry(client, program.replace("acme", "evil"), first.requestState, answers);
    expect(runOf(changed).error).toMatchObject({ code: "APPROVAL_STATE_MISMATCH" });
    const other = await connect({ mode: "auto", manual: true }, tokens[1]);
    const stolen = await retry(other.client, program, first.requestState, answers);
    expect(runOf(stolen).error).toMatchObject({ code: "APPROVAL_STATE_MISMATCH" });
    expect(g.writes()).toEqual([]);

    expect(serving.approvals.parked()).toBe(1);
    const ok = await retry(client, program, first.requestState, answers);
    expect(runOf(ok)).toMatchObject({ ok: true, result: { order_id: 1 } });
    expect(g.writes().map((w) => w.args.customer)).toEqual(["acme"]);
  });

  it("an expired token is refused, its run cancelled and its pending call audited as rejected", async () => {
    const g = await governed();
    const { client, serving } = await overHttp(
      g,
      { mode: "auto", manual: true },
      { parking: { ttlMs: 150 } },
    );
    const first = await firstRound(client, program);
    expect(serving.approvals.parked()).toBe(1);
    await until(() => serving.approvals.parked() === 0);
    await until(() => g.audit.records.some((r) => r.tool === "create_order"));
    const late = await retry(client, program, first.requestState, approveAllOf(first.inputRequests));
    expect(runOf(late).error).toMatchObject({ code: "APPROVAL_STATE_EXPIRED" });
    expect(g.writes()).toEqual([]);
    const record = g.audit.records.find((r) => r.tool === "create_order");
    expect(record).toMatchObject({ decision: "rejected", detail: expect.stringMatching(/expired/) });
  });
});

describe("decisions fail closed (2026-07-28)", () => {
  it("only an accepted answer with approve: true approves; approve: false, a string, a wrapped answer or none rejects", async () => {
    const g = await governed();
    const { client } = await overHttp(g, { mode: "auto", manual: true });
    const code = `return await Promise.all(["a", "b", "c", "d", "e"].map((customer) =>
      ledger.create_order({ customer, amount_minor: 1, lines: [] }).then((r) => r.order_id, (e) => e.code)));`;
    const first = await firstRound(client, code);
    const keys = Object.keys(first.inputRequests);
    expect(keys).toHaveLength(5);
    const byCustomer = (c: string) =>
      keys.find((k) => first.inputRequests[k]!.params.message.includes(`"customer":"${c}"`))!;
    const res = await retry(client, code, first.requestState, {
      [byCustomer("a")]: { action: "accept", content: { approve: false } },
      [byCustomer("b")]: { action: "accept", content: { approve: "true" } },
      [byCustomer("c")]: { action: "accept", content: { approve: true } },
      [byCustomer("d")]: {
        method: "elicitation/create",
        result: { action: "accept", content: { approve: true } },
      },
      // e: no answer at all
    });
    expect(runOf(res).result).toEqual([
      "APPROVAL_REJECTED",
      "APPROVAL_REJECTED",
      1,
      "APPROVAL_REJECTED",
      "APPROVAL_REJECTED",
    ]);
    expect(g.writes().map((w) => w.args.customer)).toEqual(["c"]);
  });
});

describe("parked runs are bounded", () => {
  it("past maxParked a run's approval is rejected with the reason, not parked; parked runs hold their queue slot", async () => {
    const g = await governed();
    const { client: first, serving } = await overHttp(
      g,
      { mode: "auto", manual: true },
      { parking: { maxParked: 1 }, queue: { concurrency: 2, perClientConcurrency: 2 } },
    );
    const parked = await firstRound(first, program);
    expect(serving.approvals.parked()).toBe(1);
    expect(serving.runQueue.stats().running).toBe(1);

    const second = await execute(
      first,
      `try { return await ledger.create_order(${order("second")}); } catch (e) { return [e.code, e.message]; }`,
    );
    expect(second.result).toEqual([
      "APPROVAL_REJECTED",
      expect.stringMatching(/already holds 1 runs waiting for approval.*retry the program later/),
    ]);
    expect(g.writes()).toEqual([]);
    const ok = await retry(first, program, parked.requestState, approveAllOf(parked.inputRequests));
    expect(runOf(ok)).toMatchObject({ ok: true });
    expect(serving.runQueue.stats().running).toBe(0);
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
}

describe("with durable runs, a client that can be asked neither way gets a suspended run", () => {
  it.each(["auto", "legacy"] as const)(
    "a %s client without elicitation: execute answers the run id and pending calls; approving and resuming writes once",
    async (mode) => {
      const ledger = await startLedger();
      cleanups.push(() => ledger.close());
      const flags = extractGovernanceFlags(["--approve", "prompt"]).flags;
      const options = {
        ...(await governanceOptionsFromFlags(flags)),
        policy: approvalPolicy,
        tracer: false as const,
      };
      const served = serveGovernance(flags, options);
      const runs = createDurableRuns({
        store: memoryContinuationStore(),
        keys: { current: "k1", keys: { k1: "k1-secret-0123456789abcdef0123456789" } },
        governance: { ...options, approver: served.approver },
      });
      const cm = await createCodeMode({
        sources: [{ name: "ledger", server: ledger.makeServer() }],
        ...runs.hooks,
      });
      cleanups.push(() => cm.close());
      runs.attach(cm);
      const serving = await serveGatewayHttp(cm, {}, { onExecute: served.onExecute, durable: runs });
      cleanups.push(() => serving.close());
      const { client } = sdkClient({ mode, cannotElicit: true });
      await client.connect(new StreamableHTTPClientTransport(new URL(serving.url)));
      cleanups.push(() => client.close());
      const writes = () => ledger.seen.filter((c) => c.tool === "create_order" && !c.meta[META.dryRun]);

      const code = `const n = await ledger.list_orders({}); const o = await ledger.create_order(${order("later")}); return [n.orders, o.order_id];`;
      const res = await client.callTool({ name: "execute", arguments: { code } });
      const answer = runOf(res) as ReturnType<typeof runOf> & {
        status?: string;
        run_id?: string;
        pending?: unknown[];
      };
      expect(res.isError).toBe(true);
      expect(answer).toMatchObject({
        ok: false,
        status: "suspended",
        run_id: expect.any(String),
        pending: [{ name: "ledger.create_order", kind: "write", args: { customer: "later" } }],
        error: {
          code: "APPROVAL_PENDING",
          message: expect.stringMatching(/toolpacks approve .* --state DIR/),
        },
      });
      expect(writes()).toEqual([]);

      const resumed = await runs.resume(answer.run_id as string, true);
      expect(resumed).toMatchObject({ status: "finished", result: { ok: true, result: [0, 1] } });
      expect(writes()).toHaveLength(1);
    },
  );
});
