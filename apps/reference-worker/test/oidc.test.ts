import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { mcpClient } from "./helpers/oauth.js";
import { idp, loginAtIdp, oidcLogin, oidcVars, REDIRECT, startLogin, workerWith } from "./helpers/oidc.js";

type ToolText = { content: Array<{ type: string; text: string }> };

/** The principal and role governance recorded for a run made with `token`. */
async function whoRuns(token: string): Promise<{ principal: string; role: string }> {
  const client = await mcpClient("/mcp", token);
  try {
    const r = (await client.callTool({ name: "execute", arguments: { code: "return 1;" } })) as ToolText;
    const run = JSON.parse(r.content[0]?.text ?? "{}") as { ok: boolean; run_id: string };
    expect(run.ok).toBe(true);
    const row = await env.DB.prepare("SELECT principal, role FROM app_runs WHERE run_id = ?")
      .bind(run.run_id)
      .first<{ principal: string; role: string }>();
    if (!row) throw new Error(`run ${run.run_id} not recorded`);
    return row;
  } finally {
    await client.close();
  }
}

describe("sign-in through an OpenID Connect provider", () => {
  const worker = workerWith(oidcVars());

  it("sends the browser to the provider with PKCE (S256), state, nonce and the configured scopes", async () => {
    const { idpUrl } = await startLogin(worker);
    const url = new URL(idpUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`${idp.issuer}/authorize`);
    const q = url.searchParams;
    expect(q.get("client_id")).toBe(idp.clientId);
    expect(q.get("redirect_uri")).toBe("https://toolpacks.test/auth/callback");
    expect(q.get("code_challenge_method")).toBe("S256");
    expect(q.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get("state")?.length).toBeGreaterThanOrEqual(20);
    expect(q.get("nonce")?.length).toBeGreaterThanOrEqual(20);
    expect(q.get("scope")?.split(" ")).toEqual(["openid", "email", "profile"]);
    // The MCP client's own state never goes to the provider.
    expect(q.get("state")).not.toBe("client-state");
  });

  it.each([
    { groups: ["tp-operators"], role: "operator" },
    { groups: ["staff"], role: "analyst" },
    // The most privileged matching rule wins.
    { groups: ["staff", "tp-admins"], role: "admin" },
  ])("maps groups $groups to role $role end to end", async ({ groups, role }) => {
    const email = `${role}-${groups.length}@example.com`;
    const journey = await oidcLogin(worker, { sub: `u-${role}`, email, groups });
    expect(journey.callback.status).toBe(302);
    expect(journey.callback.headers.get("location")).toContain("state=client-state");
    expect(await whoRuns(journey.token ?? "")).toEqual({ principal: email, role });
  });

  it("maps another claim (email) and reads groups the provider puts only at userinfo", async () => {
    const byEmail = await oidcLogin(worker, { email: "cfo@example.com", groups: [] });
    expect(await whoRuns(byEmail.token ?? "")).toEqual({ principal: "cfo@example.com", role: "admin" });
    const viaUserinfo = await oidcLogin(worker, {
      email: "ui@example.com",
      groups: ["tp-operators"],
      tamper: "userinfo-groups",
    });
    expect(await whoRuns(viaUserinfo.token ?? "")).toEqual({ principal: "ui@example.com", role: "operator" });
  });

  it("follows ROLE_MAP and USER_CLAIM from configuration, not from code", async () => {
    const custom = workerWith(
      oidcVars({
        ROLE_MAP: JSON.stringify({ department: {}, groups: { finance: "admin" } }),
        USER_CLAIM: "sub",
      }),
    );
    const journey = await oidcLogin(custom, { sub: "employee-42", groups: ["finance"] });
    expect(await whoRuns(journey.token ?? "")).toEqual({ principal: "employee-42", role: "admin" });
    // The default map's admin group means nothing under this configuration.
    const other = await oidcLogin(custom, { sub: "employee-43", groups: ["tp-admins"] });
    expect(other.callback.status).toBe(403);
  });

  it("refuses an authenticated user no rule maps, with a page saying why and no grant", async () => {
    const journey = await oidcLogin(worker, { email: "stranger@example.com", groups: ["marketing"] });
    expect(journey.callback.status).toBe(403);
    expect(journey.callback.headers.get("location")).toBeNull();
    const html = await journey.callback.text();
    expect(html).toContain("NO_ROLE");
    expect(html).toContain("stranger@example.com");
    expect(html).toContain("ROLE_MAP");
    expect(journey.token).toBeUndefined();
  });

  it.each([
    ["aud", /audience/],
    ["iss", /issuer/],
    ["expired", /expired/],
    ["signature", /signature/],
    ["nonce", /nonce/],
    ["no-nonce", /nonce/],
    ["hs256", /algorithm/],
  ])("refuses an ID token with tampering %s", async (tamper, why) => {
    // A first login, so that a replayed token has a real earlier nonce to carry.
    await oidcLogin(worker, { groups: ["tp-admins"] });
    const journey = await oidcLogin(worker, { email: "mallory@example.com", groups: ["tp-admins"], tamper });
    expect(journey.callback.status).toBe(401);
    expect(journey.callback.headers.get("location")).toBeNull();
    const html = await journey.callback.text();
    expect(html).toContain("ID_TOKEN_INVALID");
    expect(html).toMatch(why);
    expect(journey.token).toBeUndefined();
  });

  it("refuses a callback whose state was changed, replayed, or comes from another browser", async () => {
    // Changed state.
    const a = await startLogin(worker);
    const backA = new URL(await loginAtIdp(a.idpUrl, { groups: ["tp-admins"] }));
    backA.searchParams.set("state", `${backA.searchParams.get("state")}x`);
    const changed = await worker(backA.href, { headers: { cookie: a.jar.header() }, redirect: "manual" });
    expect(changed.status).toBe(401);
    expect(await changed.text()).toContain("STATE_INVALID");

    // Another browser (no binding cookie), then the right browser still works once, then a replay.
    const b = await startLogin(worker);
    const backB = await loginAtIdp(b.idpUrl, { groups: ["tp-admins"] });
    const foreign = await worker(backB, { redirect: "manual" });
    expect(foreign.status).toBe(401);
    expect(await foreign.text()).toContain("STATE_INVALID");
    const own = await worker(backB, { headers: { cookie: b.jar.header() }, redirect: "manual" });
    expect(own.status).toBe(302);
    expect(own.headers.get("location")).toMatch(new RegExp(`^${REDIRECT}\\?`));
    const replay = await worker(backB, { headers: { cookie: b.jar.header() }, redirect: "manual" });
    expect(replay.status).toBe(401);
    expect(await replay.text()).toContain("STATE_INVALID");
  });

  it("answers the MCP client with access_denied when the user declines at the provider", async () => {
    const { idpUrl, jar } = await startLogin(worker);
    const q = new URL(idpUrl).searchParams;
    const body = new URLSearchParams({ deny: "1" });
    for (const k of ["client_id", "redirect_uri", "state"]) body.set(k, q.get(k) ?? "");
    const back = await fetch(`${idp.issuer}/authorize`, { method: "POST", body, redirect: "manual" });
    const callback = await worker(back.headers.get("location") ?? "", {
      headers: { cookie: jar.header() },
      redirect: "manual",
    });
    expect(callback.status).toBe(302);
    const to = new URL(callback.headers.get("location") ?? "");
    expect(`${to.origin}${to.pathname}`).toBe(REDIRECT);
    expect(to.searchParams.get("error")).toBe("access_denied");
    expect(to.searchParams.get("state")).toBe("client-state");
  });

  it("refuses sign-in with a clear page when the provider is unreachable or misnamed", async () => {
    const down = workerWith(oidcVars({ OIDC_ISSUER: "http://127.0.0.1:9" }));
    const { openConsent, submitConsent } = await import("./helpers/oidc.js");
    const consent = await openConsent(down);
    expect(consent.status).toBe(200);
    const r = await submitConsent(down, consent, { method: "oidc" });
    expect(r.status).toBe(502);
    expect(await r.text()).toContain("IDP_UNAVAILABLE");
    // The issuer must be exactly the provider's: a trailing path names another issuer.
    const misnamed = workerWith(oidcVars({ OIDC_ISSUER: `${idp.issuer}/tenant` }));
    const c2 = await openConsent(misnamed);
    const r2 = await submitConsent(misnamed, c2, { method: "oidc" });
    expect(r2.status).toBe(502);
  });
});
