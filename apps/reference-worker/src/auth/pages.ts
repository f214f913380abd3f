/** The sign-in pages: consent with the enabled sign-in methods, and a refusal that says why. */
import { esc, page } from "../html.js";
import type { AuthConfig } from "./config.js";
import type { SignInError } from "./errors.js";
import type { AuthProps } from "./props.js";
import { DEMO_USERS } from "./users.js";

export interface ConsentView {
  clientName: string;
  redirectHost: string;
  redirectIsLoopback: boolean;
  scope: string[];
}

/** A page explaining a refused sign-in; the error's code is shown for support. */
export function refusalPage(err: SignInError, headers?: HeadersInit): Response {
  const title = err.code === "NO_ROLE" ? "No access to Toolpacks" : "Sign-in refused";
  return page(
    title,
    `<h1>${esc(title)}</h1><p>${esc(err.message)}</p><p class="muted">Reason code: <code>${esc(err.code)}</code></p>`,
    { status: err.status, ...(headers ? { headers } : {}) },
  );
}

/**
 * The consent page: who asks, where the code goes, and one button per enabled sign-in method
 * (the identity provider; Cloudflare Access when this request came through it; demo users only
 * when `DEMO_USERS=on`).
 */
export function consentPage(
  config: AuthConfig,
  consent: ConsentView,
  handle: string,
  access: AuthProps | undefined,
  headers: Headers,
): Response {
  const methods: string[] = [];
  if (config.oidc)
    methods.push(
      `<p><button type="submit" name="method" value="oidc">Sign in with ${esc(config.oidc.providerName)}</button></p>`,
    );
  if (access)
    methods.push(
      `<p><button type="submit" name="method" value="access">Continue as ${esc(access.user)} (${esc(access.role)}, Cloudflare Access)</button></p>`,
    );
  if (config.demo) {
    const users = DEMO_USERS.map(
      (u, i) =>
        `<label><input type="radio" name="user" value="${esc(u.id)}"${i === 0 ? " checked" : ""}> ${esc(u.name)} <span class="muted">— ${esc(u.does)}</span></label>`,
    ).join("");
    methods.push(`<fieldset><legend>Demo user (local development)</legend>${users}
<label>Password <input type="password" name="password" autocomplete="current-password"></label>
<button type="submit" name="method" value="demo">Sign in as demo user</button></fieldset>`);
  }
  return page(
    "Sign in to Toolpacks",
    `<h1>Sign in to Toolpacks</h1>
<p><strong>${esc(consent.clientName)}</strong> wants to use the CRM, ERP, warehouse and billing tool packs as you.
The authorization code goes to <strong>${esc(consent.redirectHost)}</strong>${consent.redirectIsLoopback ? " (an app on this computer: any local program could be listening)" : ""}.</p>
<p class="muted">Scopes: ${esc(consent.scope.join(", ") || "(none)")}</p>
<form method="post" action="/authorize">
<input type="hidden" name="handle" value="${esc(handle)}">
<input type="hidden" name="action" value="allow">
${methods.join("\n")}
</form>
<form method="post" action="/authorize"><input type="hidden" name="handle" value="${esc(handle)}"><button type="submit" name="action" value="deny">Deny</button></form>`,
    { headers },
  );
}
