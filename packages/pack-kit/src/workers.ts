// Workers-only surface of @toolpacks/pack-kit: D1 and Hyperdrive (Postgres) stores, the fetch handler.

// Option types shared with the root entry, re-exported so declarations resolve from this entry alone.
export type { HttpAuthOptions, OAuthResourceOptions, VerifiedToken } from "./http/auth.js";
export type { HostOriginPolicy } from "./http/host-origin.js";
export { type D1DatabaseLike, type D1PreparedStatementLike, d1Store } from "./workers/d1-store.js";
export {
  createPackFetchHandler,
  type PackFetchHandler,
  type PackFetchOptions,
} from "./workers/fetch-handler.js";
export {
  type HyperdriveLike,
  type HyperdriveStoreOptions,
  hyperdriveStore,
} from "./workers/hyperdrive-store.js";
