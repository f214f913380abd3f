import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningHttpServer, servePackHttp } from "../node/serve-http.js";
import { openSqliteStore } from "../node/sqlite-store.js";
import type { PackDefinition, SeedOptions } from "../pack/define-pack.js";
import { preparePackStore } from "../store/migrate.js";
import type { Store } from "../store/types.js";
import { runOfficialConformance } from "./official-conformance.js";

/** The scenarios every tools server must pass; the kit's baseline lists the rest with reasons. */
export const REQUIRED_OFFICIAL_SCENARIOS = [
  "server-initialize",
  "ping",
  "logging-set-level",
  "tools-list",
  "dns-rebinding-protection",
] as const;

/**
 * Serves `pack` over Streamable HTTP on 127.0.0.1 (a seeded in-memory store) and runs the
 * official MCP conformance suite against it, as vitest blocks. Fails on any scenario that is
 * neither passed nor listed in the expected-failures baseline, on a baseline entry that now
 * passes, and when a required tools-server scenario is missing. Node only (it starts a server).
 */
export function describeOfficialConformance(
  pack: PackDefinition,
  world: SeedOptions = { scale: 1_000, seed: 1 },
) {
  describe(`${pack.name} pack: the official MCP conformance suite`, () => {
    let store: Store;
    let server: RunningHttpServer;
    beforeAll(async () => {
      store = openSqliteStore();
      await preparePackStore(store, pack, world);
      server = await servePackHttp(pack, { store, port: 0 });
    });
    afterAll(async () => {
      await server?.close();
      await store?.close();
    });

    it("passes every scenario that applies to a tools server; each exclusion has a reason", async () => {
      const result = await runOfficialConformance({ url: server.url });
      expect(result.unexpectedFailures, result.output).toEqual([]);
      expect(result.staleEntries, result.output).toEqual([]);
      expect(result.exitCode, result.output).toBe(0);
      for (const scenario of REQUIRED_OFFICIAL_SCENARIOS) expect(result.passed).toContain(scenario);
      for (const scenario of result.expectedFailures)
        expect(result.reasons[scenario], scenario).toMatch(/\w{3,}/);
    }, 120_000);
  });
}
