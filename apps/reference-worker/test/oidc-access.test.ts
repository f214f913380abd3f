import { env } from "cloudflare:test";
import { importJWK, type JWK, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { mcpClient } from "./helpers/oauth.js";
import { idp, oidcVars, openConsent, REDIRECT, redeem, submitConsent, workerWith } from "./helpers/oidc.js";

type ToolText = { content: Array<{ type: string; text: string }> };

const AUD = "4714c1358e65fe4b408ad6d432a5f878f08194bdb4752441fd56faefa9b2b6f2";

/** An Access assertion as Cloudflare Access signs it (RS256, the team's key), with `overrides`. */
async function assertion(
  claims: Record<string, unknown>,
  opts: { aud?: string; iss?: string; expiresIn?: string; jwk?: JWK } = {},
): Promise<string> {
  const jwk = opts.jwk ?? idp.accessPrivateJwk;
  const key = await importJWK(jwk, "RS256");
  return new SignJWT({ type: "app", ...claims })
    .setProtectedHeader({ alg: "RS256", kid: jwk.kid ?? "access-1" })
    .setIssuer(opts.iss ?? idp.issuer)
    .setAudience(opts.aud ?? AUD)
    .setSubject("7335d417-61da-459d-899c-0a01c76a2f94")
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? "5m")
    .sign(key);
}

const accessVars = {
  ACCESS_TEAM_DOMAIN: idp.issuer,
  ACCESS_AUD: AUD,
  ROLE_MAP: JSON.stringify({
    "custom.groups": { "tp-admins": "admin" },
    email: { "ana@corp.example": "analyst" },
  }),
  DEMO_USERS: "off",
};

async function roleOf(token: string): Promise<{ principal: string; role: string }> {
  const client = await mcpClient("/mcp", token);
  try {
    const r = (await client.callTool({ name: "execute", arguments: { code: "return 1;" } })) as ToolText;
    const run = JSON.parse(r.content[0]?.text ?? "{}") as { run_id: string };
    const row = await env.DB.prepare("SELECT principal, role FROM app_runs WHERE run_id = ?")
      .bind(run.run_id)
      .first<{ principal: string; role: string }>();
    return row ?? { principal: "", role: "" };
  } finally {
    await client.close();
  }
}

describe("sign-in through Cloudflare Access", () => {
  const worker = workerWith(accessVars);

  it("verifies the Cf-Access-Jwt-Assertion against the team's certs and maps its claims to a role", async () => {
    const jwt = await assertion({ email: "root@corp.example", custom: { groups: ["tp-admins"] } });
    const consent = await openConsent(worker, { "cf-access-jwt-assertion": jwt });
    expect(consent.status).toBe(200);
    expect(consent.html).toContain("Continue as root@corp.example (admin, Cloudflare Access)");
    expect(consent.html).not.toContain("Demo user");
    const done = await submitConsent(
      worker,
      consent,
      { method: "access" },
      { "cf-access-jwt-assertion": jwt },
    );
    expect(done.status).toBe(302);
    const location = done.headers.get("location") ?? "";
    expect(location.startsWith(REDIRECT)).toBe(true);
    const token = await redeem(worker, location, consent.clientId, consent.verifier);
    expect(await roleOf(token)).toEqual({ principal: "root@corp.example", role: "admin" });
  });

  it.each([
    ["no assertion", async () => undefined, /no Cf-Access-Jwt-Assertion/],
    [
      "another application's audience",
      () => assertion({ email: "ana@corp.example" }, { aud: "other-app" }),
      /audience/,
    ],
    [
      "another team's issuer",
      () => assertion({ email: "ana@corp.example" }, { iss: "https://evil.cloudflareaccess.com" }),
      /issuer/,
    ],
    [
      "an expired assertion",
      () => assertion({ email: "ana@corp.example" }, { expiresIn: "-10m" }),
      /expired/,
    ],
  ])("refuses %s", async (_name, make, why) => {
    const jwt = await make();
    const headers: Record<string, string> = jwt ? { "cf-access-jwt-assertion": jwt } : {};
    const consent = await openConsent(worker, headers);
    expect(consent.status).toBe(401);
    expect(consent.html).toContain("ACCESS_ASSERTION_INVALID");
    expect(consent.html).toMatch(why);
    expect(consent.handle).toBeUndefined();
  });

  it("refuses an assertion signed by a key outside the team's certs, even with the right kid", async () => {
    const { generateKeyPair, exportJWK } = await import("jose");
    const rogue = await generateKeyPair("RS256", { extractable: true });
    const jwk = { ...(await exportJWK(rogue.privateKey)), kid: "access-1" };
    const jwt = await assertion({ email: "ana@corp.example" }, { jwk });
    const consent = await openConsent(worker, { "cf-access-jwt-assertion": jwt });
    expect(consent.status).toBe(401);
    expect(consent.html).toMatch(/signature/);
  });

  it("re-verifies the assertion on the consent POST itself", async () => {
    const good = await assertion({ email: "ana@corp.example" });
    const consent = await openConsent(worker, { "cf-access-jwt-assertion": good });
    expect(consent.html).toContain("(analyst, Cloudflare Access)");
    const forged = `${good.slice(0, -4)}AAAA`;
    const r = await submitConsent(
      worker,
      consent,
      { method: "access" },
      { "cf-access-jwt-assertion": forged },
    );
    expect(r.status).toBe(401);
    expect(await r.text()).toContain("ACCESS_ASSERTION_INVALID");
  });

  it("refuses an Access user no rule maps, naming them", async () => {
    const jwt = await assertion({ email: "guest@corp.example", custom: { groups: ["visitors"] } });
    const consent = await openConsent(worker, { "cf-access-jwt-assertion": jwt });
    expect(consent.status).toBe(403);
    expect(consent.html).toContain("NO_ROLE");
    expect(consent.html).toContain("guest@corp.example");
  });
});

