/**
 * The Worker's bindings and variables (wrangler.jsonc). Secrets and the OAuth KV stay on the
 * host: nothing here is ever passed to a program's sandbox, which gets no bindings at all.
 */
import type { OAuthHelpers } from "@cloudflare/workers-oauth-provider";
import type { AuthEnv } from "./auth/config.js";

/** Sign-in settings (OIDC_*, ACCESS_*, ROLE_MAP, USER_CLAIM, DEMO_USERS) are documented in auth/config.ts. */
export interface Env extends AuthEnv {
  /** D1: the audit trail, runs and the notification outbox, and the four packs' tables unless `HYPERDRIVE` is set. */
  DB: D1Database;
  /**
   * Hyperdrive to a Postgres database: when bound, the four packs' tables live there instead of
   * D1 (README, "Postgres through Hyperdrive"). Unbound by default.
   */
  HYPERDRIVE?: Hyperdrive;
  /** KV for the OAuth provider's clients, grants and tokens (hashed). */
  OAUTH_KV: KVNamespace;
  /** Worker Loader: one dynamic isolate per code-mode program. */
  LOADER: WorkerLoader;
  /** Workers AI, the agent's default model. Optional so the app runs without a Cloudflare account. */
  AI?: Ai;
  /** One Durable Object per durable run (by run id): its signed continuation and decisions. */
  RUNS: DurableObjectNamespace<import("./runs/run-object.js").RunObject>;
  /**
   * Keys continuations are signed with (a secret): one secret of 32+ bytes, or JSON
   * `{"current": id, "keys": {id: secret}}` for rotation. Runs that wait for approval need it.
   */
  CONTINUATION_KEYS?: string;
  /** The chat agent's Durable Object (`ChatAgent`, one per signed-in user). */
  CHAT_AGENT: DurableObjectNamespace<import("./agent/chat-agent.js").ChatAgent>;
  /** Set by the OAuth provider for the default handler (login and consent). */
  OAUTH_PROVIDER: OAuthHelpers;
  /** Password of the demo users on the local login page (used only when `DEMO_USERS=on`). */
  DEMO_PASSWORD?: string;
  /** Public origin (e.g. https://toolpacks.example.com); defaults to the request's origin. */
  PUBLIC_URL?: string;
  /** Agent model: `workers-ai:<model>`, `openai:<model>`, `anthropic:<model>` or `scripted`. */
  AGENT_MODEL?: string;
  /** API key for an AI SDK provider model (a secret: `wrangler secret put AI_PROVIDER_KEY`). */
  AI_PROVIDER_KEY?: string;
  /** World scale and seed used when a store is seeded in place (tests, first run). */
  WORLD_SCALE?: string;
  WORLD_SEED?: string;
}
