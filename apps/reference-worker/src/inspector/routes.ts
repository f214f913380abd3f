/**
 * `/inspector`: recent runs, each with its program, a timeline of tool calls with governance's
 * decisions and durations, and tokens against classic calling; approvers decide the pending calls
 * of suspended runs, which then resume (decide.ts).
 * Sign-in: the identity provider, Cloudflare Access, or a demo user (see session.ts); non-admins
 * see only their own runs.
 */
import { inspectorProvider, startInspectorLogin } from "../auth/inspector-sign-in.js";
import { signIn } from "../auth/users.js";
import type { Env } from "../env.js";
import { mayApprove } from "../gateway/policy.js";
import { esc, page } from "../html.js";
import { runObject } from "../runs/run-object-store.js";
import { ensureAppTables } from "../runs/schema.js";
import { csrfToken } from "./csrf.js";
import { handleDecide } from "./decide.js";
import { isDurableRun, pendingApprovals, recentRuns, runDetail } from "./queries.js";
import { sessionCookie, sessionUser } from "./session.js";
import { listView, loginView, runView } from "./views.js";

export async function handleInspector(request: Request, env: Env, _ctx: ExecutionContext): Promise<Response> {
  await ensureAppTables(env.DB);
  const { pathname } = new URL(request.url);
  if (pathname === "/inspector/login" && request.method === "POST") {
    const form = await request.formData();
    const user = signIn(env, form.get("user"), form.get("password"));
    if (!user) return page("Sign-in failed", `<h1>Sign-in failed</h1>${loginView()}`, { status: 401 });
    return new Response(null, {
      status: 303,
      headers: { location: "/inspector", "set-cookie": await sessionCookie(env, user) },
    });
  }
  if (pathname === "/inspector/login/oidc" && request.method === "GET")
    return startInspectorLogin(request, env);
  const user = await sessionUser(request, env);
  if (!user) {
    const idp = inspectorProvider(env);
    const viaIdp = idp ? `<p><a href="/inspector/login/oidc">Sign in with ${esc(idp)}</a></p>` : "";
    return page(
      "Run inspector",
      `${viaIdp}${env.DEMO_USERS === "on" ? loginView() : idp ? "" : "<h1>Run inspector</h1><p>No sign-in method is configured for the inspector (OIDC_ISSUER with SESSION_SECRET, or Cloudflare Access).</p>"}`,
    );
  }
  const decide = /^\/inspector\/runs\/([0-9a-zA-Z-]{1,64})\/decide$/.exec(pathname);
  if (decide?.[1] && request.method === "POST") return handleDecide(request, env, user, decide[1]);
  const run = /^\/inspector\/runs\/([0-9a-zA-Z-]{1,64})$/.exec(pathname);
  if (run?.[1]) {
    const { run: detail, audit } = await runDetail(env.DB, run[1]);
    if (!detail || (user.role !== "admin" && detail.principal !== user.id)) {
      return page("Not found", "<h1>No such run</h1>", { status: 404 });
    }
    const durable = (await isDurableRun(env.DB, detail.run_id))
      ? {
          view: await runObject(env, detail.run_id).view(),
          canDecide: mayApprove(user.role),
          csrf: (await csrfToken(request, env, user)) ?? "",
        }
      : undefined;
    return page(`Run ${detail.run_id}`, runView(detail, audit, durable));
  }
  if (pathname !== "/inspector") return page("Not found", "<h1>Not found</h1>", { status: 404 });
  const runs = await recentRuns(env.DB, user.role === "admin" ? undefined : user.id);
  const approvals = await pendingApprovals(env.DB, mayApprove(user.role) ? undefined : user.id);
  return page("Run inspector", listView(user, runs, approvals, (await csrfToken(request, env, user)) ?? ""));
}
