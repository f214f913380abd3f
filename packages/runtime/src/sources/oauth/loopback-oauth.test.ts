import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createLoopbackOAuth, type LoopbackOAuthProvider } from "./loopback-oauth.js";
import { fileOAuthStore } from "./oauth-store.js";

let providers: LoopbackOAuthProvider[] = [];
afterEach(async () => {
  await Promise.all(providers.map((p) => p.close()));
  providers = [];
});

async function provider(options: Partial<Parameters<typeof createLoopbackOAuth>[0]> = {}) {
  const opened: URL[] = [];
  const p = await createLoopbackOAuth({
    serverUrl: "https://mcp.example/mcp",
    open: (u) => void opened.push(u),
    ...options,
  });
  providers.push(p);
  return { p, opened };
}

/** What the authorization server's redirect would bring back to the loopback address. */
const redirect = (p: LoopbackOAuthProvider, query: Record<string, string>) =>
  fetch(`${String(p.redirectUrl)}?${new URLSearchParams(query)}`);

describe("the loopback sign-in", () => {
  it("takes the redirect only with the state it issued: a forged one changes nothing", async () => {
    const { p } = await provider();
    expect(String(p.redirectUrl)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const state = await p.state?.();
    await p.redirectToAuthorization(new URL("https://as.example/authorize"));
    const waiting = p.authorizationResponse();
    const forged = await redirect(p, { code: "attacker-code", state: "not-the-state" });
    expect(forged.status).toBe(400);
    const real = await redirect(p, { code: "good-code", state: state as string, iss: "https://as.example" });
    expect(real.status).toBe(200);
    const got = await waiting;
    expect(got.get("code")).toBe("good-code");
    expect(got.get("iss")).toBe("https://as.example");
    // A state is good once: replaying the same redirect is refused.
    expect((await redirect(p, { code: "again", state: state as string })).status).toBe(400);
  });

  it("reports a refusal by its error code, never the server's description", async () => {
    const { p } = await provider();
    const state = await p.state?.();
    await p.redirectToAuthorization(new URL("https://as.example/authorize"));
    const waiting = p.authorizationResponse().catch((e: unknown) => e);
    await redirect(p, {
      error: "access_denied",
      error_description: "<script>visit evil.example</script>",
      state: state as string,
    });
    const refused = await waiting;
    expect(refused).toMatchObject({ code: "OAUTH_DENIED" });
    expect((refused as Error).message).toContain("access_denied");
    expect((refused as Error).message).not.toContain("evil");
  });

  it("gives up after its time with OAUTH_TIMEOUT", async () => {
    const { p } = await provider({ timeoutMs: 50 });
    await p.state?.();
    await p.redirectToAuthorization(new URL("https://as.example/authorize"));
    await expect(p.authorizationResponse()).rejects.toMatchObject({ code: "OAUTH_TIMEOUT" });
  });

  it("keeps tokens in the store for the next process, and registers again for another loopback port", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "tp-oauth-")), "state");
    const first = (await provider({ store: fileOAuthStore(dir) })).p;
    const ctx = { issuer: "https://as.example" };
    await first.saveClientInformation?.(
      { client_id: "c1", redirect_uris: [String(first.redirectUrl)] } as never,
      ctx,
    );
    await first.saveTokens({ access_token: "a1", token_type: "Bearer", refresh_token: "r1" }, ctx);
    const second = (await provider({ store: fileOAuthStore(dir) })).p;
    expect(await second.tokens()).toMatchObject({ access_token: "a1", refresh_token: "r1" });
    expect(await second.tokens(ctx)).toMatchObject({ access_token: "a1" });
    // Registered for the first process's port: the second listens elsewhere, so it registers anew.
    expect(await second.clientInformation(ctx)).toBeUndefined();
    expect(await first.clientInformation(ctx)).toMatchObject({ client_id: "c1" });
    await second.invalidateCredentials?.("tokens");
    expect(await first.tokens(ctx)).toBeUndefined();
  });
});
