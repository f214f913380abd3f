import { preparePackStore, type Store } from "@toolpacks/pack-kit";
import { openSqliteStore, type RunningHttpServer, servePackHttp } from "@toolpacks/pack-kit/node";
import { runOfficialConformance } from "@toolpacks/pack-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pack } from "./pack.js";
import { TEST_WORLD } from "./testing/seeded-warehouse.js";

let store: Store;
let server: RunningHttpServer;
beforeAll(async () => {
  store = openSqliteStore();
  await preparePackStore(store, pack, TEST_WORLD);
  server = await servePackHttp(pack, { store, port: 0 });
});
afterAll(async () => {
  await server.close();
  await store.close();
});

describe("the official MCP conformance suite", () => {
  it("passes every scenario that applies to a tools server (the kit's baseline lists the rest with reasons)", async () => {
    const result = await runOfficialConformance({ url: server.url });
    expect(result.unexpectedFailures, result.output).toEqual([]);
    expect(result.exitCode, result.output).toBe(0);
    for (const scenario of ["server-initialize", "ping", "tools-list", "dns-rebinding-protection"]) {
      expect(result.passed).toContain(scenario);
    }
  }, 120_000);
});