describe("demo users and configuration", () => {
  it("offers and accepts demo users only when DEMO_USERS=on", async () => {
    const off = workerWith(oidcVars({ DEMO_USERS: "off" }));
    const consent = await openConsent(off);
    expect(consent.status).toBe(200);
    expect(consent.html).toContain("Sign in with Test IdP");
    expect(consent.html).not.toContain("Demo user");
    const r = await submitConsent(off, consent, { method: "demo", user: "ada", password: "demo" });
    expect(r.status).toBe(401);
    expect(await r.text()).toContain("DEMO_SIGN_IN_FAILED");
    // The inspector's demo login is off too.
    const inspector = await off("/inspector/login", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ user: "ada", password: "demo" }),
      redirect: "manual",
    });
    expect(inspector.status).toBe(401);
    expect(inspector.headers.get("set-cookie")).toBeNull();

    const on = workerWith({ DEMO_USERS: "on" });
    const demo = await openConsent(on);
    expect(demo.html).toContain("Demo user");
    const ok = await submitConsent(on, demo, { method: "demo", user: "ada", password: "demo" });
    expect(ok.status).toBe(302);
  });

  it.each([
    [{ DEMO_USERS: "off" }, 503, "NO_SIGN_IN_METHOD"],
    [{ DEMO_USERS: "yes" }, 503, "NO_SIGN_IN_METHOD"],
    [{ OIDC_ISSUER: "https://idp.example.com" }, 503, "AUTH_CONFIG_INVALID"],
    [{ OIDC_ISSUER: "http://idp.example.com", OIDC_CLIENT_ID: "x" }, 503, "AUTH_CONFIG_INVALID"],
    [{ ACCESS_AUD: "abc" }, 503, "AUTH_CONFIG_INVALID"],
    [{ DEMO_USERS: "on", ROLE_MAP: "{groups:" }, 503, "AUTH_CONFIG_INVALID"],
    [{ DEMO_USERS: "on", ROLE_MAP: '{"groups":{"x":"root"}}' }, 503, "AUTH_CONFIG_INVALID"],
  ])("refuses to sign anyone in under %j, saying what to fix", async (vars, status, code) => {
    const consent = await openConsent(workerWith(vars as Record<string, string>));
    expect(consent.status).toBe(status);
    expect(consent.html).toContain(code);
    expect(consent.handle).toBeUndefined();
  });
});
