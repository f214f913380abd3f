/**
 * `POST /agent/chat` `{ "message": "..." }` with the OAuth bearer token: an agent whose only
 * tool is code mode (`execute`), for the token's user and role. The token is checked by the
 * OAuth provider (`unwrapToken`) on the host; the model sees tool declarations and results only,
 * and its programs run in Worker Loader isolates like any other run (governed, audited, recorded).
 */
import { codeModeTool } from "@toolpacks/runtime/ai";
import { generateText, stepCountIs } from "ai";
import { z } from "zod";
import { readAuthProps } from "../auth/props.js";
import type { Env } from "../env.js";
import { openCodeMode } from "../gateway/code-mode.js";
import { agentModel } from "./model.js";

const Body = z.object({ message: z.string().min(1).max(4000) });

const SYSTEM = `You are an operations assistant for a company's CRM, ERP, warehouse and billing systems.
Answer by writing one program for the execute tool that gathers everything you need, then answer briefly from its result.`;

export async function handleAgentChat(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
  if (request.method !== "POST")
    return Response.json({ error: "POST a JSON body { message }" }, { status: 405 });
  const token = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
  const summary = token ? await env.OAUTH_PROVIDER.unwrapToken(token) : null;
  const auth = readAuthProps(summary?.grant?.props);
  if (!summary || !auth || (summary.expiresAt ?? 0) * 1000 < Date.now()) {
    return Response.json(
      { error: "sign in first: send an OAuth access token as Authorization: Bearer" },
      { status: 401, headers: { "www-authenticate": "Bearer" } },
    );
  }
  const body = Body.safeParse(await request.json().catch(() => null));
  if (!body.success)
    return Response.json({ error: "the body must be JSON { message: string }" }, { status: 400 });
  const { codeMode } = await openCodeMode(env, ctx, auth, "agent", { origin: new URL(request.url).origin });
  const result = await generateText({
    model: agentModel(env),
    system: SYSTEM,
    prompt: body.data.message,
    tools: { execute: codeModeTool(codeMode, { meta: { "toolpacks.dev/principal": auth.user } }) },
    stopWhen: stepCountIs(6),
  });
  const runs = result.steps.flatMap((s) =>
    s.toolResults.map((r) => (r.output as { run_id?: string })?.run_id ?? null),
  );
  return Response.json({ text: result.text, runs, steps: result.steps.length });
}
