import { createExecutionContext, env, evictDurableObject, runInDurableObject } from "cloudflare:test";
import type { StoredContinuation } from "@toolpacks/runtime";
import { describe, expect, it } from "vitest";
import { openCodeMode } from "../src/gateway/code-mode.js";
import type { RunOwner } from "../src/runs/approval-index.js";
import { runObject } from "../src/runs/run-object-store.js";
import { activities, decide, execute, inspectorCookie, runPage, writeProgram } from "./helpers/durable.js";

/** Tears the run's object down (in-memory state gone, storage kept), as the platform may at any time. */
async function evict(runId: string): Promise<void> {
  const stub = runObject(env, runId);
  await runInDurableObject(stub, () => undefined); // make sure it is running, so it can be evicted
  await evictDurableObject(stub);
}

async function suspended(subject: string): Promise<string> {
  const answer = await execute("oscar", writeProgram(subject));
  expect(answer.error?.code).toBe("APPROVAL_PENDING");
  return answer.run_id as string;
}

describe("a suspended run lives in its own Durable Object", () => {
  it("survives the object being evicted: approve, resume, exactly one write", async () => {
    const subject = `evict-${crypto.randomUUID()}`;
    const runId = await suspended(subject);
    const stored = await runInDurableObject(runObject(env, runId), (_o, state) =>
      state.storage.get<StoredContinuation>("continuation"),
    );
    expect(stored).toMatchObject({ runId, status: "suspended" });
    await evict(runId);
    const admin = await inspectorCookie("ada");
    const { csrf, html } = await runPage(runId, admin); // a fresh stub, a fresh instance
    expect(html).toContain("crm.log_activity");
    await evict(runId);
    expect((await decide(runId, admin, { csrf, decision: "approve" })).status).toBe(303);
    expect(await activities(subject)).toBe(1);
    await evict(runId);
    // Resuming the evicted, finished run again is refused and writes nothing.
    const again = await decide(runId, admin, { csrf, decision: "approve" });
    expect(again.status).toBe(409);
    expect(await activities(subject)).toBe(1);
  });

  it("refuses a resume with a changed program or under a changed policy, and sends nothing", async () => {
    const subject = `changed-${crypto.randomUUID()}`;
    const runId = await suspended(subject);
    await evict(runId);
    const ctx = createExecutionContext();
    const operator = await openCodeMode(env, ctx, { user: "oscar", role: "operator" }, "mcp");
    await expect(
      operator.runs.resume(runId, true, { code: writeProgram(`${subject}-changed`) }),
    ).rejects.toMatchObject({ code: "PROGRAM_CHANGED" });
    const admin = await openCodeMode(env, ctx, { user: "oscar", role: "admin" }, "mcp");
    await expect(admin.runs.resume(runId, true)).rejects.toMatchObject({ code: "POLICY_CHANGED" });
    // The owner recorded beside the continuation is not trusted either: a role raised in storage
    // changes the policy digest, so the object refuses to resume under it.
    await runInDurableObject(runObject(env, runId), async (_o, state) => {
      const owner = (await state.storage.get<RunOwner>("owner")) as RunOwner;
      await state.storage.put("owner", { ...owner, role: "admin" });
    });
    expect(await runObject(env, runId).decide(true, "ada")).toMatchObject({
      status: "refused",
      code: "POLICY_CHANGED",
    });
    expect(await activities(subject)).toBe(0);
  });

  it("refuses a continuation changed in storage (its signature no longer verifies)", async () => {
    const subject = `tamper-${crypto.randomUUID()}`;
    const runId = await suspended(subject);
    await runInDurableObject(runObject(env, runId), async (_o, state) => {
      const record = (await state.storage.get<StoredContinuation>("continuation")) as StoredContinuation;
      await state.storage.put("continuation", {
        ...record,
        sealed: record.sealed.replace("D-0000026", "D-0000027"),
      });
    });
    await evict(runId);
    const admin = await inspectorCookie("ada");
    const { html } = await runPage(runId, admin);
    expect(html).toContain("CONTINUATION_INVALID");
    expect(await runObject(env, runId).decide(true, "ada")).toMatchObject({
      status: "refused",
      code: "CONTINUATION_INVALID",
    });
    expect(await activities(subject)).toBe(0);
  });
});
