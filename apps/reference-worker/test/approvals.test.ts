import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { activities, decide, execute, inspectorCookie, runPage, writeProgram } from "./helpers/durable.js";
import { worker } from "./helpers/oauth.js";

describe("an operator's write suspends the run; an approver's decision on the inspector resumes it", () => {
  it("suspends without sending, then approving on the run page sends the write exactly once", async () => {
    const subject = `approve-${crypto.randomUUID()}`;
    const answer = await execute("oscar", writeProgram(subject));
    expect(answer.ok).toBe(false);
    expect(answer.error.code).toBe("APPROVAL_PENDING");
    expect(answer.error.message).toContain(`/inspector/runs/${answer.run_id}`);
    expect(answer.result).toMatchObject({
      status: "suspended",
      run_id: answer.run_id,
      pending: [{ position: 1, name: "crm.log_activity", kind: "write" }],
    });
    expect(answer.tool_calls).toBe(1); // the read before the stop
    expect(await activities(subject)).toBe(0);

    const admin = await inspectorCookie("ada");
    const list = await (await worker("/inspector", { headers: { cookie: admin } })).text();
    expect(list).toContain(`data-run="${answer.run_id}" data-position="1"`);
    const { html, csrf } = await runPage(answer.run_id, admin);
    expect(html).toContain("Suspended");
    expect(csrf).toMatch(/^[0-9a-f]{64}$/);

    const r = await decide(answer.run_id, admin, { csrf, decision: "approve", position: "1" });
    expect(r.status).toBe(303);
    expect(r.headers.get("location")).toBe(`/inspector/runs/${answer.run_id}`);
    expect(await activities(subject)).toBe(1);
    const row = await env.DB.prepare("SELECT ok, error_code, result FROM app_runs WHERE run_id = ?")
      .bind(answer.run_id)
      .first<{ ok: number; error_code: string | null; result: string }>();
    expect(row?.ok).toBe(1);
    const written = await env.DB.prepare("SELECT id FROM crm_activities WHERE subject = ?")
      .bind(subject)
      .first<{ id: string }>();
    expect(JSON.parse(row?.result ?? "{}").logged.activity_id).toBe(written?.id);
    const after = await runPage(answer.run_id, admin);
    expect(after.html).toContain("Resumed and finished");
    expect(after.html).toContain("approved</span> by ada");

    // Deciding again is refused: the run finished; nothing is sent twice.
    const again = await decide(answer.run_id, admin, { csrf, decision: "approve" });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("RUN_FINISHED");
    expect(await activities(subject)).toBe(1);
    const audit = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM toolpacks_audit WHERE run_id = ? AND tool = 'log_activity' AND outcome = 'ok'",
    )
      .bind(answer.run_id)
      .first<{ n: number }>();
    expect(audit?.n).toBe(1);
  });

  it("rejecting resumes the run with the call refused, and nothing is written", async () => {
    const subject = `reject-${crypto.randomUUID()}`;
    const answer = await execute("oscar", writeProgram(subject));
    const admin = await inspectorCookie("ada");
    const { csrf } = await runPage(answer.run_id, admin);
    expect((await decide(answer.run_id, admin, { csrf, decision: "reject" })).status).toBe(303);
    const row = await env.DB.prepare("SELECT ok, calls FROM app_runs WHERE run_id = ?")
      .bind(answer.run_id)
      .first<{ ok: number; calls: string }>();
    expect(row?.ok).toBe(0);
    expect(JSON.parse(row?.calls ?? "[]")).toEqual([
      expect.objectContaining({ tool: "pipeline_summary", ok: true }),
      expect.objectContaining({
        tool: "log_activity",
        ok: false,
        error: expect.objectContaining({ code: "APPROVAL_REJECTED" }),
      }),
    ]);
    expect(await activities(subject)).toBe(0);
  });

  it("refuses a decision from a role that may not approve, without the CSRF token, or from another origin", async () => {
    const subject = `refuse-${crypto.randomUUID()}`;
    const answer = await execute("oscar", writeProgram(subject));
    const admin = await inspectorCookie("ada");
    const { csrf } = await runPage(answer.run_id, admin);
    const operator = await inspectorCookie("oscar");
    const own = await runPage(answer.run_id, operator);
    expect(own.html).toContain("waiting for an approver");
    expect((await decide(answer.run_id, operator, { csrf: own.csrf, decision: "approve" })).status).toBe(403);
    expect((await decide(answer.run_id, admin, { decision: "approve" })).status).toBe(403);
    expect((await decide(answer.run_id, admin, { csrf: "0".repeat(64), decision: "approve" })).status).toBe(
      403,
    );
    // Another user's token (tokens are per session) is not this session's.
    expect((await decide(answer.run_id, admin, { csrf: own.csrf, decision: "approve" })).status).toBe(403);
    const crossSite = await decide(
      answer.run_id,
      admin,
      { csrf, decision: "approve" },
      { origin: "https://evil.example" },
    );
    expect(crossSite.status).toBe(403);
    const fetchSite = await decide(
      answer.run_id,
      admin,
      { csrf, decision: "approve" },
      { "sec-fetch-site": "cross-site" },
    );
    expect(fetchSite.status).toBe(403);
    expect(await activities(subject)).toBe(0);
    const pending = await env.DB.prepare("SELECT status FROM app_approvals WHERE run_id = ?")
      .bind(answer.run_id)
      .first<{ status: string }>();
    expect(pending?.status).toBe("pending");
  });

  it("an analyst's write is still refused before the run starts, and an admin's write needs no approval", async () => {
    const refused = await execute("ana", writeProgram(`ana-${crypto.randomUUID()}`));
    expect(refused.ok).toBe(false);
    expect(refused.error.code).not.toBe("APPROVAL_PENDING");
    const subject = `ada-${crypto.randomUUID()}`;
    const done = await execute("ada", writeProgram(subject));
    expect(done.ok).toBe(true);
    expect(await activities(subject)).toBe(1);
  });
});
