import type { HttpAuthOptions } from "../http/auth.js";
import type { HostOriginPolicy } from "../http/host-origin.js";
import { createPackHttpHandler } from "../http/pack-http-handler.js";
import type { PackDefinition, SeedOptions } from "../pack/define-pack.js";
import type { PackServerOptions } from "../server/create-pack-server.js";
import { migratePack, preparePackStore } from "../store/migrate.js";
import type { Store } from "../store/types.js";

/** Options of `createPackFetchHandler`; functions of `env` read bindings and secrets per Worker. */
export interface PackFetchOptions<Env> extends HostOriginPolicy, Omit<PackServerOptions, "store"> {
  /** The pack's store from the Worker's bindings, e.g. `(env) => d1Store(env.DB)`. */
  store: (env: Env) => Store;
  /** Credentials, e.g. `(env) => ({ tokens: [env.TOOLPACKS_TOKEN] })`. Unset: no credential asked. */
  auth?: (env: Env) => HttpAuthOptions;
  /** Path of the MCP endpoint (default `/mcp`). */
  path?: string;
  /** Seed an empty store with this world on first use; unset: migrate only. */
  seed?: SeedOptions;
}

/** A Workers module export: `export default createPackFetchHandler(pack, {...})`. */
export interface PackFetchHandler<Env> {
  fetch(request: Request, env: Env): Promise<Response>;
}

/**
 * Serves a pack from a Cloudflare Worker over MCP Streamable HTTP. It is the kit's own
 * Web-standard handler on the MCP SDK 1.x `WebStandardStreamableHTTPServerTransport` (the same
 * code as Node's `servePackHttp`, with the same Host/Origin and credential checks), not the
 * `agents` SDK's handler: see the README for why. The store is migrated (and seeded, with
 * `seed`) once per isolate before the first request is answered.
 */
export function createPackFetchHandler<Env>(
  pack: PackDefinition,
  options: PackFetchOptions<Env>,
): PackFetchHandler<Env> {
  const perEnv = new WeakMap<
    object,
    { ready: Promise<void>; handle: (request: Request) => Promise<Response> }
  >();
  return {
    async fetch(request, env) {
      const key = env as object;
      let entry = perEnv.get(key);
      if (!entry) {
        const store = options.store(env);
        const ready = options.seed
          ? preparePackStore(store, pack, options.seed).then(() => {})
          : migratePack(store, pack).then(() => {});
        const { auth: authOf, store: _storeOf, seed: _seed, ...http } = options;
        const auth = authOf?.(env);
        entry = { ready, handle: createPackHttpHandler(pack, { ...http, store, ...(auth ? { auth } : {}) }) };
        perEnv.set(key, entry);
        // A failed migration must not stick: the next request tries again.
        ready.catch(() => perEnv.delete(key));
      }
      await entry.ready;
      return entry.handle(request);
    },
  };
}
