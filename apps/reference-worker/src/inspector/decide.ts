/**
 * `POST /inspector/runs/<run>/decide`: an approver's decision on a suspended run's pending calls
 * (`decision=approve|reject`, one call with `position`, else the whole batch), from the run
 * page's forms. Refused unless the user's role may approve and the form is same-origin with the
 * CSRF token of the user's sign-in (session cookie or Cloudflare Access, see csrf.ts). The run's Durable Object records the decision and, when the batch is
 * fully decided, resumes the run; the approver lands on the run page with its result.
 */
import type { Env } from "../env.js";
import { mayApprove } from "../gateway/policy.js";
import { esc, page } from "../html.js";
import { runObject } from "../runs/run-object-store.js";
import { csrfRefusal } from "./csrf.js";
import type { SignedIn } from "./session.js";

export async function handleDecide(
  request: Request,
  env: Env,
  user: SignedIn,
  runId: string,
): Promise<Response> {
  if (!mayApprove(user.role))
    return page("Forbidden", "<h1>Only an approver decides pending calls</h1>", { status: 403 });
  const form = await request.formData().catch(() => undefined);
  const refused = await csrfRefusal(request, env, user, form?.get("csrf"));
  if (refused) return page("Refused", `<h1>Decision refused</h1><p>${esc(refused)}</p>`, { status: 403 });
  const decision = form?.get("decision");
  if (decision !== "approve" && decision !== "reject")
    return page("Bad request", "<h1>The decision must be approve or reject</h1>", { status: 400 });
  const approved = decision === "approve";
  const position = form?.get("position");
  let decisions: boolean | Record<string, boolean> = approved;
  if (typeof position === "string" && position !== "") {
    if (!/^\d{1,6}$/.test(position))
      return page("Bad request", "<h1>The call position must be a number</h1>", { status: 400 });
    decisions = { [position]: approved };
  }
  const answer = await runObject(env, runId).decide(decisions, user.id);
  if (answer.status === "refused") {
    return page(
      "Not decided",
      `<h1>Nothing was decided</h1><p class="bad">${esc(answer.code)}: ${esc(answer.message)}</p><p><a href="/inspector/runs/${esc(runId)}">Back to the run</a></p>`,
      { status: 409 },
    );
  }
  return new Response(null, { status: 303, headers: { location: `/inspector/runs/${runId}` } });
}
