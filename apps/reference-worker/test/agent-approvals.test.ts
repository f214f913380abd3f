import { describe, expect, it } from "vitest";
import type { ChatState, PendingApproval } from "../src/agent/chat-agent.js";
import { activities, decide, inspectorCookie, runPage, writeProgram } from "./helpers/durable.js";
import { signInAs, worker } from "./helpers/oauth.js";

/** The scripted model runs a program the message carries in a ```js fence. */
function asking(program: string): string {
  return `Please log the call.\n\`\`\`js\n${program}\n\`\`\``;
}

async function say(
  token: string,
  message: string,
): Promise<{ text: string; runs: string[]; pending: PendingApproval[] }> {
  const r = await worker("/agent/chat", {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ message }),
  });
  expect(r.status).toBe(200);
  return r.json();
}

async function stateOf(token: string): Promise<ChatState> {
  const r = await worker("/agent/chat", { headers: { authorization: `Bearer ${token}` } });
  expect(r.status).toBe(200);
  return r.json();
}

describe("the chat agent (a Durable Object) keeps its runs waiting for approval in its state", () => {
  it("an operator's write waits in the chat; approving on the inspector resumes it once, and the chat shows the outcome", async () => {
    const subject = `chat-${crypto.randomUUID()}`;
    const oscar = await signInAs("oscar");
    const reply = await say(oscar, asking(writeProgram(subject)));
    const runId = reply.runs[0] ?? "";
    expect(runId).not.toBe("");
    expect(reply.pending).toEqual([
      expect.objectContaining({
        runId,
        calls: [expect.objectContaining({ position: 1, name: "crm.log_activity" })],
        url: `https://toolpacks.test/inspector/runs/${runId}`,
      }),
    ]);
    expect(await activities(subject)).toBe(0);

    // The client sees the same state, kept by the agent's object.
    const waiting = await stateOf(oscar);
    expect(waiting.pending.map((p) => p.runId)).toEqual([runId]);
    expect(waiting.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    // Another user's chat is another object: it holds nothing of oscar's.
    expect((await stateOf(await signInAs("ada"))).pending).toEqual([]);

    const admin = await inspectorCookie("ada");
    const { csrf } = await runPage(runId, admin);
    expect((await decide(runId, admin, { csrf, decision: "approve" })).status).toBe(303);
    expect(await activities(subject)).toBe(1);

    const settled = await stateOf(oscar);
    expect(settled.pending).toEqual([]);
    const last = settled.messages.at(-1);
    expect(last).toMatchObject({ role: "run", runIds: [runId] });
    expect(last?.text).toContain("crm.log_activity approved by ada");
    expect(last?.text).toContain("finished");
    // Settling again adds nothing, and nothing is sent twice.
    expect((await stateOf(oscar)).messages).toHaveLength(settled.messages.length);
    expect(await activities(subject)).toBe(1);
  });

  it("a batch of parallel writes waits as one entry; rejected on the inspector, the chat shows the refusal and nothing is written", async () => {
    const subject = `chat-batch-${crypto.randomUUID()}`;
    const program = `const [a, b] = await Promise.all([
  crm.log_activity({ deal_id: "D-0000026", kind: "call", subject: ${JSON.stringify(`${subject}-a`)} }),
  crm.log_activity({ deal_id: "D-0000026", kind: "email", subject: ${JSON.stringify(`${subject}-b`)} }),
]);
return { a, b };`;
    const oscar = await signInAs("oscar");
    const before = (await stateOf(oscar)).pending.length;
    const reply = await say(oscar, asking(program));
    const runId = reply.runs[0] ?? "";
    const entry = reply.pending.find((p) => p.runId === runId);
    expect(entry?.calls.map((c) => c.name)).toEqual(["crm.log_activity", "crm.log_activity"]);
    expect(reply.pending).toHaveLength(before + 1);

    const admin = await inspectorCookie("ada");
    const { csrf } = await runPage(runId, admin);
    expect((await decide(runId, admin, { csrf, decision: "reject" })).status).toBe(303);

    const settled = await stateOf(oscar);
    expect(settled.pending.map((p) => p.runId)).not.toContain(runId);
    const outcome = settled.messages.find((m) => m.role === "run" && m.runIds?.includes(runId));
    expect(outcome?.text).toMatch(/crm\.log_activity rejected by ada; crm\.log_activity rejected by ada/);
    expect(outcome?.text).toContain("failed: APPROVAL_REJECTED");
    expect(await activities(`${subject}-a`)).toBe(0);
    expect(await activities(`${subject}-b`)).toBe(0);
  });

  it("refuses to show a chat without a valid token", async () => {
    const r = await worker("/agent/chat", { headers: { authorization: "Bearer ana:x:y" } });
    expect(r.status).toBe(401);
  });
});
