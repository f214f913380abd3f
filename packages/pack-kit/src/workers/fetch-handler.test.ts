import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migratePack } from "../store/migrate.js";
import { ledgerPack } from "../testing/fixtures/ledger-pack.js";
import { type D1DatabaseLike, d1Store } from "./d1-store.js";
import { createPackFetchHandler } from "./fetch-handler.js";

// A real D1 database in workerd (Miniflare), driven from Node through its binding proxy.
let mf: Miniflare;
let db: D1DatabaseLike;
beforeAll(async () => {
  mf = new Miniflare({
    workers: [
      {
        config: {
          name: "pack-kit-test",
          compatibilityDate: "2025-11-01",
          manifest: {
            mainModule: "index.js",
            modules: {
              "index.js": { type: "esm", contents: "export default { fetch() { return new Response('') } }" },
            },
          },
          env: { DB: { type: "d1", id: "pack-kit-test" } },
        },
      },
    ],
  });
  db = (await mf.getD1Database("DB")) as unknown as D1DatabaseLike;
});
afterAll(async () => {
  await mf.dispose();
});

const rpc = (method: string, params: unknown, headers: Record<string, string> = {}) =>
  new Request("https://ledger.example.com/mcp", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": "2025-11-25",
      ...headers,
    },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });

describe("d1Store", () => {
  it("runs migrations and rolls a failing batch back entirely", async () => {
    const store = d1Store(db);
    await migratePack(store, {
      name: "t",
      migrations: [{ id: "1", statements: ["CREATE TABLE t (id INTEGER PRIMARY KEY)"] }],
    });
    await expect(
      store.batch([
        { sql: "INSERT INTO t (id) VALUES (?)", params: [1] },
        { sql: "INSERT INTO t (id) VALUES (?)", params: [1] },
      ]),
    ).rejects.toThrow();
    expect(await store.all("SELECT * FROM t")).toEqual([]);
    expect((await store.batch([{ sql: "INSERT INTO t (id) VALUES (?)", params: [2n] }]))[0]).toEqual({
      changes: 1,
    });
    expect(await store.first("SELECT id FROM t")).toEqual({ id: 2 });
    expect(await store.first("SELECT id FROM t WHERE id = 99")).toBeUndefined();
  });
});

describe("createPackFetchHandler", () => {
  const worker = createPackFetchHandler<{ DB: D1DatabaseLike; TOKEN: string }>(ledgerPack, {
    store: (env) => d1Store(env.DB),
    auth: (env) => ({ tokens: [env.TOKEN] }),
    seed: { scale: 25, seed: 3 },
  });
  const env = () => ({ DB: db, TOKEN: "worker-token-123456" });
  const auth = { authorization: "Bearer worker-token-123456" };

  it("refuses a request without the token with 401 and WWW-Authenticate", async () => {
    const response = await worker.fetch(rpc("tools/list", {}), env());
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer /);
  });

  it("seeds D1 on first use and answers tool calls with structured content", async () => {
    const response = await worker.fetch(
      rpc("tools/call", { name: "spend_by_category", arguments: { year: 2025 } }, auth),
      env(),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      result: { structuredContent: { as_of: string; top: unknown[] } };
    };
    expect(body.result.structuredContent.as_of).toBe("2025-12-31");
    expect(body.result.structuredContent.top.length).toBeGreaterThan(0);
  });

  it("replays a keyed write on D1 instead of writing twice", async () => {
    const args = { category: "travel", amount_cents: 500, booked_on: "2025-06-01", memo: "taxi" };
    const call = () =>
      worker.fetch(
        rpc(
          "tools/call",
          { name: "record_entry", arguments: args, _meta: { "toolpacks.dev/idempotencyKey": "w-1" } },
          auth,
        ),
        env(),
      );
    const first = (await (await call()).json()) as { result: { structuredContent: unknown } };
    const second = (await (await call()).json()) as {
      result: { structuredContent: unknown; _meta: Record<string, unknown> };
    };
    expect(second.result.structuredContent).toEqual(first.result.structuredContent);
    expect(second.result._meta["toolpacks.dev/replayed"]).toBe(true);
    const rows = await d1Store(db).all("SELECT id FROM entries WHERE memo = 'taxi'");
    expect(rows).toHaveLength(1);
  });
});
