import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningHttpServer, servePackHttp } from "../node/serve-http.js";
import type { PackDefinition, SeedOptions } from "../pack/define-pack.js";
import { preparePackStore } from "../store/migrate.js";
import type { Store } from "../store/types.js";
import {
  CONFORMANCE_REVISIONS,
  type ConformanceRevision,
  expectedFailuresFile,
  runOfficialConformance,
} from "./official-conformance.js";
import { conformanceCounts } from "./official-conformance-counts.js";
import { openTestStore } from "./test-store.js";

/**
 * The scenarios every tools server must pass whole, per revision; the kit's baseline for that
 * revision lists the rest with reasons (one excused check keeps a scenario's other checks enforced).
 */
export const REQUIRED_OFFICIAL_SCENARIOS_BY_REVISION: Record<ConformanceRevision, readonly string[]> = {
  "2025-11-25": ["server-initialize", "ping", "logging-set-level", "tools-list", "dns-rebinding-protection"],
  "2026-07-28": [
    "tools-list",
    "server-sse-multiple-streams",
    "dns-rebinding-protection",
    "input-required-result-unsupported-methods",
    "input-required-result-validate-input",
  ],
};

/** The 2025-11-25 scenarios every tools server must pass (see `REQUIRED_OFFICIAL_SCENARIOS_BY_REVISION`). */
export const REQUIRED_OFFICIAL_SCENARIOS = REQUIRED_OFFICIAL_SCENARIOS_BY_REVISION["2025-11-25"];

/**
 * Serves `pack` over Streamable HTTP on 127.0.0.1 (a seeded store of the suite's dialect,
 * `openTestStore`; one server for
 * both revisions, as in production) and runs the official MCP conformance suite against it once
 * per revision, as vitest blocks: 0.1.16 for 2025-11-25, 0.2.0-alpha.12's frozen 2026-07-28
 * requirement set for 2026-07-28. Fails on any scenario that is neither passed nor listed in the
 * revision's expected-failures baseline, on a baseline entry that now passes, on an entry without
 * a reason, and when a required tools-server scenario is missing. Node only (it starts a server).
 */
export function describeOfficialConformance(
  pack: PackDefinition,
  world: SeedOptions = { scale: 1_000, seed: 1 },
) {
  describe(`${pack.name} pack: the official MCP conformance suite`, () => {
    let store: Store;
    let server: RunningHttpServer;
    beforeAll(async () => {
      store = await openTestStore();
      await preparePackStore(store, pack, world);
      server = await servePackHttp(pack, { store, port: 0 });
    });
    afterAll(async () => {
      await server?.close();
      await store?.close();
    });

    for (const revision of CONFORMANCE_REVISIONS) {
      it(`${revision}: passes every scenario that applies to a tools server; each exclusion has a reason`, async () => {
        const result = await runOfficialConformance({ url: server.url, revision });
        expect(result.unexpectedFailures, result.output).toEqual([]);
        expect(result.staleEntries, result.output).toEqual([]);
        expect(result.exitCode, result.output).toBe(0);
        for (const scenario of REQUIRED_OFFICIAL_SCENARIOS_BY_REVISION[revision])
          expect(result.passed, result.output).toContain(scenario);
        for (const entry of result.expectedFailures) expect(result.reasons[entry], entry).toMatch(/\w{3,}/);
        // The README's figures come from the baseline; this run proves them.
        const counts = await conformanceCounts(expectedFailuresFile(revision), revision, "server");
        expect(result.passed, result.output).toHaveLength(counts.passed);
      }, 120_000);
    }
  });
}
