import { importJWK, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { CookieJar, idp, loginAtIdp, oidcVars, workerWith } from "./helpers/oidc.js";

const SESSION_SECRET = "inspector-session-secret-0123456789abcdef";

/** Signs in to the inspector through the provider as `user`; returns the callback's answer and the jar. */
async function inspectorLogin(
  worker: ReturnType<typeof workerWith>,
  user: { email: string; groups: string[]; tamper?: string },
): Promise<{ callback: Response; callbackUrl: string; jar: CookieJar; loginCookie: string }> {
  const jar = new CookieJar();
  const start = await worker("/inspector/login/oidc", { redirect: "manual" });
  expect(start.status).toBe(302);
  jar.take(start);
  const loginCookie = jar.header();
  const callbackUrl = await loginAtIdp(start.headers.get("location") ?? "", user);
  const callback = await worker(callbackUrl, { headers: { cookie: jar.header() }, redirect: "manual" });
  jar.take(callback);
  return { callback, callbackUrl, jar, loginCookie };
}

describe("inspector sign-in without demo users", () => {
  const worker = workerWith(oidcVars({ SESSION_SECRET }));

  it("signs an admin in through the provider and shows who they are", async () => {
    const first = await worker("/inspector");
    const html = await first.text();
    expect(html).toContain('href="/inspector/login/oidc"');
    expect(html).not.toContain('name="password"');
    const { callback, jar } = await inspectorLogin(worker, {
      email: "root@example.com",
      groups: ["tp-admins"],
    });
    expect(callback.status).toBe(303);
    expect(callback.headers.get("location")).toBe("/inspector");
    const signedIn = await (await worker("/inspector", { headers: { cookie: jar.header() } })).text();
    expect(signedIn).toContain("Signed in as root@example.com (admin)");
  });

  it("refuses a replayed callback, an unmapped user, a forged session and a tampered ID token", async () => {
    const ok = await inspectorLogin(worker, { email: "ops@example.com", groups: ["tp-operators"] });
    expect(ok.callback.status).toBe(303);
    const replay = await worker(ok.callbackUrl, { headers: { cookie: ok.loginCookie }, redirect: "manual" });
    expect(replay.status).toBe(401);
    expect(await replay.text()).toContain("STATE_INVALID");

    const stranger = await inspectorLogin(worker, { email: "x@example.com", groups: ["marketing"] });
    expect(stranger.callback.status).toBe(403);
    expect(stranger.callback.headers.getSetCookie().join(";")).not.toContain("tp_inspector=");

    const tampered = await inspectorLogin(worker, {
      email: "m@example.com",
      groups: ["tp-admins"],
      tamper: "aud",
    });
    expect(tampered.callback.status).toBe(401);
    expect(await tampered.callback.text()).toContain("ID_TOKEN_INVALID");

    // A session cookie for another role, signed with another key, opens nothing.
    const forged = ok.jar.header().replace(/tp_inspector=([^.;]+)\.[^;]+/, (_m, body: string) => {
      const json = JSON.parse(atob(body.replaceAll("-", "+").replaceAll("_", "/"))) as Record<
        string,
        unknown
      >;
      const other = btoa(JSON.stringify({ ...json, role: "admin" })).replaceAll("=", "");
      return `tp_inspector=${other}.AAAA`;
    });
    const page = await (await worker("/inspector", { headers: { cookie: forged } })).text();
    expect(page).not.toContain("Signed in as");
    const own = await (await worker("/inspector", { headers: { cookie: ok.jar.header() } })).text();
    expect(own).toContain("Signed in as ops@example.com (operator)");
  });

  it("takes the person from a verified Cloudflare Access assertion on each request", async () => {
    const aud = "inspector-aud-tag";
    const access = workerWith({
      ACCESS_TEAM_DOMAIN: idp.issuer,
      ACCESS_AUD: aud,
      ROLE_MAP: JSON.stringify({ email: { "boss@corp.example": "admin" } }),
      DEMO_USERS: "off",
    });
    const sign = async (audience: string) =>
      new SignJWT({ email: "boss@corp.example" })
        .setProtectedHeader({ alg: "RS256", kid: "access-1" })
        .setIssuer(idp.issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime("5m")
        .sign(await importJWK(idp.accessPrivateJwk, "RS256"));
    const good = await access("/inspector", { headers: { "cf-access-jwt-assertion": await sign(aud) } });
    expect(await good.text()).toContain("Signed in as boss@corp.example (admin)");
    const wrong = await access("/inspector", { headers: { "cf-access-jwt-assertion": await sign("other") } });
    expect(await wrong.text()).not.toContain("Signed in as");
  });
});
