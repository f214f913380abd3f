import { PassThrough } from "node:stream";
import { Client, InMemoryTransport } from "@modelcontextprotocol/client";
import { McpServer } from "@modelcontextprotocol/server";
import { describe, expect, it, vi } from "vitest";
import { type ApprovalRequest, askApprover } from "./approver.js";
import { elicitationApprover } from "./elicitation.js";
import { ttyApprover } from "./tty.js";

const request = (position: number): ApprovalRequest => ({
  runId: "r",
  position,
  server: "billing",
  tool: "create_invoice",
  name: "billing.create_invoice",
  kind: "write",
  args: { amount_minor: 100 * position },
  argsDigest: "d",
  dryRun: false,
  signal: new AbortController().signal,
});

describe("asking an approver", () => {
  it("approves only on exactly true or { approved: true }", async () => {
    const ask = (answer: unknown) => askApprover(() => answer as never, request(1), { timeoutMs: 1000 });
    expect((await ask(true)).approved).toBe(true);
    expect((await ask({ approved: true })).approved).toBe(true);
    for (const hostile of ["yes", 1, { approved: "true" }, { approve: true }, null, undefined, [true]]) {
      expect((await ask(hostile)).approved, JSON.stringify(hostile)).toBe(false);
    }
  });

  it("rejects when the call is cancelled while waiting", async () => {
    const controller = new AbortController();
    const pending = askApprover(() => new Promise(() => {}), request(1), {
      timeoutMs: 10_000,
      signal: controller.signal,
    });
    controller.abort();
    expect(await pending).toEqual({ approved: false, reason: "the call was cancelled" });
  });
});

describe("terminal approver", () => {
  it("asks one call at a time and approves only on y/yes", async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = "";
    output.on("data", (d) => {
      shown += d;
    });
    const approve = ttyApprover({ input, output });
    const answers = [approve(request(1)), approve(request(2)), approve(request(3))];
    for (const [i, line] of ["yes", "n", "whatever"].entries()) {
      // The next prompt appears only after the previous call was answered.
      await vi.waitFor(() => expect(shown.match(/Approve\?/g)).toHaveLength(i + 1));
      input.write(`${line}\n`);
      await answers[i];
    }
    expect((await Promise.all(answers)).map((a) => (a as { approved: boolean }).approved)).toEqual([
      true,
      false,
      false,
    ]);
    expect(shown).toContain("wants to WRITE billing.create_invoice");
    expect(shown).toContain('{"amount_minor":200}');
  });

  it("rejects instead of hanging when the input ends", async () => {
    const input = new PassThrough();
    const approve = ttyApprover({ input, output: new PassThrough() });
    const answer = approve(request(1));
    input.end();
    expect(await answer).toMatchObject({ approved: false });
  });
});

describe("elicitation approver", () => {
  async function connect(
    answer: (message: string) => { action: "accept" | "decline" | "cancel"; content?: object },
  ) {
    const server = new McpServer({ name: "gateway", version: "1.0.0" });
    const client = new Client(
      { name: "c", version: "1.0.0" },
      { capabilities: { elicitation: { form: {} } } },
    );
    const messages: string[] = [];
    client.setRequestHandler("elicitation/create", async (req) => {
      messages.push(req.params.message);
      return answer(req.params.message) as never;
    });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await server.connect(b);
    await client.connect(a);
    return { approver: elicitationApprover(server.server), messages };
  }

  it("approves only when the user accepts with approve: true", async () => {
    const { approver, messages } = await connect((m) =>
      m.includes('"amount_minor":100')
        ? { action: "accept", content: { approve: true } }
        : { action: "accept", content: { approve: false } },
    );
    expect(await approver(request(1))).toMatchObject({ approved: true });
    expect(await approver(request(2))).toMatchObject({ approved: false });
    expect(messages[0]).toContain("billing.create_invoice");
  });

  it("treats decline and a client without elicitation as rejection", async () => {
    const { approver } = await connect(() => ({ action: "decline" }));
    expect(await approver(request(1))).toMatchObject({ approved: false });
    const server = new McpServer({ name: "gateway", version: "1.0.0" });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await server.connect(b);
    await new Client({ name: "c", version: "1.0.0" }).connect(a);
    const outcome = await askApprover(elicitationApprover(server.server), request(1), { timeoutMs: 1000 });
    expect(outcome.approved).toBe(false);
    expect(outcome.reason).toMatch(/does not support/);
  });
});
