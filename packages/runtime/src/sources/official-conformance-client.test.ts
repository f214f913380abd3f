import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import {
  CONFORMANCE_REVISIONS,
  conformanceCounts,
  runOfficialClientConformance,
} from "@toolpacks/pack-kit/testing";
import { describe, expect, it } from "vitest";

const baseline = (revision: string) =>
  fileURLToPath(new URL(`../../conformance/expected-failures-${revision}.yml`, import.meta.url));
const tsx = createRequire(new URL("../../../../package.json", import.meta.url)).resolve("tsx/cli");
const client = fileURLToPath(new URL("./official-conformance-client.ts", import.meta.url));

describe("the runtime's MCP client: the official MCP conformance suite's client scenarios", () => {
  for (const revision of CONFORMANCE_REVISIONS) {
    it(`${revision}: passes every client scenario that applies; each exclusion has a reason`, async () => {
      const result = await runOfficialClientConformance({
        command: `${process.execPath} ${tsx} ${client}`,
        revision,
        expectedFailuresFile: baseline(revision),
      });
      expect(result.unexpectedFailures, result.output).toEqual([]);
      expect(result.staleEntries, result.output).toEqual([]);
      expect(result.exitCode, result.output).toBe(0);
      expect(result.passed, result.output).toContain("tools_call");
      for (const entry of result.expectedFailures) expect(result.reasons[entry], entry).toMatch(/\w{3,}/);
      // The README's figures come from the baseline; this run proves them.
      const counts = await conformanceCounts(baseline(revision), revision, "client");
      expect(result.passed, result.output).toHaveLength(counts.passed);
    }, 600_000);
  }
});
