import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { signInAs, worker } from "./helpers/oauth.js";

describe("POST /agent/chat", () => {
  it("refuses a request without a valid token", async () => {
    const r = await worker("/agent/chat", { method: "POST", body: JSON.stringify({ message: "hi" }) });
    expect(r.status).toBe(401);
    const forged = await worker("/agent/chat", {
      method: "POST",
      headers: { authorization: "Bearer ana:x:y" },
      body: JSON.stringify({ message: "hi" }),
    });
    expect(forged.status).toBe(401);
  });

  it("answers with code mode as its only tool, and the run is recorded for the user", async () => {
    const token = await signInAs("ana");
    const r = await worker("/agent/chat", {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ message: "How is the pipeline, and what do customers owe us?" }),
    });
    expect(r.status).toBe(200);
    const out = (await r.json()) as { text: string; runs: string[]; steps: number };
    expect(out.steps).toBe(2);
    expect(out.text).toMatch(/^As of \d{4}-\d{2}-\d{2}: \d+ open deals worth \$[\d,.]+ in the pipeline/);
    expect(out.runs).toHaveLength(1);
    const row = await env.DB.prepare("SELECT principal, role, surface, ok FROM app_runs WHERE run_id = ?")
      .bind(out.runs[0])
      .first();
    expect(row).toEqual({ principal: "ana", role: "analyst", surface: "agent", ok: 1 });
  });
});
