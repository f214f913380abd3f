/**
 * The Toolpacks reference Worker: the packs at `/mcp/<pack>`, code mode at `/mcp`, OAuth 2.1 in
 * front of both, a run inspector at `/inspector`, one Durable Object per suspended run; a Cron
 * Trigger keeps synced packs current.
 */
import { apiHandler } from "./api.js";
import { appHandler } from "./app.js";
import { providerFor } from "./auth/provider.js";
import type { Env } from "./env.js";
import { scheduledSync } from "./sync/scheduled-sync.js";

export { ChatAgent } from "./agent/chat-agent.js";
export { RunObject } from "./runs/run-object.js";

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    return providerFor(request, env, { api: apiHandler, app: appHandler }).fetch(request, env, ctx);
  },
  /** The Cron Trigger (`triggers.crons` in wrangler.jsonc): syncs the configured systems of record. */
  async scheduled(_controller: ScheduledController, env: Env): Promise<void> {
    await scheduledSync(env);
  },
} satisfies ExportedHandler<Env>;
