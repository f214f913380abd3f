import { env } from "cloudflare:test";
import { importJWK, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { activities, execute, writeProgram } from "./helpers/durable.js";
import { ORIGIN } from "./helpers/oauth.js";
import { idp, workerWith } from "./helpers/oidc.js";

// A deployment behind Cloudflare Access only: no SESSION_SECRET, no demo users, so the inspector
// has no session cookie; each request's verified assertion is the session.
const AUD = "approvals-behind-access";
const behindAccess = workerWith({
  ACCESS_TEAM_DOMAIN: idp.issuer,
  ACCESS_AUD: AUD,
  ROLE_MAP: JSON.stringify({
    email: { "boss@corp.example": "admin", "chief@corp.example": "admin", "ops@corp.example": "operator" },
  }),
  DEMO_USERS: "off",
});

/** An Access assertion for `email`, as Cloudflare Access signs it. */
async function assertion(email: string): Promise<string> {
  return new SignJWT({ email, type: "app" })
    .setProtectedHeader({ alg: "RS256", kid: "access-1" })
    .setIssuer(idp.issuer)
    .setAudience(AUD)
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(await importJWK(idp.accessPrivateJwk, "RS256"));
}

async function runPage(
  runId: string,
  email: string,
): Promise<{ html: string; csrf: string; cookies: string[] }> {
  const r = await behindAccess(`/inspector/runs/${runId}`, {
    headers: { "cf-access-jwt-assertion": await assertion(email) },
  });
  const html = await r.text();
  const csrf = /name="csrf" value="([0-9a-f]*)"/.exec(html)?.[1] ?? "";
  return { html, csrf, cookies: r.headers.getSetCookie() };
}

async function decide(
  runId: string,
  email: string | undefined,
  fields: Record<string, string>,
  headers: Record<string, string> = { origin: ORIGIN, "sec-fetch-site": "same-origin" },
): Promise<Response> {
  const access: Record<string, string> = email ? { "cf-access-jwt-assertion": await assertion(email) } : {};
  return behindAccess(`/inspector/runs/${runId}/decide`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...access, ...headers },
    body: new URLSearchParams(fields),
    redirect: "manual",
  });
}

async function approvalStatus(runId: string): Promise<string | undefined> {
  const row = await env.DB.prepare("SELECT status FROM app_approvals WHERE run_id = ?")
    .bind(runId)
    .first<{ status: string }>();
  return row?.status;
}

describe("approvals on the inspector behind Cloudflare Access only (no session cookie)", () => {
  it("an Access-authenticated approver approves on the run page; the run resumes and writes once", async () => {
    const subject = `access-approve-${crypto.randomUUID()}`;
    const answer = await execute("oscar", writeProgram(subject));
    expect(answer.error.code).toBe("APPROVAL_PENDING");

    const { html, csrf, cookies } = await runPage(answer.run_id, "boss@corp.example");
    expect(html).toContain("Suspended");
    expect(cookies).toEqual([]); // no session cookie to derive a token from
    expect(csrf).toMatch(/^[0-9a-f]{104}$/);
    // One token per page: a reload gives another.
    expect((await runPage(answer.run_id, "boss@corp.example")).csrf).not.toBe(csrf);

    const r = await decide(answer.run_id, "boss@corp.example", { csrf, decision: "approve", position: "1" });
    expect(r.status).toBe(303);
    expect(r.headers.get("location")).toBe(`/inspector/runs/${answer.run_id}`);
    expect(await activities(subject)).toBe(1);
    const after = await runPage(answer.run_id, "boss@corp.example");
    expect(after.html).toContain("Resumed and finished");
    expect(after.html).toContain("approved</span> by boss@corp.example");
  });

  it("refuses a cross-site, token-less, forged, or someone else's token, and an operator's decision", async () => {
    const subject = `access-refuse-${crypto.randomUUID()}`;
    const answer = await execute("oscar", writeProgram(subject));
    const { csrf } = await runPage(answer.run_id, "boss@corp.example");
    const chief = (await runPage(answer.run_id, "chief@corp.example")).csrf;
    expect(csrf).not.toBe("");

    const cases: Array<[string, Promise<Response>, RegExp]> = [
      [
        "another origin",
        decide(
          answer.run_id,
          "boss@corp.example",
          { csrf, decision: "approve" },
          { origin: "https://evil.example" },
        ),
        /sent from https:\/\/evil\.example/,
      ],
      [
        "a cross-site fetch",
        decide(
          answer.run_id,
          "boss@corp.example",
          { csrf, decision: "approve" },
          { "sec-fetch-site": "cross-site" },
        ),
        /cross-site/,
      ],
      ["no token", decide(answer.run_id, "boss@corp.example", { decision: "approve" }), /no CSRF token/],
      [
        "a token of another approver",
        decide(answer.run_id, "boss@corp.example", { csrf: chief, decision: "approve" }),
        /CSRF token is wrong/,
      ],
      [
        "a tampered token",
        decide(answer.run_id, "boss@corp.example", {
          csrf: `${csrf.slice(0, 40)}${csrf.slice(40, 41) === "0" ? "1" : "0"}${csrf.slice(41)}`,
          decision: "approve",
        }),
        /CSRF token is wrong/,
      ],
      [
        "a cookie-session-shaped token",
        decide(answer.run_id, "boss@corp.example", { csrf: "0".repeat(64), decision: "approve" }),
        /CSRF token is wrong/,
      ],
    ];
    for (const [name, pending, why] of cases) {
      const r = await pending;
      expect(r.status, name).toBe(403);
      expect(await r.text(), name).toMatch(why);
    }
    // Without the Access assertion nobody is signed in: the sign-in page, nothing decided.
    const anonymous = await decide(answer.run_id, undefined, { csrf, decision: "approve" });
    expect(anonymous.status).not.toBe(303);
    // An operator behind Access may not approve.
    const operator = await decide(answer.run_id, "ops@corp.example", { csrf, decision: "approve" });
    expect(operator.status).toBe(403);
    expect(await operator.text()).toContain("Only an approver decides");

    expect(await activities(subject)).toBe(0);
    expect(await approvalStatus(answer.run_id)).toBe("pending");
  });
});
