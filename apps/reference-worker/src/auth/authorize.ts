/**
 * `/authorize`: the OAuth login and consent page. GET shows who is asking (client name, where
 * the code goes, scopes) and a sign-in form for a demo user; POST signs in, approves or denies
 * through the provider's consent helpers (single-use handle bound to this browser) and issues
 * the grant with `{ user, role }` as props. Nothing here ever reaches a sandbox.
 */
import type { Env } from "../env.js";
import { esc, page } from "../html.js";
import type { AuthProps } from "./props.js";
import { DEMO_USERS, signIn } from "./users.js";

/** Handles GET and POST `/authorize`. */
export async function handleAuthorize(request: Request, env: Env): Promise<Response> {
  const oauth = env.OAUTH_PROVIDER;
  if (request.method === "GET") {
    let authRequest: Awaited<ReturnType<typeof oauth.parseAuthRequest>>;
    try {
      authRequest = await oauth.parseAuthRequest(request);
    } catch (err) {
      return page(
        "Invalid request",
        `<h1>Invalid authorization request</h1><p>${esc((err as Error).message)}</p>`,
        { status: 400 },
      );
    }
    const consent = await oauth.describeConsent(authRequest);
    const { handle, headers } = await oauth.beginConsent(authRequest);
    return page("Sign in to Toolpacks", consentForm(consent, handle), { headers });
  }
  if (request.method !== "POST") return new Response("method not allowed", { status: 405 });
  const form = await request.clone().formData();
  const handle = String(form.get("handle") ?? "");
  if (form.get("action") === "deny") {
    const denied = await oauth.denyConsent(request, handle);
    return new Response(null, { status: 302, headers: denied.headers });
  }
  const user = signIn(env, form.get("user"), form.get("password"));
  if (!user) {
    return page(
      "Sign-in failed",
      `<h1>Sign-in failed</h1><p>Unknown user or wrong password. Go back and try again.</p>`,
      { status: 401 },
    );
  }
  const approved = await oauth.approveConsent(request, handle);
  const props: AuthProps = { user: user.id, role: user.role };
  const { redirectTo } = await oauth.completeAuthorization({
    request: approved.request,
    userId: user.id,
    metadata: { role: user.role },
    scope: approved.request.scope,
    props,
  });
  const headers = new Headers(approved.headers);
  headers.set("location", redirectTo);
  return new Response(null, { status: 302, headers });
}

function consentForm(
  consent: { clientName: string; redirectHost: string; redirectIsLoopback: boolean; scope: string[] },
  handle: string,
): string {
  const users = DEMO_USERS.map(
    (u, i) =>
      `<label><input type="radio" name="user" value="${esc(u.id)}"${i === 0 ? " checked" : ""}> ${esc(u.name)} <span class="muted">— ${esc(u.does)}</span></label>`,
  ).join("");
  return `<h1>Sign in to Toolpacks</h1>
<p><strong>${esc(consent.clientName)}</strong> wants to use the CRM, ERP, warehouse and billing tool packs as you.
The authorization code goes to <strong>${esc(consent.redirectHost)}</strong>${consent.redirectIsLoopback ? " (an app on this computer: any local program could be listening)" : ""}.</p>
<p class="muted">Scopes: ${esc(consent.scope.join(", ") || "(none)")}</p>
<form method="post" action="/authorize">
<input type="hidden" name="handle" value="${esc(handle)}">
<fieldset><legend>Demo user</legend>${users}</fieldset>
<label>Password <input type="password" name="password" autocomplete="current-password"></label>
<button type="submit" name="action" value="allow">Allow</button> <button type="submit" name="action" value="deny">Deny</button>
</form>`;
}
