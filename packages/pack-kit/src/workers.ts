// Workers-only surface of @toolpacks/pack-kit: D1 store and the fetch handler.
export { type D1DatabaseLike, type D1PreparedStatementLike, d1Store } from "./workers/d1-store.js";
export {
  createPackFetchHandler,
  type PackFetchHandler,
  type PackFetchOptions,
} from "./workers/fetch-handler.js";
