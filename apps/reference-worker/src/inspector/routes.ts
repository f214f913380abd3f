/**
 * `/inspector`: recent runs, each with its program, a timeline of tool calls with governance's
 * decisions and durations, and tokens against classic calling; approvers decide the pending calls
 * of suspended runs, which then resume (decide.ts).
 * Sign-in is a demo user (see session.ts); non-admins see only their own runs.
 */
import { signIn } from "../auth/users.js";
import type { Env } from "../env.js";
import { mayApprove } from "../gateway/policy.js";
import { page } from "../html.js";
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
  const user = await sessionUser(request, env);
  if (!user) return page("Run inspector", loginView());
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
          csrf: (await csrfToken(request)) ?? "",
        }
      : undefined;
    return page(`Run ${detail.run_id}`, runView(detail, audit, durable));
  }
  if (pathname !== "/inspector") return page("Not found", "<h1>Not found</h1>", { status: 404 });
  const runs = await recentRuns(env.DB, user.role === "admin" ? undefined : user.id);
  const approvals = await pendingApprovals(env.DB, mayApprove(user.role) ? undefined : user.id);
  return page("Run inspector", listView(user, runs, approvals, (await csrfToken(request)) ?? ""));
}
