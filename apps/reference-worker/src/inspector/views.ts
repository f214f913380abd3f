/** HTML of the inspector: the run list, one run's program and call timeline, pending approvals. */

import type { DemoUser } from "../auth/users.js";
import { mayApprove } from "../gateway/policy.js";
import { esc } from "../html.js";
import type { RunView } from "../runs/run-object.js";
import type { ApprovalRow, AuditRow, RunDetail, RunSummary } from "./queries.js";

export function loginView(): string {
  return `<h1>Run inspector</h1><form method="post" action="/inspector/login">
<label>User <select name="user"><option value="ada">ada (admin)</option><option value="oscar">oscar (operator)</option><option value="ana">ana (analyst)</option></select></label>
<label>Password <input type="password" name="password"></label><button type="submit">Sign in</button></form>`;
}

function saved(r: Pick<RunSummary, "code_mode_tokens" | "classic_tokens">): string {
  if (r.classic_tokens <= 0) return "—";
  const pct = Math.round((1 - r.code_mode_tokens / r.classic_tokens) * 100);
  return `${r.code_mode_tokens} vs ${r.classic_tokens} (${pct >= 0 ? `${pct}% saved` : `${-pct}% more`})`;
}

/** A form deciding `runId`'s call at `position` (or its whole pending batch) with `decision`. */
function decideForm(runId: string, csrf: string, position?: number): string {
  // Without a token no decision would pass the CSRF check (csrf.ts); say what to configure.
  if (!csrf)
    return '<span class="bad">Deciding here needs a SESSION_SECRET or CONTINUATION_KEYS secret to sign the form.</span>';
  const pos = position === undefined ? "" : `<input type="hidden" name="position" value="${position}">`;
  const what = position === undefined ? " all" : "";
  return `<form method="post" action="/inspector/runs/${esc(runId)}/decide" class="decide"><input type="hidden" name="csrf" value="${esc(csrf)}">${pos}<button name="decision" value="approve">Approve${what}</button> <button name="decision" value="reject">Reject${what}</button></form>`;
}

export function listView(user: DemoUser, runs: RunSummary[], approvals: ApprovalRow[], csrf: string): string {
  const rows = runs
    .map((r) => {
      const calls = (JSON.parse(r.calls) as unknown[]).length;
      const outcome = r.ok
        ? "ok"
        : r.error_code === "APPROVAL_PENDING"
          ? "waiting for approval"
          : r.error_code;
      return `<tr data-run="${esc(r.run_id)}"><td><a href="/inspector/runs/${esc(r.run_id)}">${esc(r.ts)}</a></td><td>${esc(r.principal)} (${esc(r.role)})</td>
<td class="${r.ok ? "ok" : "bad"}">${esc(outcome)}</td><td>${calls}</td><td>${Math.round(r.wall_ms)} ms</td><td>${saved(r)}</td></tr>`;
    })
    .join("");
  const decides = mayApprove(user.role);
  const pending = approvals
    .map(
      (
        a,
      ) => `<tr data-run="${esc(a.run_id)}" data-position="${a.position}"><td>${esc(a.ts)}</td><td>${esc(a.principal)}</td><td><a href="/inspector/runs/${esc(a.run_id)}">#${a.position}</a> <code>${esc(a.tool)}</code></td><td><code>${esc(a.args)}</code></td>
<td>${decides ? decideForm(a.run_id, csrf, a.position) : "waiting for an approver"}</td></tr>`,
    )
    .join("");
  return `<h1>Run inspector</h1><p class="muted">Signed in as ${esc(user.name)}. ${user.role === "admin" ? "All runs." : "Your runs."}</p>
${approvals.length ? `<h2>Calls waiting for approval</h2><table id="approvals"><tr><th>when</th><th>who</th><th>call</th><th>arguments</th><th></th></tr>${pending}</table>` : ""}
<h2>Recent runs</h2><table id="runs"><tr><th>when</th><th>who</th><th>outcome</th><th>calls</th><th>wall</th><th>tokens: code mode vs classic</th></tr>${rows || '<tr><td colspan="6">No runs yet.</td></tr>'}</table>`;
}

