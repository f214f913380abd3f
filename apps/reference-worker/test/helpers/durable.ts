/** Helpers for durable-run tests: an operator's suspended run, the inspector's decision form. */
import { env } from "cloudflare:test";
import { expect } from "vitest";
import { mcpClient, ORIGIN, signInAs, worker } from "./oauth.js";

type ToolText = { content: Array<{ type: string; text: string }> };

/** What `execute` answers (the model form). */
export interface ExecuteAnswer {
  ok: boolean;
  run_id: string;
  result?: unknown;
  error: { code: string; message: string };
  tool_calls: number;
}

/** `execute` through `/mcp` as `user`; the parsed answer. */
export async function execute(user: "ana" | "oscar" | "ada", code: string): Promise<ExecuteAnswer> {
  const client = await mcpClient("/mcp", await signInAs(user));
  try {
    const r = (await client.callTool({ name: "execute", arguments: { code } })) as ToolText;
    return JSON.parse(r.content[0]?.text ?? "{}");
  } finally {
    await client.close();
  }
}

/** The inspector session cookie of a demo user. */
export async function inspectorCookie(user: "ana" | "oscar" | "ada"): Promise<string> {
  const r = await worker("/inspector/login", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ user, password: "demo" }),
    redirect: "manual",
  });
  expect(r.status).toBe(303);
  return (r.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
}

/** The run page's HTML and the CSRF token its forms carry. */
export async function runPage(runId: string, cookie: string): Promise<{ html: string; csrf: string }> {
  const html = await (await worker(`/inspector/runs/${runId}`, { headers: { cookie } })).text();
  return { html, csrf: /name="csrf" value="([0-9a-f]*)"/.exec(html)?.[1] ?? "" };
}

/** POSTs a decision the way the run page's form does. */
export function decide(
  runId: string,
  cookie: string,
  fields: Record<string, string>,
  headers: Record<string, string> = { origin: ORIGIN },
): Promise<Response> {
  return worker(`/inspector/runs/${runId}/decide`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie, ...headers },
    body: new URLSearchParams(fields),
    redirect: "manual",
  });
}

/** How many CRM activities carry `subject` (the writes that reached the pack). */
export async function activities(subject: string): Promise<number> {
  const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM crm_activities WHERE subject = ?")
    .bind(subject)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** A program whose one write needs an operator's approval, with a subject unique to the test. */
export function writeProgram(subject: string): string {
  return `const deals = await crm.pipeline_summary({});
const a = await crm.log_activity({ deal_id: "D-0000026", kind: "call", subject: ${JSON.stringify(subject)} });
return { logged: a, open: deals.totals.deals, at: Date.now() };`;
}
