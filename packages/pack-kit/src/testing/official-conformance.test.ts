import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningHttpServer, servePackHttp } from "../node/serve-http.js";
import { openSqliteStore } from "../node/sqlite-store.js";
import { preparePackStore } from "../store/migrate.js";
import type { Store } from "../store/types.js";
import { ledgerPack } from "./fixtures/ledger-pack.js";
import { runOfficialConformance } from "./official-conformance.js";

let store: Store;
let server: RunningHttpServer;
beforeAll(async () => {
  store = openSqliteStore();
  await preparePackStore(store, ledgerPack, { scale: 50, seed: 1 });
  server = await servePackHttp(ledgerPack, { store, port: 0 });
});
afterAll(async () => {
  await server.close();
  await store.close();
});

describe("the official MCP conformance suite", () => {
  it("passes every scenario that applies to a tools server; each exclusion has a reason", async () => {
    const result = await runOfficialConformance({ url: server.url });
    expect(result.unexpectedFailures, result.output).toEqual([]);
    expect(result.staleEntries, result.output).toEqual([]);
    expect(result.exitCode, result.output).toBe(0);
    for (const scenario of [
      "server-initialize",
      "ping",
      "logging-set-level",
      "tools-list",
      "dns-rebinding-protection",
    ]) {
      expect(result.passed).toContain(scenario);
    }
    for (const scenario of result.expectedFailures)
      expect(result.reasons[scenario], scenario).toMatch(/\w{3,}/);
  }, 120_000);
});
