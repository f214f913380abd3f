import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { describe, expect, it } from "vitest";
import { ORIGIN } from "./helpers/oauth.js";
import { CookieJar, openConsent, redeem, submitConsent, workerWith } from "./helpers/oidc.js";

type ToolText = { content: Array<{ type: string; text: string }> };

// Worker secrets as `wrangler secret put` sets them: plain env strings beside the bindings.
const SECRETS = {
  OIDC_CLIENT_SECRET: "oidc-secret-5b1e0c7d9a",
  HUBSPOT_ACCESS_TOKEN: "pat-na1-3c9e7f10-secret",
  STRIPE_API_KEY: "sk_live_51Secret0000",
};

// Everything a program can reach for: globals, `env`, `process.env`, `this` (`import()`, the
// way to `cloudflare:workers`, is refused before a program runs).
const PROBE = `
const seen = {};
const grab = (name, f) => { try { seen[name] = f(); } catch (e) { seen[name] = "threw: " + String(e); } };
grab("globals", () => Object.getOwnPropertyNames(globalThis));
grab("env", () => typeof env === "undefined" ? "undefined" : env);
grab("process", () => typeof process === "undefined" ? "undefined" : process.env);
grab("this", () => this === undefined ? "undefined" : Object.keys(this));
const values = [];
for (const k of Object.getOwnPropertyNames(globalThis)) {
  try { const v = globalThis[k]; if (v && typeof v === "object") values.push(k + "=" + JSON.stringify(v).slice(0, 2000)); } catch {}
}
seen.values = values;
console.log(JSON.stringify(seen));
return seen;
`;

describe("Worker secrets stay on the host", () => {
  const worker = workerWith({ ...SECRETS, DEMO_USERS: "on" });

  it("are not visible to a program, to its logs or result, nor on the inspector", async () => {
    const consent = await openConsent(worker);
    const done = await submitConsent(worker, consent, { method: "demo", user: "ada", password: "demo" });
    const token = await redeem(
      worker,
      done.headers.get("location") ?? "",
      consent.clientId,
      consent.verifier,
    );
    const client = new Client({ name: "vitest", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL("/mcp", ORIGIN), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
        fetch: (input, init) => worker(String(input instanceof Request ? input.url : input), init),
      }),
    );
    const answer = (await client.callTool({ name: "execute", arguments: { code: PROBE } })) as ToolText;
    await client.close();
    const text = answer.content.map((c) => c.text).join("\n");
    const run = JSON.parse(answer.content[0]?.text ?? "{}") as {
      ok: boolean;
      run_id: string;
      result: unknown;
    };
    expect(run.ok, text).toBe(true);
    // The probe really looked (it listed the globals), and found none of the secrets.
    expect(JSON.stringify(run.result)).toContain("globals");
    for (const [name, value] of Object.entries(SECRETS)) {
      expect(text).not.toContain(value);
      expect(text).not.toContain(name);
    }

    const jar = new CookieJar();
    const login = await worker("/inspector/login", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ user: "ada", password: "demo" }),
      redirect: "manual",
    });
    jar.take(login);
    const page = await worker(`/inspector/runs/${run.run_id}`, { headers: { cookie: jar.header() } });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain("globalThis");
    for (const value of Object.values(SECRETS)) expect(html).not.toContain(value);
  });
});
