/**
 * `/agent/chat` with the OAuth bearer token: the signed-in user's chat agent (`ChatAgent`, a
 * Durable Object per user, chat-agent.ts), whose only tool is code mode (`execute`) for the
 * token's user and role. `POST { "message": "..." }` answers a message; `GET` returns the chat's
 * state (conversation, runs waiting for approval), settling runs an approver decided meanwhile.
 * The token is checked by the OAuth provider (`unwrapToken`) on the host; the model sees tool
 * declarations and results only, and its programs run in Worker Loader isolates like any other
 * run (governed, audited, recorded).
 */
import { getAgentByName } from "agents";
import { z } from "zod";
import { type AuthProps, readAuthProps } from "../auth/props.js";
import { publicOrigin } from "../auth/provider.js";
import type { Env } from "../env.js";
import { chatName } from "./chat-agent.js";

const Body = z.object({ message: z.string().min(1).max(4000) });

async function signedIn(request: Request, env: Env): Promise<AuthProps | undefined> {
  const token = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
  const summary = token ? await env.OAUTH_PROVIDER.unwrapToken(token).catch(() => null) : null;
  const auth = readAuthProps(summary?.grant?.props);
  if (!summary || !auth || (summary.expiresAt ?? 0) * 1000 < Date.now()) return undefined;
  return auth;
}

export async function handleAgentChat(request: Request, env: Env, _ctx: ExecutionContext): Promise<Response> {
  if (request.method !== "POST" && request.method !== "GET")
    return Response.json({ error: "POST a JSON body { message }, or GET the chat's state" }, { status: 405 });
  const auth = await signedIn(request, env);
  if (!auth) {
    return Response.json(
      { error: "sign in first: send an OAuth access token as Authorization: Bearer" },
      { status: 401, headers: { "www-authenticate": "Bearer" } },
    );
  }
  const agent = await getAgentByName(env.CHAT_AGENT, chatName(auth));
  if (request.method === "GET") return Response.json(await agent.settle());
  const body = Body.safeParse(await request.json().catch(() => null));
  if (!body.success)
    return Response.json({ error: "the body must be JSON { message: string }" }, { status: 400 });
  return Response.json(await agent.chat(auth, body.data.message, publicOrigin(request, env)));
}
