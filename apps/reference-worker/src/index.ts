/**
 * The Toolpacks reference Worker: the packs at `/mcp/<pack>`, code mode at `/mcp`, OAuth 2.1 in
 * front of both, a run inspector at `/inspector`.
 */
import { apiHandler } from "./api.js";
import { appHandler } from "./app.js";
import { providerFor } from "./auth/provider.js";
import type { Env } from "./env.js";

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    return providerFor(request, env, { api: apiHandler, app: appHandler }).fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Env>;
