/**
 * The parked-run registry on its own: batches, per-client bounds, and a parked run whose approval
 * times out in governance (the approver's signal aborts) expiring whole.
 */
import { describe, expect, it } from "vitest";
import type { ApprovalAnswer, ApprovalRequest } from "../governance/approvals/approver.js";
import { type ApprovalRun, GatewayApprovals } from "./gateway-approvals.js";

function request(runId: string, position: number, signal = new AbortController().signal): ApprovalRequest {
  return {
    runId,
    position,
    server: "ledger",
    tool: "create_order",
    name: "ledger.create_order",
    kind: "write",
    args: { customer: `c${position}` },
    argsDigest: `d${position}`,
    dryRun: false,
    signal,
  };
}

/** A run that "executes" until the test settles it. */
function started(approvals: GatewayApprovals, runId: string, client: string) {
  const run = approvals.startRun(runId, client, "program");
  let finish!: () => void;
  run.settle(
    new Promise((resolve) => {
      finish = () => resolve({ ok: true, logs: [], calls: [] } as never);
    }),
  );
  return { run, finish };
}

const ask = (run: ApprovalRun, r: ApprovalRequest) =>
  Promise.resolve(run.approver(r)) as Promise<ApprovalAnswer>;

describe("GatewayApprovals", () => {
  it("calls asked together form one batch, ordered by position", async () => {
    const approvals = new GatewayApprovals({ batchWindowMs: 5 });
    const { run } = started(approvals, "r1", "c");
    const answers = [ask(run, request("r1", 2)), ask(run, request("r1", 0)), ask(run, request("r1", 1))];
    const event = await run.next();
    expect(event.kind).toBe("batch");
    if (event.kind !== "batch") return;
    expect(event.calls.map((c) => c.key)).toEqual(["call-0", "call-1", "call-2"]);
    expect(approvals.parked("c")).toBe(1);
    const claimed = await approvals.claim(event.token, "program", "c");
    claimed.answer({ "call-1": { action: "accept", content: { approve: true } } });
    expect((await Promise.all(answers)).map((a) => (a as { approved: boolean }).approved)).toEqual([
      false,
      false,
      true,
    ]);
  });

  it("a client past perClientParked has its approvals refused with the reason; another client still parks", async () => {
    const approvals = new GatewayApprovals({ batchWindowMs: 1, perClientParked: 1, maxParked: 8 });
    const a1 = started(approvals, "a1", "a");
    void ask(a1.run, request("a1", 0));
    expect((await a1.run.next()).kind).toBe("batch");
    const a2 = started(approvals, "a2", "a");
    const refused = await ask(a2.run, request("a2", 0));
    expect(refused).toMatchObject({
      approved: false,
      reason: expect.stringMatching(/this client already has 1 runs waiting for approval/),
    });
    const b1 = started(approvals, "b1", "b");
    void ask(b1.run, request("b1", 0));
    expect((await b1.run.next()).kind).toBe("batch");
    expect(approvals.parked()).toBe(2);
  });

  it("when governance's approval timeout aborts a parked call, the whole run expires and is cancelled", async () => {
    const approvals = new GatewayApprovals({ batchWindowMs: 1 });
    const { run } = started(approvals, "r1", "c");
    const timeout = new AbortController();
    const first = ask(run, request("r1", 0, timeout.signal));
    const second = ask(run, request("r1", 1));
    const event = await run.next();
    expect(event.kind).toBe("batch");
    timeout.abort(new Error("approval timed out"));
    expect(await first).toMatchObject({ approved: false });
    expect(await second).toMatchObject({
      approved: false,
      reason: expect.stringMatching(/expired.*cancelled/),
    });
    await new Promise((r) => setTimeout(r, 5));
    expect(run.signal.aborted).toBe(true);
    expect(approvals.parked()).toBe(0);
    if (event.kind === "batch") {
      await expect(approvals.claim(event.token, "program", "c")).rejects.toMatchObject({
        code: "APPROVAL_STATE_EXPIRED",
      });
    }
  });

  it("a source's request and a call's approval asked together form one batch; each answer goes to its own waiter", async () => {
    const approvals = new GatewayApprovals({ batchWindowMs: 5 });
    const { run } = started(approvals, "r1", "c");
    const peer = run.peer({ roots: {} });
    const roots = peer.request("roots/list", {}, new AbortController().signal);
    const approval = ask(run, request("r1", 0));
    const event = await run.next();
    if (event.kind !== "batch") throw new Error(`expected a batch, got ${event.kind}`);
    expect(event.asks.map((a) => [a.key, a.method])).toEqual([["ask-1", "roots/list"]]);
    expect(event.calls.map((c) => c.key)).toEqual(["call-0"]);
    (await approvals.claim(event.token, "program", "c")).answer({
      "ask-1": { roots: [{ uri: "file:///w" }] },
      "call-0": { action: "accept", content: { approve: true } },
    });
    expect(await roots).toEqual({ roots: [{ uri: "file:///w" }] });
    expect(await approval).toMatchObject({ approved: true });
  });

  it("a source's request cancelled while parked expires the run; one that is not answered fails typed", async () => {
    const approvals = new GatewayApprovals({ batchWindowMs: 1 });
    const first = started(approvals, "r1", "c");
    const cancel = new AbortController();
    const asked = first.run
      .peer({ sampling: {} })
      .request("sampling/createMessage", { messages: [] }, cancel.signal);
    expect((await first.run.next()).kind).toBe("batch");
    cancel.abort(new Error("call timed out"));
    await expect(asked).rejects.toThrow(/cancelled/);
    expect(approvals.parked()).toBe(0);

    const second = started(approvals, "r2", "c");
    const unanswered = second.run.peer({ roots: {} }).request("roots/list", {}, new AbortController().signal);
    const event = await second.run.next();
    if (event.kind !== "batch") throw new Error("expected a batch");
    (await approvals.claim(event.token, "program", "c")).answer({});
    await expect(unanswered).rejects.toMatchObject({ code: "ANSWER_INVALID" });
  });
});
