/** HTML of the inspector: the run list, one run's program and call timeline, approvals. */
import type { DemoUser } from "../auth/users.js";
import { esc } from "../html.js";
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

export function listView(user: DemoUser, runs: RunSummary[], approvals: ApprovalRow[]): string {
  const rows = runs
    .map((r) => {
      const calls = (JSON.parse(r.calls) as unknown[]).length;
      return `<tr data-run="${esc(r.run_id)}"><td><a href="/inspector/runs/${esc(r.run_id)}">${esc(r.ts)}</a></td><td>${esc(r.principal)} (${esc(r.role)})</td>
<td class="${r.ok ? "ok" : "bad"}">${r.ok ? "ok" : esc(r.error_code)}</td><td>${calls}</td><td>${Math.round(r.wall_ms)} ms</td><td>${saved(r)}</td></tr>`;
    })
    .join("");
  const pending = approvals
    .map(
      (
        a,
      ) => `<tr><td>${esc(a.ts)}</td><td>${esc(a.principal)}</td><td><code>${esc(a.tool)}</code></td><td><code>${esc(a.args)}</code></td>
<td>${
        user.role === "admin"
          ? `<form method="post" action="/inspector/approvals/${esc(a.id)}"><button name="decision" value="approve">Approve</button> <button name="decision" value="reject">Reject</button></form>`
          : "waiting for an admin"
      }</td></tr>`,
    )
    .join("");
  return `<h1>Run inspector</h1><p class="muted">Signed in as ${esc(user.name)}. ${user.role === "admin" ? "All runs." : "Your runs."}</p>
${approvals.length ? `<h2>Writes waiting for approval</h2><table id="approvals"><tr><th>when</th><th>who</th><th>tool</th><th>arguments</th><th></th></tr>${pending}</table>` : ""}
<h2>Recent runs</h2><table id="runs"><tr><th>when</th><th>who</th><th>outcome</th><th>calls</th><th>wall</th><th>tokens: code mode vs classic</th></tr>${rows || '<tr><td colspan="6">No runs yet.</td></tr>'}</table>`;
}

export function runView(run: RunDetail, audit: AuditRow[]): string {
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
<h2>Program</h2><pre id="program">${esc(run.program)}</pre>
<h2>Tool calls</h2><table id="timeline"><tr><th>#</th><th>tool</th><th>kind</th><th>decision</th><th>outcome</th><th>duration</th><th>answer</th></tr>${timeline || '<tr><td colspan="7">No tool calls.</td></tr>'}</table>
<h2>Result</h2><pre id="result">${esc(run.result ?? "")}</pre>`;
}
