import { Miniflare } from "miniflare";
import type { D1DatabaseLike } from "../workers/d1-store.js";

/**
 * For tests only (not exported): a fresh, empty D1 database in workerd (Miniflare), driven from
 * Node through its binding proxy, so the write path is checked against D1's real errors.
 */
export async function openMiniflareD1(
  name: string,
): Promise<{ db: D1DatabaseLike; dispose: () => Promise<void> }> {
  const mf = new Miniflare({
    workers: [
      {
        config: {
          name,
          compatibilityDate: "2025-11-01",
          manifest: {
            mainModule: "index.js",
            modules: {
              "index.js": { type: "esm", contents: "export default { fetch() { return new Response('') } }" },
            },
          },
          env: { DB: { type: "d1", id: name } },
        },
      },
    ],
  });
  const db = (await mf.getD1Database("DB")) as unknown as D1DatabaseLike;
  return { db, dispose: () => mf.dispose() };
}