/** The durable part of a run page: its pending batch with the approver's forms, or its decisions. */
function durableView(
  runId: string,
  durable: { view: RunView | null; canDecide: boolean; csrf: string },
): string {
  const v = durable.view;
  if (!v) return "";
  if (v.status === "refused")
    return `<h2>Approval</h2><p id="approval" class="bad">The run's continuation was refused (${esc(v.code)}): ${esc(v.message)}</p>`;
  const decided = Object.entries(v.decisions)
    .map(
      ([position, d]) =>
        `<li>#${esc(position)} <code>${esc(d.name)}</code>: <span class="${d.approved ? "ok" : "bad"}">${d.approved ? "approved" : "rejected"}</span> by ${esc(d.by ?? "?")}${d.reason ? ` (${esc(d.reason)})` : ""}</li>`,
    )
    .join("");
  const counters = v.counters
    ? `<p class="muted" id="counters">${v.counters.answered} calls answered, ${v.counters.suspensions} suspension(s), ${v.counters.approved} approved, ${v.counters.rejected} rejected.</p>`
    : "";
  if (v.status === "finished" || v.pending.length === 0)
    return `<h2>Approval</h2><div id="approval"><p>Resumed and finished.</p><ul>${decided}</ul></div>`;
  const pending = v.pending
    .filter((p) => !(String(p.position) in v.decisions))
    .map(
      (
        p,
      ) => `<tr class="pending" data-position="${p.position}"><td>#${p.position}</td><td><code>${esc(p.name)}</code></td><td><code>${esc(JSON.stringify(p.args))}</code></td><td>${esc(p.reason ?? "")}</td>
<td>${durable.canDecide ? decideForm(runId, durable.csrf, p.position) : "waiting for an approver"}</td></tr>`,
    )
    .join("");
  return `<h2>Approval</h2><div id="approval"><p class="bad">Suspended: the run waits for a decision on these calls (nothing pending was sent). Once every one is decided it resumes here.</p>
<table id="pending"><tr><th>#</th><th>call</th><th>arguments</th><th>why</th><th></th></tr>${pending}</table>
${durable.canDecide && v.pending.length > 1 ? decideForm(runId, durable.csrf) : ""}${decided ? `<ul>${decided}</ul>` : ""}${counters}</div>`;
}

export function runView(
  run: RunDetail,
  audit: AuditRow[],
  durable?: { view: RunView | null; canDecide: boolean; csrf: string },
): string {
  const calls = JSON.parse(run.calls) as Array<{
    server: string;
    tool: string;
    ms: number;
    ok: boolean;
    bytesOut: number;
    error?: { code: string };
  }>;
  const longest = Math.max(1, ...calls.map((c) => c.ms));
  const timeline = calls
    .map((c, i) => {
      const a = audit[i];
      const width = Math.max(2, Math.round((c.ms / longest) * 240));
      return `<tr class="call"><td>${i}</td><td><code>${esc(c.server)}.${esc(c.tool)}</code></td><td>${esc(a?.kind ?? "")}</td><td>${esc(a?.decision ?? "")}</td>
<td class="${c.ok ? "ok" : "bad"}">${c.ok ? "ok" : esc(c.error?.code)}</td><td><span class="bar" style="width:${width}px"></span> ${Math.round(c.ms)} ms</td><td>${c.bytesOut} B</td></tr>`;
    })
    .join("");
  return `<p><a href="/inspector">← runs</a></p><h1>Run ${esc(run.run_id)}</h1>
<p>${esc(run.principal)} (${esc(run.role)}) via ${esc(run.surface)} at ${esc(run.ts)} — <span class="${run.ok ? "ok" : "bad"}">${run.ok ? "ok" : `${esc(run.error_code)}: ${esc(run.error_message)}`}</span>, ${Math.round(run.wall_ms)} ms</p>
<p id="tokens">Tokens, code mode vs classic one-tool-per-turn calling (estimated at 4 characters a token): ${saved(run)}</p>
${durable ? durableView(run.run_id, durable) : ""}
<h2>Program</h2><pre id="program">${esc(run.program)}</pre>
<h2>Tool calls</h2><table id="timeline"><tr><th>#</th><th>tool</th><th>kind</th><th>decision</th><th>outcome</th><th>duration</th><th>answer</th></tr>${timeline || '<tr><td colspan="7">No tool calls.</td></tr>'}</table>
<h2>Result</h2><pre id="result">${esc(run.result ?? "")}</pre>`;
}
